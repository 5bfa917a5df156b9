"""``asl-lint run`` and ``test-state`` as users drive them: every layout ``check`` reads, exit codes
that say whether the execution succeeded, mocks checked against the machine's states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asl_lint.cli import main

LAMBDA = "arn:aws:states:::lambda:invoke"
MACHINE = {
    "StartAt": "Charge",
    "States": {
        "Charge": {"Type": "Task", "Resource": LAMBDA, "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                   "ResultSelector": {"id.$": "$.Payload.id"}, "ResultPath": "$.charge", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}

# A SAM template whose definition takes a function ARN through !GetAtt (an unknown value offline).
SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        ChargeArn: !GetAtt ChargeFunction.Arn
        Currency: eur
      Definition:
        StartAt: Charge
        States:
          Charge:
            Type: Task
            Resource: ${ChargeArn}
            Parameters:
              currency: ${Currency}
            Next: Done
          Done:
            Type: Succeed
  ChargeFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(event, context): return event"
"""


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object], str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else {}, captured.err


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.asl.json"
    path.write_text(json.dumps(MACHINE, indent=2))
    return path


def test_run_exit_code_follows_the_execution(machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["run", "m.asl.json", "--mock", 'Charge={"Payload": {"id": "ch_1"}}'], capsys)
    assert (code, out) == (0, {"status": "SUCCEEDED", "output": '{"charge":{"id":"ch_1"}}'})
    failure = 'Charge={"errorOutput": {"error": "Card.Declined", "cause": "insufficient funds"}}'
    code, out, _ = _run(["run", "m.asl.json", "--mock", failure], capsys)
    assert (code, out) == (1, {"status": "FAILED", "error": "Card.Declined", "cause": "insufficient funds"})


def test_run_rejects_mocks_for_states_that_do_not_exist(machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["run", "m.asl.json", "--mock", "Chrage={}"], capsys)
    assert (code, out) == (2, {})
    assert err == ("asl-lint: error: --mock names no state of the machine: 'Chrage'; did you mean 'Charge'? "
                   "Its states: Charge, Done\n")
    Path("mocks.yaml").write_text("Charge: {Payload: {id: x}}\nRefund: {}\n")
    code, _, err = _run(["run", "m.asl.json", "--mocks", "mocks.yaml"], capsys)
    assert code == 2 and "'Refund'" in err and "Its states: Charge, Done" in err
    code, _, err = _run(["run", "m.asl.json", "--mock", "Done={}"], capsys)
    assert (code, err) == (2, "asl-lint: error: --mock Done: a Succeed state runs itself; only Task, Map and "
                              "Parallel states take a mock\n")


def test_run_rejects_a_file_that_is_no_state_machine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "package.json"
    other.write_text('{"name": "app", "version": "1.0.0"}')
    code, out, err = _run(["run", str(other)], capsys)
    assert (code, out) == (2, {})
    assert err == (f"asl-lint: error: {other} holds no state machine definition (a JSON/YAML object with StartAt "
                   "and States, or a template or project file with one)\n")
    broken = tmp_path / "broken.asl.json"
    broken.write_text('{"StartAt": ')
    code, _, err = _run(["run", str(broken)], capsys)
    assert (code, err) == (2, f"asl-lint: error: {broken}:1:13: Unexpected end of file: expected a value\n")


def test_run_reads_a_sam_template_with_getatt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(SAM)
    assert main(["check", str(template), "--select", "ASL1"]) == 0  # check reads it...
    capsys.readouterr()
    # ...and so does run: literal substitutions applied, the !GetAtt value a placeholder.
    code, out, _ = _run(["run", str(template), "--mock", "Charge={\"ok\": true}"], capsys)
    assert (code, out) == (0, {"status": "SUCCEEDED", "output": '{"ok":true}'})
    code, out, _ = _run(["test-state", str(template), "--state-name", "Charge", "--inspection-level", "DEBUG",
                         "--mock", '{"result": "{}"}'], capsys)
    assert code == 0
    assert json.loads(out["inspectionData"]["afterParameters"]) == {"currency": "eur"}  # type: ignore[index]


def test_run_picks_one_machine_of_a_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    resources = {
        name: {"Type": "AWS::StepFunctions::StateMachine",
               "Properties": {"Definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": name,
                                                                              "End": True}}}}}
        for name in ("Alpha", "Beta")
    }
    template = tmp_path / "stack.template.json"
    template.write_text(json.dumps({"Resources": resources}))
    code, _, err = _run(["run", str(template)], capsys)
    assert (code, err) == (2, f"asl-lint: error: {template} holds 2 state machines (Alpha, Beta); choose one with "
                              "--state-machine\n")
    code, out, _ = _run(["run", str(template), "--state-machine", "Beta"], capsys)
    assert (code, out) == (0, {"status": "SUCCEEDED", "output": '"Beta"'})
    code, _, err = _run(["run", str(template), "--state-machine", "Gamma"], capsys)
    assert (code, err) == (2, f"asl-lint: error: {template} has no state machine 'Gamma'; its state machines: "
                              "Alpha, Beta\n")


def test_test_state_names_the_missing_or_unknown_state(machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["test-state", "m.asl.json", "--state-name", "Chrage"], capsys)
    assert (code, out) == (2, {"Error": {"Code": "ValidationException", "Message": "State not found in definition"}})
    assert err == ("asl-lint: --state-name names no state of the machine: 'Chrage'; did you mean 'Charge'? "
                   "Its states: Charge, Done\n")
    code, out, err = _run(["test-state", "m.asl.json"], capsys)
    assert code == 2 and set(out) == {"Error"}
    assert err == ("asl-lint: m.asl.json holds a whole state machine: name the state to test with --state-name; "
                   "its states: Charge, Done\n")


def test_test_state_asks_for_a_mock_before_a_role(machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for extra in ([], ["--role-arn", "arn:aws:iam::123456789012:role/sfn"]):
        code, out, _ = _run(["test-state", "m.asl.json", "--state-name", "Charge", *extra], capsys)
        assert code == 2
        error = out["Error"]
        assert error["Code"] == "AslLint.NoMock"  # type: ignore[index]
        assert error["Message"].startswith("Task state 'Charge' cannot call AWS offline: give its result with "  # type: ignore[index]
                                           "--mock '{\"result\": ")
    # With a mock no role is needed, as in AWS.
    code, out, _ = _run(["test-state", "m.asl.json", "--state-name", "Charge",
                         "--mock", '{"result": "{\\"Payload\\": {\\"id\\": \\"c\\"}}"}'], capsys)
    assert (code, out) == (0, {"status": "SUCCEEDED", "output": '{"charge":{"id":"c"}}', "nextState": "Done"})


def test_graph_of_a_file_with_no_state_machine_is_a_usage_error(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "package.json"
    other.write_text('{"name": "app"}')
    assert main(["graph", str(other)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"asl-lint: error: {other} holds no state machine definition")


def test_run_follows_definition_uri_with_its_substitutions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "statemachine").mkdir()
    (tmp_path / "statemachine" / "orders.asl.json").write_text(json.dumps({
        "StartAt": "Tag", "States": {"Tag": {"Type": "Pass", "Result": {"stage": "${Stage}"}, "End": True}}}))
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      DefinitionUri: statemachine/orders.asl.json\n"
        "      DefinitionSubstitutions:\n        Stage: prod\n")
    for target in ("template.yaml", "statemachine/orders.asl.json"):  # the template, or the file it names
        code, out, _ = _run(["run", str(tmp_path / target)], capsys)
        assert (code, out) == (0, {"status": "SUCCEEDED", "output": '{"stage":"prod"}'}), target
