"""Classify a Task's Resource into the integration it calls.

Placeholders (``${...}``) in the partition, Region or account do not hide the integration:
``arn:${AWS::Partition}:states:::lambda:invoke`` is still the Lambda integration. A placeholder
where the service or action should be makes the resource unclassifiable (None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Kind = Literal["lambda-function", "optimized", "aws-sdk", "http", "activity"]
Pattern = Literal["", "sync", "sync:2", "waitForTaskToken"]

# A component of an ARN: literal text or one or more placeholders standing for it.
_PART = r"(?:[^:$]|\$\{[^}]*\})*"
_STATES = re.compile(rf"^arn:{_PART}:states:{_PART}:{_PART}:(?P<rest>.+)$")
_LAMBDA = re.compile(rf"^arn:{_PART}:lambda:{_PART}:{_PART}:function:(?P<name>.+)$")
_SUFFIX = re.compile(r"\.(?P<pattern>sync(?::2)?|waitForTaskToken)$")
_WORD = re.compile(r"^[A-Za-z0-9-]+$")


@dataclass(frozen=True)
class Integration:
    """What a Task's Resource calls: its kind, service, action and pattern."""
    kind: Kind
    service: str  # lower-case service as written in the ARN ("lambda", "dynamodb", "s3", ...)
    action: str  # "invoke", "putItem", "" for function ARNs and activities
    pattern: Pattern = ""

    @property
    def key(self) -> str:
        """The transient-error table key: "lambda", "http", "dynamodb", "aws-sdk:s3", "activity"."""
        if self.kind == "lambda-function" or (self.kind == "optimized" and self.service == "lambda"):
            return "lambda"
        if self.kind == "aws-sdk":
            return f"aws-sdk:{self.service}"
        if self.kind in ("http", "activity"):
            return self.kind
        return self.service

    def describe(self) -> str:
        if self.kind == "lambda-function":
            return "Lambda function"
        if self.kind == "activity":
            return "activity"
        if self.kind == "http":
            return "HTTP Task"
        prefix = "aws-sdk:" if self.kind == "aws-sdk" else ""
        suffix = f".{self.pattern}" if self.pattern else ""
        return f"{prefix}{self.service}:{self.action}{suffix}"


def classify(resource: object) -> Integration | None:
    """The integration a Resource ARN calls, or None when it cannot be known."""
    if not isinstance(resource, str):
        return None
    return _classify(resource)


@lru_cache(maxsize=1024)  # a definition calls a few integrations from many states, asked by several checks
def _classify(resource: str) -> Integration | None:
    lam = _LAMBDA.match(resource)
    if lam:
        return Integration("lambda-function", "lambda", "")
    match = _STATES.match(resource)
    if not match:
        return None
    rest = match.group("rest")
    if rest.startswith("activity:"):
        return Integration("activity", "states", "")
    pattern: Pattern = ""
    suffix = _SUFFIX.search(rest)
    if suffix:
        pattern = suffix.group("pattern")  # type: ignore[assignment]
        rest = rest[: suffix.start()]
    parts = rest.split(":")
    if parts[0] == "aws-sdk" and len(parts) == 3 and _WORD.match(parts[1]) and _WORD.match(parts[2]):
        return Integration("aws-sdk", parts[1].lower(), parts[2], pattern)
    if len(parts) == 2 and _WORD.match(parts[0]) and _WORD.match(parts[1]):
        if parts == ["http", "invoke"]:
            return Integration("http", "http", "invoke", pattern)
        return Integration("optimized", parts[0].lower(), parts[1], pattern)
    return None
