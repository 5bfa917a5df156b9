"""The command line: exit codes 0/1/2, the JSON report of the contract, rules and rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from asl_lint.cli import main

CLEAN = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}\n'
BAD = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "Shpi"},\n    "Ship": {"Type": "Succeed"}\n  }\n}\n'


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "clean.asl.json").write_text(CLEAN)
    (tmp_path / "bad.asl.json").write_text(BAD)
    (tmp_path / "broken.asl.json").write_text('{"StartAt": ')
    (tmp_path / "package.json").write_text('{"name": "not-a-definition"}')
    return {p.stem.split(".")[0]: p for p in tmp_path.iterdir()}


def test_exit_codes(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(files["clean"])]) == 0
    assert main(["check", str(files["bad"])]) == 1
    assert main(["check", "--exit-zero", str(files["bad"])]) == 0
    assert main(["check", "--fail-on", "error", str(files["clean"])]) == 0
    assert main(["check", "/no/such/file.asl.json"]) == 2
    assert main(["check", "--select", "ASL99X", str(files["clean"])]) == 2
    assert main(["check", "--format", "nope", str(files["clean"])]) == 2
    assert main(["rule", "ASL999"]) == 2
    capsys.readouterr()


def test_json_report_shape(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", str(files["bad"].parent)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    assert report["tool"] == {"name": "asl-lint", "version": "0.2.0"}
    # package.json is not a definition and was found by walking, so it is skipped quietly.
    assert report["summary"]["files"] == 3
    first = next(d for d in report["diagnostics"] if d["code"] == "ASL101")
    assert first == {
        "code": "ASL101",
        "name": "unknown-state",
        "severity": "error",
        "message": "Next names state 'Shpi', which does not exist; did you mean 'Ship'?",
        "file": str(files["bad"]),
        "line": 4,
        "column": 35,
        "endLine": 4,
        "endColumn": 41,
        "pointer": "/States/A/Next",
        "state": "A",
        "fingerprint": first["fingerprint"],
        "fix": {"title": "Change Next to 'Ship'", "edits": [{"op": "replace", "pointer": "/States/A/Next", "value": "Ship"}]},
    }
    broken = [d for d in report["diagnostics"] if d["file"].endswith("broken.asl.json")]
    assert [(d["code"], d["line"], d["column"]) for d in broken] == [("ASL001", 1, 13)]


def test_text_report_has_frames_and_summary(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(files["bad"])])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{files['bad']}:4:35: ASL101 [error] Next names state 'Shpi', which does not exist; did you mean 'Ship'?"
    assert out[1] == '     4 |     "A": {"Type": "Pass", "Next": "Shpi"},'
    assert out[2] == "       |                                   ^^^^^^"
    assert out[-1].startswith("Found ")


def test_output_file(files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    assert main(["check", "--format", "json", "--output", str(target), str(files["clean"])]) == 0
    assert json.loads(target.read_text())["summary"]["errors"] == 0
    assert capsys.readouterr().out == ""


def test_config_file_is_validated(files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / ".asl-lint.toml"
    config.write_text('ignore = ["ASL101"]\nunknown-key = 1\n')
    assert main(["check", "--config", str(config), str(files["bad"])]) == 2
    assert "unknown-key: unknown key" in capsys.readouterr().err
    config.write_text('ignore = ["ASL1"]\n')
    assert main(["check", "--config", str(config), str(files["bad"])]) == 0


def test_pyproject_config_is_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asl-lint]\nignore = ["unknown-state", "unreachable-state"]\n')
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "bad.asl.json").write_text(BAD)
    assert main(["check", str(tmp_path / "flows")]) == 0
    capsys.readouterr()


def test_rules_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert {"code": "ASL101", "name": "unknown-state", "severity": "error"}.items() <= rules[
        [r["code"] for r in rules].index("ASL101")
    ].items()
    assert main(["rule", "unknown-state"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# ASL101 unknown-state (error)")
    assert "## Why it matters" in text


def test_python_m_is_the_same_program(files: dict[str, Path]) -> None:
    proc = subprocess.run([sys.executable, "-m", "asl_lint", "check", "--format", "json", str(files["bad"])],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["errors"] >= 1


def test_bare_path_means_check(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(files["clean"])]) == 0
    capsys.readouterr()


def test_test_state_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "ResultPath": "$.out", "Next": "X"}')
    assert main(["test-state", str(state), "--input", '{"a": 1, "b": 2}', "--inspection-level", "DEBUG"]) == 0
    response = json.loads(capsys.readouterr().out)
    assert response["status"] == "SUCCEEDED"
    assert json.loads(response["output"]) == {"a": 1, "b": 2, "out": {"sum": 3}}
    assert response["nextState"] == "X"
    assert json.loads(response["inspectionData"]["afterParameters"]) == {"sum": 3}


def test_test_state_rejected_request_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    machine = tmp_path / "m.json"
    machine.write_text(CLEAN)
    assert main(["test-state", str(machine), "--state-name", "Nope"]) == 2
    error = json.loads(capsys.readouterr().out)["Error"]
    assert set(error) == {"Code", "Message"}


def test_run_command_with_mocks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    machine = tmp_path / "m.asl.json"
    machine.write_text(json.dumps({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultSelector": {"v.$": "$.Payload"},
              "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.v", "NumericGreaterThan": 1, "Next": "Big"}],
              "Default": "Small"},
        "Big": {"Type": "Succeed"},
        "Small": {"Type": "Fail", "Error": "TooSmall", "Cause": "v <= 1"}}}))
    assert main(["run", str(machine), "--mock", 'T={"Payload": 5}']) == 0
    assert json.loads(capsys.readouterr().out) == {"status": "SUCCEEDED", "output": '{"v":5}'}
    # An execution that does not succeed exits 1 (a script or CI step sees it failed).
    assert main(["run", str(machine), "--mock", 'T={"Payload": 0}']) == 1
    failed = json.loads(capsys.readouterr().out)
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "TooSmall", "v <= 1")
    assert main(["run", str(machine)]) == 1
    assert json.loads(capsys.readouterr().out)["error"] == "AslLint.NoMock"


def test_iam_policy_command(capsys: pytest.CaptureFixture[str]) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    assert main(["iam", "policy", str(examples / "order-fulfilment.asl.json")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["Version"] == "2012-10-17"
    actions = {a for s in document["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert {"lambda:InvokeFunction", "sqs:SendMessage", "states:InvokeHTTPEndpoint"} <= actions
    assert main(["iam", "policy", "/no/such/file.json"]) == 2


def test_test_state_masks_inline_secrets_unless_revealed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    password = "hunter2" + "hunter2"
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"Type": "Pass", "End": True,
                                 "Parameters": {"url": f"https://admin:{password}@api.example.com/x"}}))
    assert main(["test-state", str(state), "--inspection-level", "TRACE"]) == 0
    masked = capsys.readouterr().out
    assert password not in masked
    assert "admin:****@api.example.com" in json.loads(json.loads(masked)["output"])["url"]
    assert main(["test-state", str(state), "--reveal-secrets"]) == 0
    assert password in capsys.readouterr().out


def test_only_state_machines_skips_named_files_without_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "app.template.json"
    other.write_text('{"name": "not a template"}')
    assert main(["check", str(other)]) == 1
    assert main(["check", "--only-state-machines", "--format", "json", str(other)]) == 0
    capsys.readouterr()
    template = tmp_path / "template.yaml"
    template.write_text("Resources:\n  SM:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
                        "      Definition:\n        StartAt: A\n        States:\n          A: {Type: Pass, Next: B}\n")
    assert main(["check", "--only-state-machines", str(template)]) == 1
    capsys.readouterr()


def test_machine_type_applies_express_limits_to_standalone_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    machine = tmp_path / "m.asl.json"
    machine.write_text(json.dumps({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 60,
        "HeartbeatSeconds": 10, "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q",
                                               "MessageBody": {"t.$": "$$.Task.Token"}}, "End": True}}}))
    assert main(["check", "--select", "ASL005", str(machine)]) == 0
    assert main(["check", "--select", "ASL005", "--machine-type", "EXPRESS", "--format", "json", str(machine)]) == 1
    out = capsys.readouterr().out
    assert "Express" in out
    assert main(["check", "--select", "ASL005", "--machine-type", "express", str(machine)]) == 1  # any case
    config = tmp_path / ".asl-lint.toml"
    config.write_text('machine-type = "EXPRESS"\n')
    assert main(["check", "--config", str(config), "--select", "ASL005", str(machine)]) == 1
    config.write_text('machine-type = "express"\n')
    assert main(["check", "--config", str(config), "--select", "ASL005", str(machine)]) == 1
    config.write_text('machine-type = "FAST"\n')
    assert main(["check", "--config", str(config), str(machine)]) == 2
    capsys.readouterr()


def test_the_console_script_exits_without_teardown_but_like_a_normal_exit(files: dict[str, Path]) -> None:
    """``run`` (the ``asl-lint`` script, ``python -m asl_lint``) leaves with ``os._exit``: exit
    handlers still run, the output is flushed, the exit code is main's, and a reader that stops
    early (``| head``) gets no traceback."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('exit handler ran'))\n"
            "from asl_lint.cli import run\n"
            "run()\n")
    done = subprocess.run([sys.executable, "-c", code, "check", "--no-frames", str(files["bad"])],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "ASL101" in done.stdout and done.stdout.endswith("exit handler ran\n")
    clean = subprocess.run([sys.executable, "-m", "asl_lint", "check", str(files["clean"])], capture_output=True,
                           text=True)
    assert (clean.returncode, clean.stdout) == (0, "All checks passed (1 file)\n")
    usage = subprocess.run([sys.executable, "-m", "asl_lint", "check", "--bogus"], capture_output=True, text=True)
    assert usage.returncode == 2 and "unrecognized arguments: --bogus" in usage.stderr
    many = files["bad"].parent / "many"
    many.mkdir()
    for index in range(400):  # more output than a pipe holds: the writer meets the closed pipe
        (many / f"bad{index}.asl.json").write_text(BAD)
    piped = subprocess.run(f"{sys.executable} -m asl_lint check --jobs 1 {many} | head -n 1", shell=True,
                           capture_output=True, text=True)
    assert piped.stdout.count("\n") == 1 and "Traceback" not in piped.stderr and "Exception" not in piped.stderr
