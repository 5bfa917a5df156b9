"""asl-lint's own ASL JSON Schema: a valid draft 2020-12 schema, one definition per state type,
validators compiled once, and consistent with the query-language tables of ASL004."""

from __future__ import annotations

import pytest

from asl_lint.model.machine import STATE_TYPES
from asl_lint.schema.language import JSONATA_FIELDS, JSONPATH_FIELDS
from asl_lint.schema.loader import definition, schema, validator_for
from asl_lint.schema.validator import fields_by_type, resource_problem, valid_timestamp


def test_schema_is_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("state_type", STATE_TYPES)
def test_every_state_type_has_a_closed_definition(state_type: str) -> None:
    found = definition(state_type)
    assert found["properties"]["Type"] == {"const": state_type}
    assert found["additionalProperties"] is False
    assert {"Type", "Comment", "QueryLanguage"} <= set(found["properties"])


def test_validators_are_compiled_once() -> None:
    assert validator_for("Task") is validator_for("Task")


def test_query_language_fields_exist_on_some_state_type() -> None:
    owners = fields_by_type()
    for name in (*JSONPATH_FIELDS, *JSONATA_FIELDS):
        assert owners.get(name), name


@pytest.mark.parametrize(("text", "ok"), [
    ("2026-01-31T23:59:00Z", True),
    ("2026-01-31T23:59:00.123456789+05:30", True),
    ("2016-12-05T21:29:29", False),  # no zone
    ("2016-12-05 21:29:29Z", False),  # no T
    ("2016-13-05T21:29:29Z", False),  # month 13
    ("2016-12-05T25:29:29Z", False),  # hour 25
    ("05-12-2016T21:29:29Z", False),
    ("2016-12-05t21:29:29z", False),  # lowercase
])
def test_rfc3339_timestamps(text: str, ok: bool) -> None:
    assert valid_timestamp(text) is ok


@pytest.mark.parametrize(("resource", "ok"), [
    ("arn:aws:states:::lambda:invoke", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn:7", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn:live_2", True),
    ("arn:aws-cn:states:::dynamodb:putItem", True),
    ("arn:aws:states:::aws-sdk:dynamodb:query", True),
    ("arn:aws:states:us-east-1:123456789012:activity:work", True),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn:", False),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn:a:b", False),
    ("arn:aws:states:::dynamodb:scan", False),
    ("lambda:invoke", False),
])
def test_resource_formats(resource: str, ok: bool) -> None:
    assert (resource_problem(resource) is None) is ok
