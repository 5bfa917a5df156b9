"""The ``test`` command's options, and the typed Python API."""

from __future__ import annotations

import inspect

import pytest

import asl_lint
from asl_lint.cli import build_parser
from asl_lint.eval.runtime import Limits
from tests.testing.helpers import FIXTURES, cli, machine, task


def test_every_option_of_the_test_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    test = sub.choices["test"]  # type: ignore[attr-defined]
    options = [action for action in test._actions if action.dest != "help"]
    assert {a.dest for a in options} == {"paths", "format", "output", "coverage", "update", "case", "config"}
    assert all(action.help for action in options)


def test_without_paths_the_current_folder_is_searched(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(FIXTURES / "orders")
    code, out, _ = cli(capsys)
    assert code == 0
    assert out.splitlines()[0] == "./orders.sfn-test.yaml  (order.asl.json)"


def test_report_to_a_file(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    target = f"{tmp_path}/report.xml"
    code, out, _ = cli(capsys, str(FIXTURES / "orders"), "--format", "junit", "--output", target)
    assert (code, out) == (0, "")
    with open(target, encoding="utf-8") as handle:
        assert handle.read().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="asl-lint test"')


def test_the_api_functions_have_explicit_keyword_parameters() -> None:
    for function in (asl_lint.test_state, asl_lint.run_execution):
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds
    assert list(inspect.signature(asl_lint.test_state).parameters) == [
        "definition", "input", "state_name", "inspection_level", "variables", "context", "mock", "reveal_secrets",
        "role_arn", "state_configuration",
    ]
    assert list(inspect.signature(asl_lint.run_execution).parameters) == [
        "definition", "input", "mocks", "limits", "state_machine_type", "role_arn",
    ]


def test_every_existing_keyword_still_works() -> None:
    definition = machine({"T": task()})
    result = asl_lint.run_execution(definition, {}, mocks={"T": {"ok": 1}}, limits=Limits(max_transitions=10),
                                    state_machine_type="EXPRESS", role_arn="arn:aws:iam::111111111111:role/r")
    assert result == {"status": "SUCCEEDED", "output": '{"ok":1}'}
    response = asl_lint.test_state(
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}, {"a": 1},
        inspection_level="DEBUG", variables={"v": 1}, mock={"result": '{"r": 2}'}, reveal_secrets=False,
        role_arn="arn:aws:iam::111111111111:role/r", state_configuration={"retrierRetryCount": 0},
    )
    assert (response["status"], response["output"]) == ("SUCCEEDED", '{"r":2}')


def test_testing_run_reports_a_typed_execution() -> None:
    from asl_lint.testing import Execution, run

    execution = run(machine({"T": task(Next="Done"), "Done": {"Type": "Succeed"}}), {"x": 1},
                    mocks={"T": {"Return": {"y": 2}}}, execution_name="my-run")
    assert isinstance(execution, Execution)
    assert (execution.status, execution.output, execution.error, execution.path) == (
        "SUCCEEDED", {"y": 2}, None, ["T", "Done"])
    assert execution.output_json == '{"y":2}'
    assert execution.succeeded
    with pytest.raises(ValueError, match="start_time 'noon' is not an RFC 3339 timestamp"):
        run(machine({"T": task()}), {}, start_time="noon")


def test_testing_run_takes_a_file_name_as_str_or_path() -> None:
    from pathlib import Path

    from asl_lint.testing import run

    definition = FIXTURES / "lambda-sqs" / "LambdaSQSIntegration.asl.json"
    mocks = {"LambdaState": {"Return": {"Payload": 1}}, "SQSState": {"Return": {"MessageId": "m"}}}
    for given in (str(definition), Path(definition)):
        assert run(given, mocks=mocks).output == {"MessageId": "m"}


def test_a_folder_without_suites_says_so(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, str(tmp_path))
    assert code == 0
    assert out == ("No test suites found (files named *.sfn-test.yaml, *.sfn-test.yml or *.sfn-test.json).\n"
                   "0 cases in 0 suites: 0 passed, 0 failed (0.00s)\n")
