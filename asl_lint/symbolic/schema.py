"""The execution input as the abstract domain sees it: unknown, or what a JSON Schema says
(``--input-schema``): required properties are present, optional ones may be absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from asl_lint.symbolic.domain import ALL, TOP, AVal, Member

_JSON_TYPES = {"null", "boolean", "number", "integer", "string", "array", "object"}


def start_value(schema_file: str | None) -> AVal:
    if not schema_file:
        return TOP
    try:
        schema = json.loads(Path(schema_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return TOP
    return from_schema(schema, 0)


def from_schema(schema: Any, depth: int) -> AVal:
    if not isinstance(schema, dict) or depth > 8:
        return TOP
    if any(k in schema for k in ("$ref", "anyOf", "oneOf", "allOf", "not", "if")):
        return TOP  # composition: too rich to follow, stay unknown
    types = _types(schema.get("type"))
    if "const" in schema or "enum" in schema:
        return AVal(types)
    if types != frozenset({"object"}):
        return AVal(types)
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return AVal(types)
    required = schema.get("required")
    required = set(required) if isinstance(required, list) else set()
    members = {name: Member("yes" if name in required else "maybe", from_schema(sub, depth + 1))
               for name, sub in properties.items()}
    closed = schema.get("additionalProperties") is False and not schema.get("patternProperties")
    return AVal(types, members=members, closed=closed)


def _types(value: Any) -> frozenset[str]:
    names = value if isinstance(value, list) else [value] if isinstance(value, str) else None
    if not names or any(n not in _JSON_TYPES for n in names):
        return ALL
    return frozenset("number" if n == "integer" else n for n in names)
