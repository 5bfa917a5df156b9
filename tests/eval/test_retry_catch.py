"""Retry/Catch matching and their effect in executions and TestState."""

from __future__ import annotations

import json

import pytest

from asl_lint.eval import run_execution
from asl_lint.eval import test_state as offline_test_state
from asl_lint.eval.retry import backoff_seconds, error_matches, find_match
from tests.eval.helpers import machine, run_ok


@pytest.mark.parametrize(
    ("names", "error", "expected"),
    [
        (["States.ALL"], "Custom", True),
        (["States.ALL"], "States.Timeout", True),
        (["States.ALL"], "States.Runtime", False),
        (["States.Runtime"], "States.Runtime", False),
        (["States.TaskFailed"], "Lambda.Unknown", True),
        (["States.TaskFailed"], "States.Timeout", False),
        (["States.Timeout"], "States.Timeout", True),
        (["A", "B"], "B", True),
        (["A"], "a", False),
        (["A"], None, False),
        (["States.ALL"], None, True),
    ],
)
def test_error_matches(names: list[str], error: str | None, expected: bool) -> None:
    assert error_matches(names, error) is expected


def test_find_match_takes_the_first_matching_handler() -> None:
    handlers = [
        {"ErrorEquals": ["X"]},
        {"ErrorEquals": ["States.TaskFailed"]},
        {"ErrorEquals": ["States.ALL"]},
    ]
    assert find_match(handlers, "Y") == 1
    assert find_match(handlers, "States.Timeout") == 2
    assert find_match(handlers, "X") == 0
    assert find_match(None, "X") is None


def test_backoff() -> None:
    assert backoff_seconds({"IntervalSeconds": 1, "BackoffRate": 2.0}, 4) == 16
    assert backoff_seconds({}, 0) == 1
    assert backoff_seconds({"IntervalSeconds": 3, "BackoffRate": 2, "MaxDelaySeconds": 5}, 3) == 5
    assert backoff_seconds({"IntervalSeconds": 1, "BackoffRate": 1.5}, 1) == 1.5


def _task_machine(**extra: object) -> dict[str, object]:
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True, **extra}
    return machine({"Work": task, "Handler": {"Type": "Pass", "End": True}})


def test_caught_error_output_goes_to_result_path() -> None:
    definition = _task_machine(
        Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handler"}]
    )
    mocks = {"Work": {"errorOutput": {"error": "Boom", "cause": "bad"}}}
    assert run_ok(definition, {"a": 1}, mocks=mocks) == {"a": 1, "err": {"Error": "Boom", "Cause": "bad"}}


def test_retries_exhaust_then_fail_with_the_task_error() -> None:
    definition = _task_machine(Retry=[{"ErrorEquals": ["Boom"], "MaxAttempts": 2}])
    result = run_execution(definition, {}, mocks={"Work": {"errorOutput": {"error": "Boom", "cause": "c"}}})
    assert result == {"status": "FAILED", "error": "Boom", "cause": "c"}


def test_catch_does_not_catch_states_runtime() -> None:
    definition = _task_machine(
        ResultSelector={"x.$": "$.missing"}, Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handler"}]
    )
    result = run_execution(definition, {}, mocks={"Work": {"ok": True}})
    assert result["error"] == "States.Runtime"


def test_task_without_mock_fails_clearly() -> None:
    result = run_execution(_task_machine(), {})
    assert result["status"] == "FAILED"
    assert result["error"] == "AslLint.NoMock"
    assert "--mock 'Work=JSON'" in result["cause"]


def test_mock_result_flows_through_result_selector() -> None:
    definition = _task_machine(ResultSelector={"v.$": "$.Payload.v"}, ResultPath="$.out")
    assert run_ok(definition, {"in": 1}, mocks={"Work": {"Payload": {"v": 5}}}) == {"in": 1, "out": {"v": 5}}


MOCK_ERROR = {"errorOutput": {"error": "MockException", "cause": "Mock the cause of the error."}}
RETRY_STATE = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "f"},
    "Retry": [{"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 2.0}],
    "Catch": [{"ErrorEquals": ["Other"], "Next": "A"}, {"ErrorEquals": ["States.ALL"], "Next": "B"}],
    "End": True,
}


def test_test_state_retriable_reports_backoff() -> None:
    response = offline_test_state(
        RETRY_STATE,
        {},
        mock=MOCK_ERROR,
        inspection_level="DEBUG",
        state_configuration={"retrierRetryCount": 4},
    )
    assert response["status"] == "RETRIABLE"
    assert response["error"] == "MockException"
    assert response["inspectionData"]["errorDetails"] == {"retryBackoffIntervalSeconds": 16, "retryIndex": 0}
    assert "output" not in response and "nextState" not in response


def test_test_state_caught_after_retries_exhausted() -> None:
    response = offline_test_state(
        RETRY_STATE,
        {"a": 1},
        mock=MOCK_ERROR,
        inspection_level="DEBUG",
        state_configuration={"retrierRetryCount": 5},
    )
    assert response["status"] == "CAUGHT_ERROR"
    assert response["nextState"] == "B"
    assert response["inspectionData"]["errorDetails"] == {"catchIndex": 1}
    assert json.loads(response["output"]) == {
        "Error": "MockException",
        "Cause": "Mock the cause of the error.",
    }


def test_test_state_failed_when_nothing_matches() -> None:
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
    response = offline_test_state(state, {}, mock=MOCK_ERROR)
    assert response == {"status": "FAILED", "error": "MockException", "cause": "Mock the cause of the error."}
