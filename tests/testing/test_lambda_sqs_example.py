"""AWS's "mocked service integrations" example for Step Functions Local, run offline.

https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html: a Lambda call retried
on States.ALL (IntervalSeconds 2, MaxAttempts 3, BackoffRate 2), then an SQS message; test cases
HappyPath, RetryPath (fails at invocations 0-2, succeeds at 3) and HybridPath (SQSState unmocked: Step
Functions Local would call the real SQS).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asl_lint.testing import run
from tests.testing.helpers import FIXTURES, cli, cli_json

EXAMPLE = FIXTURES / "lambda-sqs"
DEFINITION = EXAMPLE / "LambdaSQSIntegration.asl.json"
MOCKS = EXAMPLE / "MockConfigFile.json"
SQS_RESULT = {
    "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
    "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
}
LAMBDA_RESULT = {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}


def test_the_suite_passes_happy_and_retry_path_and_fails_hybrid_path_naming_the_unmocked_state(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = cli_json(capsys, str(EXAMPLE))
    assert code == 1
    cases = {case["name"]: case for case in report["cases"]}
    assert list(cases) == ["HappyPath", "RetryPath", "HybridPath"]
    happy, retry, hybrid = cases["HappyPath"], cases["RetryPath"], cases["HybridPath"]
    assert (happy["passed"], happy["status"], happy["output"], happy["retries"]) == (True, "SUCCEEDED", SQS_RESULT, 0)
    assert (retry["passed"], retry["status"], retry["output"], retry["retries"]) == (True, "SUCCEEDED", SQS_RESULT, 3)
    assert retry["duration"] == 14.0  # 2 + 4 + 8 seconds of backoff, simulated
    assert hybrid["passed"] is False
    assert hybrid["status"] == "FAILED"
    assert hybrid["error"] == "AslLint.NoMock"
    assert hybrid["failures"] == [{
        "field": "mocks",
        "message": "Task state 'SQSState' has no mocked response in test case 'HybridPath'. Step Functions Local "
        "would call the real service here; asl-lint never does. Map the state to a MockedResponses entry in the "
        "test case, or give it under the case's mocks.",
    }]
    assert hybrid["path"] == ["LambdaState", "SQSState"]


def test_text_report_names_the_unmocked_state(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, str(EXAMPLE / "lambda-sqs.sfn-test.yaml"))
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "  PASS    HappyPath   SUCCEEDED, 2 states, 0 retries, 0s simulated"
    assert lines[2] == "  PASS    RetryPath   SUCCEEDED, 2 states, 3 retries, 14s simulated"
    assert lines[3] == "  FAIL    HybridPath  FAILED, 2 states, 0 retries, 0s simulated"
    assert lines[4].startswith("          Task state 'SQSState' has no mocked response in test case 'HybridPath'.")
    assert lines[-1].startswith("3 cases in 1 suite: 2 passed, 1 failed (")


def test_happy_path_history_matches_the_documented_get_execution_history() -> None:
    execution = run(DEFINITION, mock_config=MOCKS, test_case="HappyPath", start_time="2021-12-02T19:39:48Z")
    assert execution.status == "SUCCEEDED"
    assert execution.output == SQS_RESULT
    events = {event["id"]: event for event in execution.history}
    # The ids the documentation shows: LambdaState entered at 2, its result at 5, SQSState entered at 7
    # with the Lambda result as input, the SQS result at 10.
    assert events[2]["type"] == "TaskStateEntered"
    assert events[2]["stateEnteredEventDetails"] == {"name": "LambdaState", "input": "{}",
                                                     "inputDetails": {"truncated": False}}
    assert events[5]["type"] == "TaskSucceeded"
    assert json.loads(events[5]["taskSucceededEventDetails"]["output"]) == LAMBDA_RESULT
    assert events[7]["type"] == "TaskStateEntered"
    assert events[7]["stateEnteredEventDetails"]["name"] == "SQSState"
    assert events[7]["stateEnteredEventDetails"]["input"] == (
        '{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}'
    )
    assert events[10] == {
        "timestamp": "2021-12-02T19:39:48.000000+00:00",
        "type": "TaskSucceeded",
        "id": 10,
        "previousEventId": 9,
        "taskSucceededEventDetails": {
            "resourceType": "sqs",
            "resource": "sendMessage",
            "output": '{"MD5OfMessageBody":"3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",'
            '"MessageId":"3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}',
            "outputDetails": {"truncated": False},
        },
    }
    assert [e["type"] for e in execution.history] == [
        "ExecutionStarted",
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
        "ExecutionSucceeded",
    ]


def test_retry_path_takes_each_mocked_invocation_in_turn_with_backoff_on_the_virtual_clock() -> None:
    execution = run(DEFINITION, mock_config=MOCKS, test_case="RetryPath", start_time="2024-01-01T00:00:00Z")
    assert execution.status == "SUCCEEDED"
    failed = [(e["taskFailedEventDetails"]["error"], e["timestamp"][11:19]) for e in execution.history
              if e["type"] == "TaskFailed"]
    assert failed == [
        ("Lambda.ResourceNotReadyException", "00:00:00"),
        ("Lambda.TimeoutException", "00:00:02"),
        ("Lambda.TimeoutException", "00:00:06"),
    ]
    succeeded = [e for e in execution.history if e["type"] == "TaskSucceeded"]
    assert succeeded[0]["timestamp"] == "2024-01-01T00:00:14.000000+00:00"
    assert succeeded[0]["taskSucceededEventDetails"]["output"] == (
        '{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}'
    )
    assert execution.retries == 3
    assert execution.path == ["LambdaState", "SQSState"]  # a retry is not a new entry
    assert [e["type"] for e in execution.history].count("TaskStateEntered") == 2


def test_hybrid_path_with_a_mock_for_sqs_given_in_the_api_passes() -> None:
    execution = run(DEFINITION, mock_config=MOCKS, test_case="HybridPath", mocks={"SQSState": "MockedSQSSuccess"})
    assert (execution.status, execution.output) == ("SUCCEEDED", SQS_RESULT)


def test_retry_path_with_fewer_attempts_mocked_fails_naming_the_missing_invocation(tmp_path: Path) -> None:
    execution = run(
        DEFINITION,
        mocks={
            "LambdaState": {"0-3": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}}},
            "SQSState": {"Return": SQS_RESULT},
        },
    )
    # MaxAttempts 3 is used up at invocation 3, so the execution fails with the mocked error.
    assert (execution.status, execution.error, execution.cause) == ("FAILED", "Lambda.TimeoutException",
                                                                    "Lambda timed out.")
    short = run(DEFINITION, mocks={
        "LambdaState": {"0-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}}},
        "SQSState": {"Return": SQS_RESULT},
    })
    assert short.error == "AslLint.NoMock"
    assert short.cause == (
        "Task state 'LambdaState' was invoked 4 times, but its mocked response 'mocks.LambdaState' covers "
        "invocations 0-2 only: add one for invocation 3 (invocations are counted over the whole execution, "
        "retries and Map iterations included, from 0)."
    )
