"""The execution input as the abstract domain sees it: unknown, or what a JSON Schema says
(``--input-schema``): required properties are present, optional ones may be absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from asl_lint.symbolic.domain import ALL, MAX_OPTIONS, TOP, AVal, Bounds, Member, of_value, type_of

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
    if "const" in schema:
        return of_value(schema["const"])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return _enum(schema["enum"], types)
    if types != frozenset({"object"}):
        return AVal(types, bounds=_bounds(schema) if "number" in types else None)
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


def _enum(values: list[Any], types: frozenset[str]) -> AVal:
    """One of the listed values (each of a type the schema allows): a few scalars are kept exactly."""
    allowed = [v for v in values if type_of(v) in types]
    if not allowed:
        return AVal(frozenset())  # no value satisfies the schema
    if len(allowed) == 1:
        return of_value(allowed[0])
    kinds = frozenset(type_of(v) for v in allowed)
    scalar = all(not isinstance(v, dict | list) for v in allowed)
    return AVal(kinds, options=tuple(allowed) if scalar and len(allowed) <= MAX_OPTIONS else None)


def _bounds(schema: dict[str, Any]) -> Bounds | None:
    """minimum/maximum and their exclusive forms (draft 6+ numbers, draft 4 booleans)."""
    def number(key: str) -> float | None:
        value = schema.get(key)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    low, high = number("minimum"), number("maximum")
    low_open = high_open = False
    for key, is_low in (("exclusiveMinimum", True), ("exclusiveMaximum", False)):
        raw = schema.get(key)
        if raw is True:  # draft 4: the bound beside it is exclusive
            low_open, high_open = (True, high_open) if is_low else (low_open, True)
        elif (value := number(key)) is not None:
            current = low if is_low else high
            tighter = current is None or (value >= current if is_low else value <= current)
            if is_low and tighter:
                low, low_open = value, True
            elif not is_low and tighter:
                high, high_open = value, True
    if low is None and high is None:
        return None
    return Bounds(low, low_open, high, high_open)
