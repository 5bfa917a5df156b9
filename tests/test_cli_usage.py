"""What a user meets first: help for every option, examples, usage mistakes as one clear line (exit 2),
no silent pass on a folder without definitions, one spelling of the machine type."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from asl_lint.cli import COMMANDS, EXAMPLES, build_parser, main

MACHINE = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction",
                                                  "Resource": "*"}]}


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = sub
                found.update({f"{name} {k}": v for k, v in _subparsers(sub).items()})
    return found


def test_every_option_and_positional_of_every_command_has_help() -> None:
    parsers = _subparsers(build_parser())
    assert set(COMMANDS) <= set(parsers)
    missing = [
        f"{name}: {action.dest}"
        for name, parser in parsers.items()
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction)
        and action.help != argparse.SUPPRESS
        and not (action.help or "").strip()
    ]
    assert missing == []


def test_help_shows_an_example_per_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    registered = set(_subparsers(build_parser())) - {"iam policy"}
    assert set(EXAMPLES) == registered  # a new command brings its example
    for command, lines in EXAMPLES.items():
        assert lines[0] in out, command
        assert lines[0].startswith(f"asl-lint {command} ")
        # Each command's own --help shows its examples too.
        assert main([*command.split(), "--help"]) == 0
        own = capsys.readouterr().out
        assert all(line in own for line in lines), command


def _error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err  # one clear line, no traceback, no finding per file
    assert err[0].startswith("asl-lint: error: ")
    return err[0]


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.asl.json"
    path.write_text(json.dumps(MACHINE))
    return path


def test_missing_or_invalid_policy_is_a_usage_error(machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(["check", "m.asl.json", "--policy", "nope.json"], capsys)
    assert line == "asl-lint: error: --policy nope.json: cannot read it: No such file or directory"
    Path("bad.json").write_text("[1, 2]")
    line = _error(["check", "m.asl.json", "--policy", "bad.json"], capsys)
    assert line.startswith("asl-lint: error: --policy bad.json: not an IAM policy document: ")
    Path(".asl-lint.toml").write_text('[iam]\npolicies = ["gone.json"]\n')
    line = _error(["check", "m.asl.json"], capsys)
    assert line.startswith("asl-lint: error: iam.policies in ") and "gone.json: cannot read it" in line
    Path(".asl-lint.toml").unlink()
    Path("role.json").write_text(json.dumps(POLICY))
    assert main(["check", "m.asl.json", "--policy", "role.json"]) == 0


def test_files_named_in_a_config_file_are_relative_to_its_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    (project / "flows").mkdir(parents=True)
    (project / "infra").mkdir()
    task = {"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f"},
        "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                   "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                   "MaxAttempts": 3, "BackoffRate": 2, "IntervalSeconds": 1}],
        "End": True}}}
    (project / "flows" / "call.asl.json").write_text(json.dumps(task))
    (project / "infra" / "role.json").write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}))
    (project / "infra" / "input.schema.json").write_text('{"type": "object"}')
    (project / ".asl-lint.toml").write_text(
        'input-schema = "infra/input.schema.json"\n[iam]\npolicies = ["infra/role.json"]\n')
    # Run from elsewhere (a CI job at the repository root, say): the files are still found, and the
    # policy is used (the role grants no lambda:InvokeFunction).
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json", "project/flows"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in report["diagnostics"]] == ["ASL501"]


def test_output_into_a_missing_directory_is_a_usage_error(machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(["check", "m.asl.json", "-o", "missing/dir/out.txt"], capsys)
    assert line == "asl-lint: error: --output missing/dir/out.txt: the directory missing/dir does not exist"
    assert _error(["check", "m.asl.json", "-o", "."], capsys) == (
        "asl-lint: error: --output . is a directory; name a file")


@pytest.mark.parametrize(("content", "message"), [
    (None, "--input-schema schema.json: cannot read it: No such file or directory"),
    ("{not json", "--input-schema schema.json: not JSON: Expecting property name enclosed in double quotes: "
                  "line 1 column 2 (char 1)"),
    ('{"type": "objekt"}', "--input-schema schema.json: not a valid JSON Schema: 'objekt' is not valid under any "
                           "of the given schemas (at /type)"),
    ("[1]", "--input-schema schema.json: a JSON Schema is an object"),
])
def test_bad_input_schema_is_a_usage_error(machine: Path, capsys: pytest.CaptureFixture[str], content: str | None,
                                           message: str) -> None:
    if content is not None:
        Path("schema.json").write_text(content)
    assert _error(["check", "m.asl.json", "--input-schema", "schema.json"], capsys) == f"asl-lint: error: {message}"


def test_a_folder_without_definitions_is_no_silent_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "package.json").write_text('{"name": "app"}')
    assert main(["check", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"asl-lint: warning: no state machine definitions found under {tmp_path}\n"
    assert captured.out == "No state machine definitions found (0 files read)\n"
    assert "passed" not in captured.out
    template = tmp_path / "template.yaml"
    template.write_text("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n")
    assert main(["check", str(template), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"asl-lint: warning: no state machine definitions found under {template}\n"
    assert json.loads(captured.out)["summary"]["files"] == 1
    (tmp_path / "m.asl.json").write_text(json.dumps(MACHINE))
    assert main(["check", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == "All checks passed (1 file)\n"


def test_directory_walk_skips_build_and_dist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}
    for folder in ("build", "dist", ".venv", "flows"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.asl.json").write_text(json.dumps(bad))
    assert main(["check", str(tmp_path), "--format", "json"]) == 1
    files = {d["file"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert files == {str(tmp_path / "flows" / "m.asl.json")}
    assert main(["check", str(tmp_path / "build" / "m.asl.json")]) == 1  # named explicitly: linted
    capsys.readouterr()


def test_one_machine_type_option_case_insensitive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # check's --machine-type and the config file's machine-type: tests/test_cli.py (any case there too).
    run_help = _subparsers(build_parser())["run"].format_help()
    assert "--machine-type" in run_help and "--type" not in run_help.replace("--machine-type", "")
    flow = tmp_path / "flow.asl.json"
    flow.write_text('{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"t.$": "$$.StateMachine.Name"},'
                    ' "End": true}}}')
    assert main(["run", str(flow), "--machine-type", "express"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "SUCCEEDED"
    assert main(["run", str(flow), "--type", "Express"]) == 0  # 0.1.0's spelling still works
    capsys.readouterr()
    assert _error_any(["run", str(flow), "--machine-type", "fast"], capsys).endswith(
        "invalid machine type 'fast' (choose STANDARD or EXPRESS)")
    assert main(["test-state", str(flow), "--state-name", "P", "--inspection-level", "debug"]) == 0
    assert "inspectionData" in json.loads(capsys.readouterr().out)


def _error_any(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    return capsys.readouterr().err.strip().splitlines()[-1]
