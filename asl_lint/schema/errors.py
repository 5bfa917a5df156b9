"""The errors jsonschema gives for an object of asl-lint's own schema, found without jsonschema.

``validator`` turns jsonschema's errors into ASL003–ASL005 messages (``messages.translate``), which
read of each error its keyword (``validator``), the keyword's value in the schema
(``validator_value``), the value at fault (``instance``), the schema object holding the keyword
(``schema``, for ``properties`` and ``x-allowed``) and where the value is (``absolute_path``).
Importing jsonschema costs ≈ 90 ms (``referencing``, ``rpds``, ``attrs``), paid by every run with
one schema problem, so this module walks the schema the way jsonschema's Draft 2020-12 validator
does — the same keywords in the same order, ``$ref`` and ``allOf`` descending in place,
``properties``, ``additionalProperties`` and ``items`` one level down, ``if``/``then``, and the
schema's three keywords of its own (``loader``) — and gives the same errors in the same order.

It knows the keywords asl-lint's schema uses; for any other, or a value that is not JSON, it
raises :class:`Unsupported` and ``validator`` asks jsonschema. ``tests/structure/test_schema_errors.py``
compares the two on every object of the corpus and on thousands of broken variants of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from asl_lint.schema.compiled import _equal, _Exotic, _json_type
from asl_lint.schema.loader import schema


class Unsupported(Exception):
    """A keyword (or value) this module does not judge the way jsonschema does: ask jsonschema."""


class Violation:
    """What ``messages.translate`` reads of a jsonschema ``ValidationError``."""

    __slots__ = ("absolute_path", "instance", "schema", "validator", "validator_value")

    def __init__(self, validator: str, validator_value: Any, instance: Any, schema: dict[str, Any],
                 absolute_path: tuple[str | int, ...]) -> None:
        self.validator = validator
        self.validator_value = validator_value
        self.instance = instance
        self.schema = schema
        self.absolute_path = absolute_path

    def __repr__(self) -> str:
        return f"Violation({self.validator!r} at {list(self.absolute_path)!r})"


def schema_errors(name: str, instance: Any) -> list[Violation]:
    """jsonschema's errors for ``instance`` against ``$defs/<name>``, in jsonschema's order.
    Raises :class:`Unsupported` where only jsonschema can say."""
    try:
        return list(_errors(schema()["$defs"][name], instance, ()))
    except _Exotic:
        raise Unsupported("a value that is not JSON") from None


_Errors = Iterator[Violation]
_Path = tuple[str | int, ...]

# Draft 2020-12 keywords this module does not evaluate: meeting one, jsonschema is asked.
_OTHER_VALIDATORS = frozenset({
    "$dynamicRef", "anyOf", "contains", "dependentRequired", "dependentSchemas", "exclusiveMaximum",
    "exclusiveMinimum", "format", "maxItems", "maxProperties", "multipleOf", "not", "oneOf",
    "patternProperties", "prefixItems", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
    "uniqueItems",
})


def _errors(node: Any, instance: Any, path: _Path) -> _Errors:
    if node is True:
        return
    if not isinstance(node, dict):
        raise Unsupported(f"schema {node!r}")
    for keyword, value in node.items():
        judge = _KEYWORDS.get(keyword)
        if judge is not None:
            yield from judge(value, instance, node, path)
        elif keyword in _OTHER_VALIDATORS:
            raise Unsupported(keyword)


def _valid(node: Any, instance: Any, path: _Path) -> bool:
    return next(_errors(node, instance, path), None) is None


def _own(keyword: str, failed: Callable[[Any, Any], bool]) -> Callable[[Any, Any, dict[str, Any], _Path], _Errors]:
    """A keyword that fails at the value itself: one error, when ``failed(value, instance)``."""
    def judge(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
        if failed(value, instance):
            yield Violation(keyword, value, instance, node, path)
    return judge


def _ref(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
    name = value.removeprefix("#/$defs/") if isinstance(value, str) else None
    defs = schema()["$defs"]
    if name is None or name == value or name not in defs:
        raise Unsupported(f"$ref {value!r}")
    yield from _errors(defs[name], instance, path)


def _type(value: Any, instance: Any) -> bool:
    names = (value,) if isinstance(value, str) else value
    return not any(_json_type(instance, name) for name in names)


def _required(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
    if _json_type(instance, "object"):
        for name in value:
            if name not in instance:  # one error per missing field, each with the whole list
                yield Violation("required", value, instance, node, path)


def _properties(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
    if _json_type(instance, "object"):
        for name, sub in value.items():
            if name in instance:
                yield from _errors(sub, instance[name], (*path, name))


def _additional(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
    if not _json_type(instance, "object"):
        return
    known = node.get("properties", {})
    extras = [name for name in instance if name not in known]
    if isinstance(value, dict):
        # (jsonschema takes them from a set; ``validator`` sorts the errors by path, and each
        # extra has a path of its own, so the order reported is the same)
        for name in extras:
            yield from _errors(value, instance[name], (*path, name))
    elif value is False:
        if extras:
            yield Violation("additionalProperties", value, instance, node, path)
    elif value is not True:
        raise Unsupported("additionalProperties")


def _items(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
    if _json_type(instance, "array"):
        if value is False:
            raise Unsupported("items: false")
        for index, item in enumerate(instance):
            yield from _errors(value, item, (*path, index))


def _all_of(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
    for sub in value:
        yield from _errors(sub, instance, path)


def _if(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
    if "else" in node:
        raise Unsupported("else")
    if "then" in node and _valid(value, instance, path):
        yield from _errors(node["then"], instance, path)


def _groups(keyword: str, at_most: bool, at_least: bool) -> Callable[[Any, Any, dict[str, Any], _Path], _Errors]:
    """``x-exclusive``, ``x-one-required``, ``x-any-required`` (``loader``): first every group with
    more than one field present (as ``x-exclusive``, naming those fields), then every group with
    none (naming the whole group)."""
    def judge(value: Any, instance: Any, node: dict[str, Any], path: _Path) -> _Errors:
        if not _json_type(instance, "object"):
            return
        if at_most:
            for group in value:
                present = [name for name in group if name in instance]
                if len(present) > 1:
                    yield Violation("x-exclusive", present, instance, node, path)
        if at_least:
            for group in value:
                if not any(name in instance for name in group):
                    yield Violation(keyword, list(group), instance, node, path)
    return judge


def _mismatch(pattern: str, instance: str) -> bool:
    return re.search(pattern, instance) is None


_KEYWORDS: dict[str, Callable[[Any, Any, dict[str, Any], _Path], _Errors]] = {
    "$ref": _ref,
    "type": _own("type", _type),
    "enum": _own("enum", lambda value, instance: all(not _equal(option, instance) for option in value)),
    "const": _own("const", lambda value, instance: not _equal(value, instance)),
    "minimum": _own("minimum", lambda value, instance: _json_type(instance, "number") and instance < value),
    "maximum": _own("maximum", lambda value, instance: _json_type(instance, "number") and instance > value),
    "minLength": _own("minLength", lambda value, instance: _json_type(instance, "string") and len(instance) < value),
    "maxLength": _own("maxLength", lambda value, instance: _json_type(instance, "string") and len(instance) > value),
    "minItems": _own("minItems", lambda value, instance: _json_type(instance, "array") and len(instance) < value),
    "minProperties": _own("minProperties",
                          lambda value, instance: _json_type(instance, "object") and len(instance) < value),
    "pattern": _own("pattern", lambda value, instance: _json_type(instance, "string") and _mismatch(value, instance)),
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "items": _items,
    "allOf": _all_of,
    "if": _if,
    "x-exclusive": _groups("x-exclusive", True, False),
    "x-one-required": _groups("x-one-required", True, True),
    "x-any-required": _groups("x-any-required", False, True),
}
