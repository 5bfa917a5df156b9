"""``--input-schema``: enum, const and numeric bounds constrain the Choice analysis (ASL701/ASL703)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asl_lint.config import Config
from tests.helpers import findings, lint

NEVER = ("Choices[{i}] can never match: no input satisfies it (given what earlier states produce); fix or remove it")


def _route(*rules: dict[str, Any], default: bool = True) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Choice", "Choices": [dict(r, Next="Done") for r in rules]}
    if default:
        state["Default"] = "Done"
    return {"StartAt": "Route", "States": {"Route": state, "Done": {"Type": "Succeed"}}}


def _with_schema(tmp_path: Path, definition: dict[str, Any], properties: dict[str, Any], code: str) -> list[Any]:
    schema = tmp_path / "input.json"
    schema.write_text(json.dumps({"type": "object", "required": sorted(properties), "properties": properties}))
    return findings(lint(definition, config=Config(input_schema=str(schema))), code)


@pytest.mark.parametrize(("prop", "rule"), [
    ({"enum": ["retail", "wholesale"]}, {"Variable": "$.kind", "StringEquals": "gift"}),
    ({"const": "retail"}, {"Variable": "$.kind", "StringEquals": "gift"}),
    ({"type": "number", "minimum": 0}, {"Variable": "$.kind", "NumericLessThan": 0}),
    ({"type": "integer", "exclusiveMinimum": 0}, {"Variable": "$.kind", "NumericLessThanEquals": 0}),
    ({"type": "number", "maximum": 100}, {"Variable": "$.kind", "NumericGreaterThan": 100}),
    ({"type": "number", "exclusiveMaximum": 100}, {"Variable": "$.kind", "NumericGreaterThanEquals": 100}),
    ({"type": "number", "minimum": 5, "exclusiveMinimum": True}, {"Variable": "$.kind", "NumericEquals": 5}),
])
def test_schema_constraints_make_a_rule_impossible(tmp_path: Path, prop: dict[str, Any],
                                                   rule: dict[str, Any]) -> None:
    definition = _route(rule)
    assert findings(lint(definition), "ASL701") == []  # without the schema anything is possible
    assert _with_schema(tmp_path, definition, {"kind": prop}, "ASL701") == [(7, 9, 11, 10, NEVER.format(i=0))]


@pytest.mark.parametrize(("prop", "rule"), [
    ({"enum": ["retail", "wholesale"]}, {"Variable": "$.kind", "StringEquals": "wholesale"}),
    ({"type": "number", "minimum": 0}, {"Variable": "$.kind", "NumericEquals": 0}),
    ({"type": "number", "exclusiveMaximum": 100}, {"Variable": "$.kind", "NumericGreaterThan": 99.5}),
    ({"enum": [1, "one"]}, {"Variable": "$.kind", "StringEquals": "one"}),
])
def test_values_the_schema_allows_stay_possible(tmp_path: Path, prop: dict[str, Any], rule: dict[str, Any]) -> None:
    assert _with_schema(tmp_path, _route(rule), {"kind": prop}, "ASL701") == []


def test_enum_covered_by_the_rules_needs_no_default(tmp_path: Path) -> None:
    definition = _route({"Variable": "$.kind", "StringEquals": "retail"},
                        {"Variable": "$.kind", "StringEquals": "wholesale"}, default=False)
    assert [f[0] for f in findings(lint(definition), "ASL703")] == [6]  # some input matches no rule
    assert _with_schema(tmp_path, definition, {"kind": {"enum": ["retail", "wholesale"]}}, "ASL703") == []
