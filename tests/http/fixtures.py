"""Builders for HTTP Task fixtures and exact positions of a piece of fixture text."""

from __future__ import annotations

import json
from typing import Any

CONN = "arn:aws:events:us-east-1:123456789012:connection/orders-api/1d2e7f40-5c1b-4e7a-9f55-8a3c1b2d4e6f"
HTTP = "arn:aws:states:::http:invoke"
# The retrier AWS's example uses: keeps ASL401 quiet in silent fixtures.
RETRY = [
    {
        "ErrorEquals": [
            "States.Http.StatusCode.429",
            "States.Http.StatusCode.502",
            "States.Http.StatusCode.503",
            "States.Http.StatusCode.504",
        ],
        "IntervalSeconds": 1,
        "MaxAttempts": 3,
        "BackoffRate": 2,
        "JitterStrategy": "FULL",
    }
]


def request(**fields: Any) -> dict[str, Any]:
    """A valid request (endpoint, method, connection) with `fields` added or replaced (None removes)."""
    base: dict[str, Any] = {
        "ApiEndpoint": "https://api.example.com/orders",
        "Method": "GET",
        "InvocationConfig": {"ConnectionArn": CONN},
    }
    for key, value in fields.items():
        key = key.replace("__", ".$") if key.endswith("__") else key
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def jsonpath(payload: Any, **state: Any) -> str:
    """A one-state JSONPath machine whose HTTP Task has `Parameters` = payload, as JSON text."""
    task = {"Type": "Task", "Resource": HTTP, "Parameters": payload, "Retry": RETRY, "End": True, **state}
    return json.dumps({"StartAt": "Call", "States": {"Call": task}}, indent=2)


def jsonata(payload: Any, **state: Any) -> str:
    """The same with a JSONata state and `Arguments` = payload."""
    task = {"Type": "Task", "Resource": HTTP, "Arguments": payload, "Retry": RETRY, "End": True, **state}
    return json.dumps({"QueryLanguage": "JSONata", "StartAt": "Call", "States": {"Call": task}}, indent=2)


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int, int, int]:
    """(line, column, endLine, endColumn) of the nth occurrence of `needle` (1-based, end exclusive)."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return _position(text, index) + _position(text, index + len(needle))


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
