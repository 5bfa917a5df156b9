"""``mock.fieldValidationMode``: checking a mocked result against the integration's output shape.

Only a few integrations' output shapes are known here (the ones AWS's own examples exercise);
a result for any other resource is accepted as is.
"""

from __future__ import annotations

from typing import Any

# A shape is a type name or a dict: {"type": ..., "members"/"member": ..., limits, "enum": [...]}.
Shape = dict[str, Any]

_S = {"type": "string"}
_INT = {"type": "integer"}
_NUM = {"type": "number"}
_ANY = {"type": "any"}

_CAPACITY: Shape = {
    "type": "object",
    "members": {
        "TableName": _S,
        "CapacityUnits": _NUM,
        "ReadCapacityUnits": _NUM,
        "WriteCapacityUnits": _NUM,
        "Table": _ANY,
        "LocalSecondaryIndexes": _ANY,
        "GlobalSecondaryIndexes": _ANY,
    },
}

_SHAPES: dict[str, Shape] = {
    "lambda:invoke": {
        "type": "object",
        "members": {
            "StatusCode": _INT,
            "FunctionError": _S,
            "LogResult": _S,
            "Payload": _ANY,
            "ExecutedVersion": _S,
        },
    },
    "events:putEvents": {
        "type": "object",
        "members": {
            "FailedEntryCount": _INT,
            "Entries": {
                "type": "array",
                "member": {
                    "type": "object",
                    "members": {"EventId": _S, "ErrorCode": _S, "ErrorMessage": _S},
                },
            },
        },
    },
    "dynamodb:putItem": {
        "type": "object",
        "members": {"Attributes": _ANY, "ConsumedCapacity": _CAPACITY, "ItemCollectionMetrics": _ANY},
    },
    "aws-sdk:kms:encrypt": {
        "type": "object",
        "members": {
            "CiphertextBlob": {"type": "string", "min_length": 1, "max_length": 6144},
            "KeyId": {"type": "string", "min_length": 1, "max_length": 2048},
            "EncryptionAlgorithm": {
                "type": "string",
                "enum": ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"],
            },
        },
    },
    "aws-sdk:lambda:getFunction": {
        "type": "object",
        "members": {
            "Configuration": {
                "type": "object",
                "members": {
                    "FunctionName": _S,
                    "MemorySize": {"type": "integer", "minimum": 128, "maximum": 10240},
                    "Timeout": {"type": "integer", "minimum": 1},
                },
            },
            "Code": _ANY,
            "Tags": _ANY,
            "Concurrency": _ANY,
        },
    },
    "aws-sdk:s3:getObject": {
        "type": "object",
        "members": {
            "Body": _ANY,
            "ContentLength": _INT,
            "ContentType": _S,
            "ETag": _S,
            "StorageClass": {
                "type": "string",
                "enum": [
                    "STANDARD",
                    "REDUCED_REDUNDANCY",
                    "STANDARD_IA",
                    "ONEZONE_IA",
                    "INTELLIGENT_TIERING",
                    "GLACIER",
                    "DEEP_ARCHIVE",
                    "OUTPOSTS",
                    "GLACIER_IR",
                    "SNOW",
                    "EXPRESS_ONEZONE",
                ],
            },
        },
    },
}

_TYPE_WORDS = {
    "string": "a string",
    "integer": "a number",
    "number": "a number",
    "array": "an array",
    "object": "an object",
}


def shape_for(resource: str) -> Shape | None:
    """The output shape of a Task ``Resource`` (``arn:aws:states:::<service>:<action>[.sync…]``)."""
    tail = resource.split(":::", 1)[1] if ":::" in resource else ""
    for suffix in (".sync:2", ".sync", ".waitForTaskToken"):
        if tail.endswith(suffix):
            tail = tail[: -len(suffix)]
    return _SHAPES.get(tail)


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "any":
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return kind == "number" or float(value).is_integer()
    if kind == "array":
        return isinstance(value, list)
    return isinstance(value, dict)


def _check(shape: Shape, value: Any, name: str) -> str | None:
    kind = shape["type"]
    if not _type_ok(kind, value):
        return f"Field '{name}' must be {_TYPE_WORDS[kind]}"
    if kind == "string":
        if len(value) < shape.get("min_length", 0):
            return f"Field '{name}' is smaller than the minimum length"
        if "max_length" in shape and len(value) > shape["max_length"]:
            return f"Field '{name}' is larger than the maximum length"
        if "enum" in shape and value not in shape["enum"]:
            return f"Field '{name}' is not an expected value"
    if kind in ("integer", "number"):
        if "minimum" in shape and value < shape["minimum"]:
            return f"Field '{name}' is less than the minimum value"
        if "maximum" in shape and value > shape["maximum"]:
            return f"Field '{name}' exceeds the maximum value"
    if kind == "array":
        for item in value:
            problem = _check(shape["member"], item, name)
            if problem:
                return problem
    if kind == "object":
        for key, member in shape.get("members", {}).items():
            if key in value:
                problem = _check(member, value[key], key)
                if problem:
                    return problem
    return None


def validate_mock_result(resource: str, result: Any, mode: str = "STRICT") -> str | None:
    """The validation problem AWS reports for this mocked result, or None when it is accepted."""
    if mode == "NONE":
        return None
    shape = shape_for(resource)
    if shape is None:
        return None
    problem = _check(shape, result, "result")
    return f"Mock result schema validation error: {problem}" if problem else None
