"""ErrorEquals matching, integration classification, the transient table and coverage."""

from __future__ import annotations

from typing import Any

import pytest

from asl_lint.config import RetryConfig
from asl_lint.errors import classify, matches, subsumed, transient_spec, uncovered_transients
from asl_lint.errors.table import load_table
from asl_lint.model import build_model
from asl_lint.model.machine import State


@pytest.mark.parametrize(
    ("pattern", "error", "expected"),
    [
        ("States.ALL", "Lambda.ServiceException", True),
        ("States.ALL", "States.Timeout", True),
        ("States.ALL", "States.Runtime", False),
        ("States.TaskFailed", "Lambda.ServiceException", True),
        ("States.TaskFailed", "States.Timeout", False),
        ("States.TaskFailed", "States.Permissions", True),
        ("States.Runtime", "States.Runtime", False),
        ("Lambda.ServiceException", "Lambda.ServiceException", True),
        ("lambda.serviceexception", "Lambda.ServiceException", False),
        ("DynamoDb.ThrottlingException", "DynamoDB.ThrottlingException", False),
    ],
)
def test_matches_like_aws(pattern: str, error: str, expected: bool) -> None:
    assert matches(pattern, error) is expected


def test_subsumed() -> None:
    assert subsumed("Foo", ["States.TaskFailed"])
    assert not subsumed("States.Timeout", ["States.TaskFailed"])
    assert not subsumed("States.ALL", ["States.TaskFailed"])
    assert subsumed("States.TaskFailed", ["States.ALL"])
    assert not subsumed("States.TaskFailed", ["Foo"])
    assert subsumed("Foo", ["Foo"])


@pytest.mark.parametrize(
    ("resource", "key", "pattern"),
    [
        ("arn:aws:states:::lambda:invoke", "lambda", ""),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda", "waitForTaskToken"),
        ("arn:${AWS::Partition}:states:::lambda:invoke", "lambda", ""),
        ("arn:aws:lambda:us-east-1:123456789012:function:f:live", "lambda", ""),
        ("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f", "lambda", ""),
        ("arn:aws:states:::http:invoke", "http", ""),
        ("arn:aws:states:::aws-sdk:s3:getObject", "aws-sdk:s3", ""),
        ("arn:aws-cn:states:::dynamodb:putItem", "dynamodb", ""),
        ("arn:aws:states:::states:startExecution.sync:2", "states", "sync:2"),
        ("arn:aws:states:us-east-1:123456789012:activity:approve", "activity", ""),
    ],
)
def test_classify(resource: str, key: str, pattern: str) -> None:
    integration = classify(resource)
    assert integration is not None
    assert (integration.key, integration.pattern) == (key, pattern)


@pytest.mark.parametrize(
    "resource", ["${FunctionArn}", "arn:aws:states:::${Service}:invoke", 42, "not an arn"]
)
def test_classify_unknown(resource: object) -> None:
    assert classify(resource) is None


def test_table_rows_have_sources() -> None:
    for key, row in load_table()["integrations"].items():
        for entry in row["required"] + row["also"]:
            assert entry["source"], key
            assert entry["basis"] in ("aws", "tooling", "observed", "inferred"), key


def test_config_extends_replaces_and_enables() -> None:
    default = RetryConfig()
    lam = transient_spec("lambda", default)
    assert lam is not None and lam.required == (
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
    )
    assert transient_spec("dynamodb", default) is None  # inferred names: off unless configured
    enabled = transient_spec("dynamodb", RetryConfig(transient_errors={"dynamodb": ()}))
    assert enabled is not None and "DynamoDB.ThrottlingException" in enabled.required
    extended = transient_spec("lambda", RetryConfig(transient_errors={"lambda": ("Lambda.Unknown",)}))
    assert extended is not None and extended.required[-1] == "Lambda.Unknown"
    assert "Lambda.Unknown" in extended.retrier["ErrorEquals"]
    assert transient_spec("lambda", RetryConfig(replace=("lambda",))) is None
    custom = transient_spec(
        "aws-sdk:s3", RetryConfig(transient_errors={"aws-sdk:s3": ("S3.SlowDownException",)})
    )
    assert custom is not None and custom.retrier["ErrorEquals"] == ["S3.SlowDownException"]


def _state(definition: Any, name: str) -> State:
    return next(s for s in build_model(definition).states if s.name == name)


LAMBDA = ("Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException")


def test_coverage_first_taker_and_zero_attempts() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "End": True,
        "Retry": [
            {"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 0},
            {"ErrorEquals": ["States.ALL"], "MaxAttempts": 3},
        ],
    }
    state = _state({"StartAt": "T", "States": {"T": task}}, "T")
    assert uncovered_transients(state, LAMBDA) == list(LAMBDA)
    task["Retry"] = [
        {"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 0},
        {"ErrorEquals": ["States.ALL"]},
    ]
    state = _state({"StartAt": "T", "States": {"T": task}}, "T")
    assert uncovered_transients(state, LAMBDA) == []  # named with 0 attempts: a deliberate choice


def test_coverage_through_enclosing_parallel_unless_caught() -> None:
    inner = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
    parallel = {
        "Type": "Parallel",
        "End": True,
        "Branches": [{"StartAt": "T", "States": {"T": inner}}],
        "Retry": [{"ErrorEquals": ["States.ALL"]}],
    }
    definition = {"StartAt": "P", "States": {"P": parallel}}
    assert uncovered_transients(_state(definition, "T"), LAMBDA) == []
    inner["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "T"}]
    assert uncovered_transients(_state(definition, "T"), LAMBDA) == list(LAMBDA)
