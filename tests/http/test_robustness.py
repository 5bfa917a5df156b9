"""Malformed HTTP Tasks never crash a check (a crash would be ASL901); the schema rules report them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import lint
from tests.http.fixtures import jsonata, jsonpath, request

ODD_VALUES: list[Any] = [None, 1, 2.5, True, [], ["x"], {}, {"a": {"b": []}}, "", " ", "{%%}", "${X}", "$", "States.("]
FIELDS = [
    "ApiEndpoint",
    "Method",
    "InvocationConfig",
    "Authentication",
    "Headers",
    "QueryParameters",
    "RequestBody",
    "Transform",
]


@pytest.mark.parametrize("field", FIELDS)
def test_odd_field_values_do_not_crash(field: str) -> None:
    for value in ODD_VALUES:
        for build in (jsonpath, jsonata):
            payload = request(**{field: value}) if value is not None else request(**{field: None})
            payload.setdefault("Transform", {"RequestBodyEncoding": value, "RequestEncodingOptions": value})
            payload.setdefault("InvocationConfig", {"ConnectionArn": value})
            codes = [d.code for d in lint(build(payload))]
            assert "ASL901" not in codes, (field, value, codes)


@pytest.mark.parametrize("payload", [None, [], "text", 3, {"Headers": {"x": {"y": 1}}, "QueryParameters": "a=b"}])
def test_odd_payloads_do_not_crash(payload: Any) -> None:
    for build in (jsonpath, jsonata):
        assert "ASL901" not in [d.code for d in lint(build(payload))]
