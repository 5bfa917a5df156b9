"""ASL401 missing-transient-retry."""

from __future__ import annotations

from typing import Any

import pytest

from asl_lint.config import Config, RetryConfig
from asl_lint.diagnostics import Edit
from tests.errors.defs import (
    BEST_PRACTICE,
    HTTP_EXAMPLE,
    LAMBDA_ERRORS,
    WORKFLOW_STUDIO,
    as_json,
    as_yaml,
    http_task,
    lambda_task,
    machine,
)
from tests.helpers import findings, lint, serious

LAMBDA_LIST = "Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException"
ADVICE = (
    "add the retrier AWS recommends (ErrorEquals Lambda.ServiceException, Lambda.AWSLambdaException,"
    " Lambda.SdkClientException, Lambda.TooManyRequestsException, MaxAttempts 3, BackoffRate 2)"
)
NO_RETRY = f"Task 'Call' (lambda:invoke) has no Retry for the transient Lambda errors {LAMBDA_LIST}; {ADVICE}"
EXISTING = (
    f"No retrier of Task 'Call' retries the transient Lambda errors {LAMBDA_LIST}; add a retrier with"
    " MaxAttempts above 0 for them before the others"
)


def test_lambda_without_retry_points_at_resource_and_offers_the_retrier() -> None:
    diags = lint(as_json(machine({"Call": lambda_task()})))
    assert findings(diags, "ASL401") == [(6, 19, 6, 51, NO_RETRY)]
    [diag] = [d for d in diags if d.code == "ASL401"]
    assert diag.fix is not None
    assert diag.fix.edits == (Edit("add", "/States/Call/Retry", [WORKFLOW_STUDIO]),)


def test_jsonata_retry_without_the_service_errors_points_at_retry() -> None:
    retry = [{"ErrorEquals": ["Lambda.TooManyRequestsException"]}]
    text = as_json(machine({"Call": lambda_task(True, Retry=retry)}, QueryLanguage="JSONata"))
    diags = lint(text)
    assert findings(diags, "ASL401") == [(12, 7, 12, 14, EXISTING)]
    [diag] = [d for d in diags if d.code == "ASL401"]
    assert diag.fix is not None
    added = {**WORKFLOW_STUDIO, "ErrorEquals": LAMBDA_ERRORS}  # TooMany… is handled
    assert diag.fix.edits == (Edit("replace", "/States/Call/Retry", [added, *retry]),)


def test_retrier_with_zero_attempts_does_not_cover() -> None:
    diags = lint(
        as_json(machine({"Call": lambda_task(Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}])}))
    )
    assert findings(diags, "ASL401") == [(11, 7, 11, 14, EXISTING)]


def test_http_task_without_retry() -> None:
    diags = lint(as_json(machine({"Call": http_task()})))
    assert findings(diags, "ASL401") == [
        (
            6,
            19,
            6,
            49,
            (
                "Task 'Call' (HTTP Task) has no Retry for the transient HTTP Task errors"
                " States.Http.StatusCode.429, States.Http.StatusCode.502, States.Http.StatusCode.503,"
                " States.Http.StatusCode.504; add the retrier AWS recommends (ErrorEquals"
                " States.Http.StatusCode.429, States.Http.StatusCode.503,"
                " States.Http.StatusCode.504, States.Http.StatusCode.502, MaxAttempts 3, BackoffRate 2)"
            ),
        )
    ]


def test_lambda_inside_inline_map() -> None:
    processor = {"StartAt": "Call", "States": {"Call": lambda_task()}}
    diags = lint(as_json(machine({"M": {"Type": "Map", "ItemProcessor": processor, "End": True}})))
    assert findings(diags, "ASL401") == [(11, 25, 11, 57, NO_RETRY)]


def test_yaml_with_partition_placeholder_is_still_lambda() -> None:
    text = as_yaml(machine({"Call": lambda_task(Resource="arn:${AWS::Partition}:states:::lambda:invoke")}))
    assert findings(lint(text, "t.asl.yaml"), "ASL401") == [(5, 15, 5, 59, NO_RETRY)]


def test_configured_integration_is_checked() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
        "Parameters": {"Bucket": "b", "Key": "k"},
        "End": True,
    }
    text = as_json(machine({"Get": task}))
    assert findings(lint(text), "ASL401") == []
    config = Config(retry=RetryConfig(transient_errors={"aws-sdk:s3": ("S3.SlowDownException",)}))
    assert findings(lint(text, config=config), "ASL401") == [
        (
            6,
            19,
            6,
            58,
            (
                "Task 'Get' (aws-sdk:s3:getObject) has no Retry for the transient aws-sdk:s3 error"
                " S3.SlowDownException; add a retrier (ErrorEquals S3.SlowDownException,"
                " MaxAttempts 3, BackoffRate 2)"
            ),
        )
    ]


def test_replace_turns_lambda_off() -> None:
    config = Config(retry=RetryConfig(replace=("lambda",)))
    assert findings(lint(as_json(machine({"Call": lambda_task()})), config=config), "ASL401") == []


SILENT: dict[str, dict[str, Any]] = {
    "best practice retrier": machine({"Call": lambda_task(Retry=[BEST_PRACTICE])}),
    "workflow studio retrier": machine({"Call": lambda_task(Retry=[WORKFLOW_STUDIO])}),
    "States.ALL": machine({"Call": lambda_task(Retry=[{"ErrorEquals": ["States.ALL"]}])}),
    "States.TaskFailed": machine(
        {"Call": lambda_task(Retry=[{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1}])}
    ),
    "jsonata": machine({"Call": lambda_task(True, Retry=[WORKFLOW_STUDIO])}, QueryLanguage="JSONata"),
    "http example": machine({"Call": http_task(Retry=[HTTP_EXAMPLE])}),
    "retried by the enclosing parallel": machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "Call", "States": {"Call": lambda_task()}}],
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                "End": True,
            }
        }
    ),
    "explicitly not retried": machine(
        {
            "Call": lambda_task(
                Retry=[
                    {
                        "ErrorEquals": [
                            "Lambda.ServiceException",
                            "Lambda.AWSLambdaException",
                            "Lambda.SdkClientException",
                        ],
                        "MaxAttempts": 0,
                    }
                ]
            )
        }
    ),
    "sns is not checked by default": machine(
        {
            "Notify": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "hi"},
                "End": True,
            }
        }
    ),
}


@pytest.mark.parametrize("name", sorted(SILENT))
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_silent(name: str, fmt: str) -> None:
    definition = SILENT[name]
    text, path = (as_json(definition), "t.asl.json") if fmt == "json" else (as_yaml(definition), "t.asl.yaml")
    diags = lint(text, path)
    assert findings(diags, "ASL401") == []
    assert serious(diags) == []


def test_unknown_resource_is_silent() -> None:
    diags = lint(as_json(machine({"Call": lambda_task(Resource="${FunctionArn}")})))
    assert findings(diags, "ASL401") == []
    assert serious(diags) == []
