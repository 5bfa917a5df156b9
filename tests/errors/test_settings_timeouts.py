"""ASL404 invalid-retry-settings, ASL406 missing-timeout, ASL407 catch-discards-input."""

from __future__ import annotations

from typing import Any

import pytest

from asl_lint.diagnostics import Edit, Severity
from tests.errors.defs import WORKFLOW_STUDIO, as_json, as_yaml, lambda_task, machine
from tests.helpers import findings, lint, serious


def test_asl404_rejected_and_pointless_settings() -> None:
    retry = [
        {
            "ErrorEquals": ["Lambda.ServiceException"],
            "MaxAttempts": -1,
            "IntervalSeconds": 0,
            "BackoffRate": 0.5,
            "JitterStrategy": "HALF",
            "MaxDelaySeconds": 40000000,
        },
        {
            "ErrorEquals": ["Lambda.AWSLambdaException"],
            "MaxAttempts": 0,
            "IntervalSeconds": 3,
            "JitterStrategy": "FULL",
        },
        {"ErrorEquals": ["Lambda.SdkClientException"], "IntervalSeconds": 10, "MaxDelaySeconds": 5},
        {"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 5, "MaxDelaySeconds": 5},
        {
            "ErrorEquals": ["States.ALL"],
            "IntervalSeconds": 2,
            "BackoffRate": 1,
            "MaxDelaySeconds": 30,
            "MaxAttempts": 2.5,
        },
    ]
    diags = lint(as_json(machine({"Call": lambda_task(Retry=retry)})))
    where = "of retrier {} of 'Call'"
    assert findings(diags, "ASL404") == [
        (
            16,
            26,
            16,
            28,
            f"MaxAttempts {where.format(0)} is -1; it must be an integer from 0 to 99,999,999 (0 = never"
            " retry)",
        ),
        (
            17,
            30,
            17,
            31,
            f"IntervalSeconds {where.format(0)} is 0; it must be an integer from 1 to 99,999,999",
        ),
        (
            18,
            26,
            18,
            29,
            f"BackoffRate {where.format(0)} is 0.5; it must be 1.0 or more (1.0 = the same wait every time)",
        ),
        (19, 29, 19, 35, f"JitterStrategy {where.format(0)} is 'HALF'; it must be FULL or NONE"),
        (
            20,
            30,
            20,
            38,
            f"MaxDelaySeconds {where.format(0)} is 40000000; it must be an integer from 1 to 31,622,400",
        ),
        (
            26,
            26,
            26,
            27,
            "MaxAttempts 0 means retrier 1 of 'Call' never retries, so IntervalSeconds, JitterStrategy"
            " have no effect; remove them or set MaxAttempts above 0",
        ),
        (
            35,
            30,
            35,
            31,
            "MaxDelaySeconds (5) of retrier 2 of 'Call' is below IntervalSeconds (10): every retry waits"
            " 5 s and IntervalSeconds and BackoffRate have no effect; make MaxDelaySeconds larger than"
            " IntervalSeconds",
        ),
        (
            42,
            30,
            42,
            31,
            "MaxDelaySeconds (5) of retrier 3 of 'Call' equals IntervalSeconds, so every wait is capped"
            " at 5 s and BackoffRate 2 has no effect; raise MaxDelaySeconds or set BackoffRate to 1",
        ),
        (
            50,
            30,
            50,
            32,
            "MaxDelaySeconds of retrier 4 of 'Call' has no effect: with BackoffRate 1 every wait is"
            " IntervalSeconds (2 s); remove it or raise BackoffRate",
        ),
        (
            51,
            26,
            51,
            29,
            f"MaxAttempts {where.format(4)} is 2.5; it must be an integer from 0 to 99,999,999 (0 = never"
            " retry)",
        ),
    ]
    severities = [d.severity for d in diags if d.code == "ASL404"]
    assert severities == [Severity.ERROR] * 5 + [Severity.WARNING] * 4 + [Severity.ERROR]


def test_asl404_on_a_map_in_yaml() -> None:
    processor = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    state = {
        "Type": "Map",
        "ItemProcessor": processor,
        "End": True,
        "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.9}],
    }
    assert findings(lint(as_yaml(machine({"M": state})), "t.asl.yaml"), "ASL404") == [
        (
            15,
            20,
            15,
            23,
            "BackoffRate of retrier 0 of 'M' is 0.9; it must be 1.0 or more (1.0 = the same wait every time)",
        )
    ]


CALLBACK = {
    "Type": "Task",
    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "End": True,
    "Parameters": {
        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        "MessageBody": {"token.$": "$$.Task.Token"},
    },
}
ECS_SYNC = {
    "Type": "Task",
    "Resource": "arn:aws:states:::ecs:runTask.sync",
    "End": True,
    "Parameters": {"Cluster": "c", "TaskDefinition": "td"},
}
TAIL = (
    "it waits until the execution itself times out (up to a year for a Standard workflow); set TimeoutSeconds"
    " (and HeartbeatSeconds if the worker can send heartbeats)"
)


def test_asl406_callback_points_at_the_suffix() -> None:
    assert findings(lint(as_json(machine({"Wait": CALLBACK}))), "ASL406") == [
        (
            6,
            52,
            6,
            69,
            f"Task 'Wait' waits for a task token (.waitForTaskToken) with no TimeoutSeconds: if no answer"
            f" comes, {TAIL}",
        )
    ]


def test_asl406_activity_in_yaml() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:us-east-1:123456789012:activity:approve",
        "End": True,
    }
    assert findings(lint(as_yaml(machine({"Act": state})), "t.asl.yaml"), "ASL406") == [
        (
            5,
            15,
            5,
            69,
            f"Task 'Act' waits for an activity worker with no TimeoutSeconds: if no answer comes, {TAIL}",
        )
    ]


def test_asl406_sync_heartbeat_does_not_count() -> None:
    assert findings(lint(as_json(machine({"Run": {**ECS_SYNC, "HeartbeatSeconds": 60}}))), "ASL406") == [
        (
            6,
            48,
            6,
            53,
            "Task 'Run' waits for the job to finish (.sync) with no TimeoutSeconds: if the job hangs, it"
            " waits until the execution itself times out (up to a year for a Standard workflow); set"
            " TimeoutSeconds",
        )
    ]


def test_asl407_jsonpath_catcher_without_result_path() -> None:
    catch = [{"ErrorEquals": ["States.Timeout"], "Next": "F"}, {"ErrorEquals": ["States.ALL"], "Next": "H"}]
    states = {
        "Call": lambda_task(Retry=[WORKFLOW_STUDIO], Catch=catch),
        "F": {"Type": "Fail"},
        "H": {"Type": "Pass", "End": True},
    }
    diags = lint(as_json(machine(states)))
    assert findings(diags, "ASL407") == [
        (
            33,
            11,
            33,
            24,
            "Catcher 1 of 'Call' has no ResultPath, so the error output replaces the state input and 'H'"
            ' receives only the error; add "ResultPath": "$.error" to keep the input and add the error'
            " to it",
        )
    ]
    [diag] = [d for d in diags if d.code == "ASL407"]
    assert diag.severity == Severity.INFO
    assert diag.fix is not None and diag.fix.edits == (
        Edit("add", "/States/Call/Catch/1/ResultPath", "$.error"),
    )


def test_asl407_map_in_yaml() -> None:
    processor = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    state = {
        "Type": "Map",
        "ItemProcessor": processor,
        "End": True,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}],
    }
    diags = lint(as_yaml(machine({"M": state, "H": {"Type": "Pass", "End": True}})), "t.asl.yaml")
    assert findings(diags, "ASL407") == [
        (
            13,
            7,
            13,
            18,
            "Catcher 0 of 'M' has no ResultPath, so the error output replaces the state input and 'H'"
            ' receives only the error; add "ResultPath": "$.error" to keep the input and add the error to'
            " it",
        )
    ]


SILENT: dict[str, dict[str, Any]] = {
    "callback with heartbeat": machine({"Wait": {**CALLBACK, "HeartbeatSeconds": 60}}),
    "callback bounded by the execution timeout": machine({"Wait": CALLBACK}, TimeoutSeconds=3600),
    "sync with timeout": machine({"Run": {**ECS_SYNC, "TimeoutSeconds": 600}}),
    "athena bounds its own queries": machine(
        {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::athena:startQueryExecution.sync",
                "End": True,
                "Parameters": {"QueryString": "SELECT 1", "WorkGroup": "primary"},
            }
        }
    ),
    "jsonata timeout expression": machine(
        {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "End": True,
                "Arguments": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child"},
                "TimeoutSeconds": "{% $states.input.timeout %}",
            }
        },
        QueryLanguage="JSONata",
    ),
    "jsonata catcher": machine(
        {
            "Call": lambda_task(
                True, Retry=[WORKFLOW_STUDIO], Catch=[{"ErrorEquals": ["States.ALL"], "Next": "H"}]
            ),
            "H": {"Type": "Pass", "End": True},
        },
        QueryLanguage="JSONata",
    ),
    "catcher to a Fail state": machine(
        {
            "Call": lambda_task(
                Retry=[WORKFLOW_STUDIO], Catch=[{"ErrorEquals": ["States.ALL"], "Next": "F"}]
            ),
            "F": {"Type": "Fail"},
        }
    ),
    "good retrier": machine(
        {
            "Call": lambda_task(
                Retry=[
                    {
                        "ErrorEquals": ["States.ALL"],
                        "IntervalSeconds": 2,
                        "BackoffRate": 2,
                        "MaxDelaySeconds": 30,
                        "MaxAttempts": 5,
                        "JitterStrategy": "NONE",
                    }
                ]
            )
        }
    ),
}


@pytest.mark.parametrize("name", sorted(SILENT))
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_silent(name: str, fmt: str) -> None:
    definition = SILENT[name]
    text, path = (as_json(definition), "t.asl.json") if fmt == "json" else (as_yaml(definition), "t.asl.yaml")
    diags = lint(text, path)
    assert [d for d in diags if d.code in ("ASL404", "ASL406", "ASL407")] == []
    assert serious(diags) == []
