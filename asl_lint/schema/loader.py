"""Load asl-lint's ASL JSON Schema once and compile one validator per definition in ``$defs``.

The schema adds three keywords of its own (JSON Schema has no readable way to say them):
``x-exclusive`` (at most one field of each group), ``x-one-required`` (exactly one) and
``x-any-required`` (at least one). In their errors ``error.validator`` is the keyword and
``error.validator_value`` the field names concerned (the ones present, or the whole group).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = "asl.schema.json"


@cache
def schema() -> dict[str, Any]:
    # A plain path, not importlib.resources (≈ 10 ms of imports); the file ships as package data.
    text = Path(__file__).with_name(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def definition(name: str) -> dict[str, Any]:
    """The raw ``$defs`` entry (for field lists)."""
    found: dict[str, Any] = schema()["$defs"][name]
    return found


def _exclusive(validator: Any, groups: Any, instance: Any, _schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not validator.is_type(instance, "object"):
        return
    for group in groups:
        present = [name for name in group if name in instance]
        if len(present) > 1:
            yield ValidationError("exclusive", validator="x-exclusive", validator_value=present)


def _one_required(validator: Any, groups: Any, instance: Any, _schema: Any) -> Iterator[Any]:
    """Exactly one of each group: at most one (``x-exclusive``) and at least one."""
    from jsonschema import ValidationError

    yield from _exclusive(validator, groups, instance, _schema)
    if not validator.is_type(instance, "object"):
        return
    for group in groups:
        if not any(name in instance for name in group):
            yield ValidationError("one required", validator="x-one-required", validator_value=list(group))


def _any_required(validator: Any, groups: Any, instance: Any, _schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not validator.is_type(instance, "object"):
        return
    for group in groups:
        if not any(name in instance for name in group):
            yield ValidationError("any required", validator="x-any-required", validator_value=list(group))


@cache
def _validator_class() -> Any:
    from jsonschema import Draft202012Validator, validators

    return validators.extend(
        Draft202012Validator,
        {"x-exclusive": _exclusive, "x-one-required": _one_required, "x-any-required": _any_required},
    )


@cache
def validator_for(name: str) -> Any:
    """A compiled validator for ``$defs/<name>`` (compiled once per process)."""
    root = schema()
    wrapper = {"$schema": root["$schema"], "$defs": root["$defs"], "$ref": f"#/$defs/{name}"}
    return _validator_class()(wrapper)
