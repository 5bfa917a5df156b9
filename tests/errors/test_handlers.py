"""ASL402 error-all-not-last, ASL403 unreachable-handler, ASL405 non-retriable-error."""

from __future__ import annotations

from typing import Any

import pytest

from asl_lint.diagnostics import Edit
from tests.errors.defs import WORKFLOW_STUDIO, as_json, as_yaml, lambda_task, machine
from tests.helpers import findings, lint, serious


def _ship(**fields: Any) -> dict[str, Any]:
    return machine(
        {"Call": lambda_task(**fields, Next="Done"), "Done": {"Type": "Succeed"}, "Fail": {"Type": "Fail"}}
    )


def test_asl402_all_not_last_and_not_alone() -> None:
    retry = [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0}]
    catch = [{"ErrorEquals": ["States.ALL", "States.Timeout"], "ResultPath": "$.error", "Next": "Fail"}]
    diags = lint(as_json(_ship(Retry=retry, Catch=catch)))
    assert findings(diags, "ASL402") == [
        (
            14,
            13,
            14,
            25,
            "The States.ALL retrier of 'Call' must be the last in Retry, but 1 more follows it; move it"
            " to the end (AWS rejects the definition otherwise)",
        ),
        (
            26,
            26,
            29,
            12,
            "States.ALL must be alone in its ErrorEquals, but catcher 0 of 'Call' also lists"
            " States.Timeout; States.ALL already matches it, so keep only States.ALL (AWS rejects the"
            " definition otherwise)",
        ),
    ]
    fixes = {d.message[:20]: d.fix for d in diags if d.code == "ASL402"}
    assert fixes["The States.ALL retri"] is not None
    assert fixes["The States.ALL retri"].edits == (
        Edit("replace", "/States/Call/Retry", [retry[1], retry[0]]),
    )
    assert fixes["States.ALL must be a"] is not None
    assert fixes["States.ALL must be a"].edits == (
        Edit("replace", "/States/Call/Catch/0/ErrorEquals", ["States.ALL"]),
    )


def test_asl402_in_parallel_yaml() -> None:
    branch = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
    parallel = {
        "Type": "Parallel",
        "Branches": [branch],
        "End": True,
        "Catch": [
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "F"},
            {"ErrorEquals": ["States.BranchFailed"], "ResultPath": "$.e", "Next": "F"},
        ],
    }
    diags = lint(as_yaml(machine({"P": parallel, "F": {"Type": "Fail"}})), "t.asl.yaml")
    assert findings(diags, "ASL402") == [
        (
            15,
            9,
            15,
            19,
            "The States.ALL catcher of 'P' must be the last in Catch, but 1 more follows it; move it to"
            " the end (AWS rejects the definition otherwise)",
        )
    ]


def test_asl403_unreachable_names_and_entries() -> None:
    retry = [
        {"ErrorEquals": ["States.TaskFailed"]},
        {"ErrorEquals": ["Lambda.ServiceException", "States.Timeout"], "MaxAttempts": 5},
        {"ErrorEquals": ["Lambda.TooManyRequestsException"]},
    ]
    catch = [
        {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Fail"},
        {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.e", "Next": "Fail"},
    ]
    diags = lint(as_json(machine({"Call": lambda_task(Retry=retry, Catch=catch), "Fail": {"Type": "Fail"}})))
    assert findings(diags, "ASL403") == [
        (
            19,
            13,
            19,
            38,
            "Lambda.ServiceException never reaches retrier 1 of 'Call': Retry[0] (States.TaskFailed)"
            " already takes it; remove it here or move this retrier first",
        ),
        (
            25,
            11,
            25,
            24,
            "Retrier 2 of 'Call' can never run: Retry[0] (States.TaskFailed) already takes"
            " Lambda.TooManyRequestsException; move it before Retry[0] or remove it",
        ),
        (
            39,
            11,
            39,
            24,
            "Catcher 1 of 'Call' can never run: Catch[0] (States.Timeout) already takes States.Timeout;"
            " move it before Catch[0] or remove it",
        ),
    ]


def test_asl405_names_that_never_match() -> None:
    retry = [
        {
            "ErrorEquals": [
                "States.Runtime",
                "States.TaskFailedId",
                "States.DataLimitExceeded",
                "States.NoChoiceMatched",
                "States.Http.Socket",
            ]
        },
        {"ErrorEquals": ["States.ALL"]},
    ]
    catch = [{"ErrorEquals": ["States.Runtime"], "ResultPath": "$.e", "Next": "F"}]
    diags = lint(as_json(machine({"Call": lambda_task(Retry=retry, Catch=catch), "F": {"Type": "Fail"}})))
    assert findings(diags, "ASL405") == [
        (
            14,
            13,
            14,
            29,
            "States.Runtime is never retried, not even when named: Step Functions fails the execution"
            " at once (a bad path, a null input…); remove it from this retrier",
        ),
        (
            15,
            13,
            15,
            34,
            "States.TaskFailedId is not an error Step Functions raises, so it is never retried; did you"
            " mean States.TaskFailed?",
        ),
        (
            16,
            13,
            16,
            39,
            "States.DataLimitExceeded is never retried: AWS documents it as a terminal error, and a retry"
            " would only send the same oversized payload again; catch it instead",
        ),
        (
            17,
            13,
            17,
            37,
            "A Task never raises States.NoChoiceMatched (only Choice, Parallel or Map states do), so it"
            " is never retried",
        ),
        (
            18,
            13,
            18,
            33,
            "States.Http.Socket comes only from HTTP Tasks; Task 'Call' calls lambda:invoke, so it is"
            " never retried",
        ),
        (
            30,
            13,
            30,
            29,
            "States.Runtime is never caught, not even when named: Step Functions fails the execution at"
            " once (a bad path, a null input…); remove it from this catcher",
        ),
    ]


def test_asl405_prefix_spelling_of_each_integration_style() -> None:
    states = {
        "Put": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "t", "Item": {}},
            "Next": "Get",
            "Retry": [{"ErrorEquals": ["DynamoDb.ThrottlingException", "DynamoDb.RequestLimitExceeded"]}],
        },
        "Get": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
            "Parameters": {"TableName": "t", "Key": {}},
            "Next": "Run",
            "Retry": [
                {
                    "ErrorEquals": [
                        "DynamoDB.ThrottlingException",
                        "DynamoDb.RequestLimitExceeded",
                        "DynamoDb.ThrottlingException",
                    ]
                }
            ],
        },
        "Run": {
            "Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution",
            "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:x"},
            "Catch": [
                {"ErrorEquals": ["Sfn.ExecutionAlreadyExistsException"], "ResultPath": "$.e", "Next": "Ok"}
            ],
            "Next": "Ok",
        },
        "Ok": {"Type": "Succeed"},
    }
    assert findings(lint(as_json(machine(states))), "ASL405") == [
        (
            15,
            13,
            15,
            43,
            "DynamoDb.ThrottlingException is never retried: the optimized integration dynamodb:putItem"
            " names its errors DynamoDB.… (DynamoDb.… is the other integration style's spelling), so use"
            " DynamoDB.ThrottlingException",
        ),
        (
            16,
            13,
            16,
            44,
            "DynamoDb.RequestLimitExceeded is never retried: the optimized integration dynamodb:putItem"
            " names its errors DynamoDB.… (DynamoDb.… is the other integration style's spelling)",
        ),
        (
            32,
            13,
            32,
            43,
            "DynamoDB.ThrottlingException is never retried: the AWS SDK integration"
            " aws-sdk:dynamodb:getItem names its errors DynamoDb.… (DynamoDB.… is the other integration"
            " style's spelling), so use DynamoDb.ThrottlingException",
        ),
        (
            33,
            13,
            33,
            44,
            "DynamoDb.RequestLimitExceeded is never retried: AWS SDK integrations always end error names"
            " with Exception, so use DynamoDb.RequestLimitExceededException",
        ),
        (
            48,
            13,
            48,
            50,
            "Sfn.ExecutionAlreadyExistsException is never caught: the optimized integration"
            " states:startExecution names its errors StepFunctions.… (Sfn.… is the other integration"
            " style's spelling), so use StepFunctions.ExecutionAlreadyExistsException",
        ),
    ]


SILENT: dict[str, dict[str, Any]] = {
    "timeout then all": machine(
        {
            "Call": lambda_task(
                Retry=[{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0}, {"ErrorEquals": ["States.ALL"]}]
            )
        }
    ),
    "specific before TaskFailed": _ship(
        Retry=[WORKFLOW_STUDIO, {"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1}],
        Catch=[
            {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.e", "Next": "Fail"},
            {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.e", "Next": "Fail"},
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "Fail"},
        ],
    ),
    "States name raised by a Fail state": machine(
        {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Fail", "Error": "States.Custom"}}}],
                "Catch": [
                    {
                        "ErrorEquals": ["States.Custom", "States.NoChoiceMatched"],
                        "ResultPath": "$.e",
                        "Next": "Ok",
                    }
                ],
            },
            "Ok": {"Type": "Succeed"},
        }
    ),
    "custom error names": _ship(
        Retry=[WORKFLOW_STUDIO, {"ErrorEquals": ["CustomError", "Sandbox.Timedout"]}],
        Catch=[
            {"ErrorEquals": ["DataLimit", "States.DataLimitExceeded"], "ResultPath": "$.e", "Next": "Fail"}
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(SILENT))
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_silent(name: str, fmt: str) -> None:
    definition = SILENT[name]
    text, path = (as_json(definition), "t.asl.json") if fmt == "json" else (as_yaml(definition), "t.asl.yaml")
    diags = lint(text, path)
    assert [d for d in diags if d.code in ("ASL402", "ASL403", "ASL405")] == []
    assert serious(diags) == []


def test_asl405_case_typo_in_the_prefix() -> None:
    arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    retry = [WORKFLOW_STUDIO, {"ErrorEquals": ["LAMBDA.Unknown"]}]
    diags = lint(as_yaml(machine({"Call": lambda_task(Resource=arn, Retry=retry)})), "t.asl.yaml")
    assert findings(diags, "ASL405") == [
        (
            20,
            9,
            20,
            23,
            "LAMBDA.Unknown is never retried: error names are case-sensitive and Lambda function names its"
            " errors Lambda.…, so use Lambda.Unknown",
        )
    ]
