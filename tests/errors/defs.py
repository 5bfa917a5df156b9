"""Small definitions for the error-handling tests, rendered as JSON (indent 2) or YAML."""

from __future__ import annotations

import json
from typing import Any

import yaml

LAMBDA_ARN = "arn:aws:states:::lambda:invoke"
HTTP_ARN = "arn:aws:states:::http:invoke"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:work"
CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/api/0f8e1f5c-3c1d-4a47-9b0a-1a2b3c4d5e6f"
LAMBDA_ERRORS = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"]
# The retrier the best-practices page recommends and the one Workflow Studio adds.
BEST_PRACTICE = {
    "ErrorEquals": ["Lambda.ClientExecutionTimeoutException", *LAMBDA_ERRORS],
    "IntervalSeconds": 2,
    "MaxAttempts": 6,
    "BackoffRate": 2,
}
WORKFLOW_STUDIO = {
    "ErrorEquals": [*LAMBDA_ERRORS, "Lambda.TooManyRequestsException"],
    "IntervalSeconds": 1,
    "MaxAttempts": 3,
    "BackoffRate": 2,
    "JitterStrategy": "FULL",
}
HTTP_EXAMPLE = {
    "ErrorEquals": [
        "States.Http.StatusCode.429",
        "States.Http.StatusCode.503",
        "States.Http.StatusCode.504",
        "States.Http.StatusCode.502",
    ],
    "BackoffRate": 2,
    "IntervalSeconds": 1,
    "MaxAttempts": 3,
    "JitterStrategy": "FULL",
}


def lambda_task(jsonata: bool = False, **fields: Any) -> dict[str, Any]:
    task: dict[str, Any] = {"Type": "Task", "Resource": LAMBDA_ARN}
    if jsonata:
        task["Arguments"] = {"FunctionName": FUNCTION, "Payload": "{% $states.input %}"}
    else:
        task["Parameters"] = {"FunctionName": FUNCTION, "Payload.$": "$"}
    task.update(fields)
    if "Next" not in task:
        task["End"] = True
    return task


def http_task(**fields: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "Type": "Task",
        "Resource": HTTP_ARN,
        "Parameters": {
            "ApiEndpoint": "https://api.example.com/orders",
            "Method": "GET",
            "Authentication": {"ConnectionArn": CONNECTION},
        },
    }
    task.update(fields)
    task.setdefault("End", True)
    return task


def machine(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    return {**top, "StartAt": start or next(iter(states)), "States": states}


def as_json(definition: dict[str, Any]) -> str:
    return json.dumps(definition, indent=2) + "\n"


def as_yaml(definition: dict[str, Any]) -> str:
    return yaml.safe_dump(definition, sort_keys=False, width=1000)
