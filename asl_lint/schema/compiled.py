"""A fast "no problem here" for the schema check, compiled once from ``asl.schema.json``.

Most objects of most definitions are valid. Asking ``jsonschema`` costs its import (≈ 0.1 s, a
cold one-file run's largest share) and a slow, reference-resolving walk for every state. This
module turns each ``$defs`` entry into nested Python closures that answer one question exactly:
would ``validator._run`` report nothing for this object? That is: every error jsonschema would
raise (Draft 2020-12 semantics of the keywords the schema uses, plus asl-lint's ``x-exclusive``,
``x-one-required`` and ``x-any-required``) is one that ``validator._tolerated`` drops
(placeholders, CloudFormation functions, JSONata expressions — never for the structural keywords).

When the answer is "clean", the object has no ASL003 finding and nothing else is asked; when it
is not, ``validator`` takes the errors jsonschema would give (``schema.errors``, or jsonschema
itself), so every message stays what it was. The answer is only ever "clean" when that is
certain: a value of a non-JSON Python type (a YAML date, say) or a keyword this compiler does not
know makes it say "not clean". ``tests/structure/test_compiled_schema.py`` checks it against
jsonschema on every object of the corpus and on generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from asl_lint.schema.loader import schema
from asl_lint.schema.validator import is_jsonata  # (validator imports this module when it runs)

# (instance, unknown, expressions, top) -> no surviving error. ``expressions``: JSONata values are
# tolerated (not under Retry); ``top``: the instance is the validated object itself.
Check = Callable[[Any, Callable[[Any], bool], bool, bool], bool]

# Keywords whose errors are never tolerated (validator._tolerated).
_STRUCTURAL = frozenset({"additionalProperties", "required", "x-exclusive", "x-one-required", "x-any-required"})
# Keywords that only annotate: jsonschema ignores them when validating.
_ANNOTATIONS = frozenset({"x-allowed", "description", "$comment", "title", "examples", "$schema", "$id", "$defs"})
_JSON_SCALARS = (str, int, float, bool, type(None))


class _Exotic(Exception):
    """A value that is not a JSON value: jsonschema's answer is left to jsonschema."""


def _tolerated(value: Any, unknown: Callable[[Any], bool], expressions: bool) -> bool:
    if unknown(value):
        return True
    if isinstance(value, dict):
        if len(value) == 1:
            key = next(iter(value))
            if not isinstance(key, str):
                raise _Exotic  # validator.is_cfn_intrinsic would fail on it: leave it to the slow path
            return key == "Ref" or key.startswith("Fn::")
        return False
    return expressions and is_jsonata(value)


def _json_type(value: Any, name: str) -> bool:
    """jsonschema's Draft 2020-12 type checker, for JSON values."""
    kind = type(value)
    if kind is dict:
        return name == "object"
    if kind is list:
        return name == "array"
    if kind is str:
        return name == "string"
    if kind is bool:
        return name == "boolean"
    if value is None:
        return name == "null"
    if kind is int:
        return name in ("integer", "number")
    if kind is float:
        return name == "number" or (name == "integer" and value.is_integer())
    raise _Exotic


_EXACT_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,), "null": (type(None),),
    "integer": (int,), "number": (int, float)}


def _equal(const: Any, value: Any) -> bool:
    """jsonschema's ``equal`` for a scalar constant of the schema (no bool/int confusion)."""
    if isinstance(const, str) or isinstance(value, str):
        return bool(const == value)
    if isinstance(const, bool) or isinstance(value, bool):
        return type(const) is type(value) and const == value
    if type(value) not in _JSON_SCALARS:
        if isinstance(value, dict | list):
            return False
        raise _Exotic
    return bool(const == value)


class _Compiler:
    def __init__(self, root: dict[str, Any], strict: bool) -> None:
        self.defs: dict[str, Any] = root["$defs"]
        self.strict = strict  # the ``if`` of if/then: plain validity, nothing tolerated
        self.compiled: dict[str, Check] = {}

    def ref(self, target: str) -> Check:
        name = target.removeprefix("#/$defs/")
        if name == target or name not in self.defs:
            raise NotImplementedError(f"$ref {target}")
        if name not in self.compiled:
            slot: list[Check] = []
            self.compiled[name] = lambda v, u, e, t: slot[0](v, u, e, t)  # recursion: bound below
            slot.append(self.node(self.defs[name]))
        return self.compiled[name]

    def leaf(self, keyword: str, test: Callable[[Any], bool]) -> Check:
        """A keyword that fails at this very value: tolerated unless structural (or strict)."""
        if self.strict or keyword in _STRUCTURAL:
            return lambda v, u, e, t: test(v)
        return lambda v, u, e, t: test(v) or _tolerated(v, u, e)

    def node(self, node: Any) -> Check:
        if node is True or node == {}:
            return lambda v, u, e, t: True
        if not isinstance(node, dict):
            raise NotImplementedError(f"schema {node!r}")
        checks: list[Check] = []
        for keyword, arg in node.items():
            if keyword in _ANNOTATIONS or keyword == "then" or (keyword == "properties" and not arg):
                continue
            checks.append(self.keyword(keyword, arg, node))
        if not checks:
            return lambda v, u, e, t: True
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks
            return lambda v, u, e, t: first(v, u, e, t) and second(v, u, e, t)

        def every(v: Any, u: Any, e: bool, t: bool) -> bool:
            for check in checks:  # noqa: SIM110 - a loop, not all() over a generator: it runs per node
                if not check(v, u, e, t):
                    return False
            return True

        return every

    def keyword(self, keyword: str, arg: Any, node: dict[str, Any]) -> Check:
        if keyword == "$ref":
            return self.ref(arg)
        if keyword == "type":
            names = (arg,) if isinstance(arg, str) else tuple(arg)
            exact = frozenset(kind for name in names for kind in _EXACT_TYPES.get(name, ()))

            def typed(v: Any) -> bool:
                # (the Python types that are these JSON types whatever the value; a whole float
                # as an integer, a miss and a value of no JSON type take the general test)
                return type(v) in exact or any(_json_type(v, n) for n in names)

            return self.leaf(keyword, typed)
        if keyword in ("enum", "const"):
            options = tuple(arg) if keyword == "enum" else (arg,)
            if not all(isinstance(o, _JSON_SCALARS) for o in options):
                raise NotImplementedError(f"{keyword} with a non-scalar value")
            return self.leaf(keyword, lambda v: any(_equal(o, v) for o in options))
        if keyword in ("minimum", "maximum"):
            low = keyword == "minimum"

            def bound(v: Any) -> bool:
                if not _json_type(v, "number"):
                    return True
                return bool(v >= arg) if low else bool(v <= arg)

            return self.leaf(keyword, bound)
        if keyword in ("minLength", "maxLength", "minItems", "minProperties"):
            kind = {"minLength": "string", "maxLength": "string", "minItems": "array",
                    "minProperties": "object"}[keyword]
            if keyword == "maxLength":
                return self.leaf(keyword, lambda v: not _json_type(v, kind) or len(v) <= arg)
            return self.leaf(keyword, lambda v: not _json_type(v, kind) or len(v) >= arg)
        if keyword == "pattern":
            regex = re.compile(arg)
            return self.leaf(keyword, lambda v: not _json_type(v, "string") or regex.search(v) is not None)
        if keyword == "required":
            names = tuple(arg)
            return self.leaf(keyword, lambda v: not _json_type(v, "object") or all(n in v for n in names))
        if keyword in ("x-exclusive", "x-one-required", "x-any-required"):
            groups = tuple(tuple(g) for g in arg)
            most = keyword != "x-any-required"  # at most one of each group
            least = keyword != "x-exclusive"  # at least one of each group

            def groups_ok(v: Any) -> bool:
                if not _json_type(v, "object"):
                    return True
                for group in groups:
                    present = sum(1 for name in group if name in v)
                    if (most and present > 1) or (least and present == 0):
                        return False
                return True

            return self.leaf(keyword, groups_ok)
        if keyword == "properties":
            return self.properties(arg)
        if keyword == "additionalProperties":
            return self.additional(arg, node)
        if keyword == "items":
            inner = self.node(arg)

            def items(v: Any, u: Any, e: bool, t: bool) -> bool:
                if not _json_type(v, "array"):
                    return True
                return all(inner(item, u, e, False) for item in v)

            return items
        if keyword == "allOf":
            parts = [self.node(part) for part in arg]
            return lambda v, u, e, t: all(p(v, u, e, t) for p in parts)
        if keyword == "if":
            condition = _Compiler(schema(), strict=True).node(arg)
            then = self.node(node["then"]) if "then" in node else None
            if "else" in node:
                raise NotImplementedError("else")

            def if_then(v: Any, u: Any, e: bool, t: bool) -> bool:
                if then is None or not condition(v, u, e, t):
                    return True
                return then(v, u, e, t)

            return if_then
        raise NotImplementedError(keyword)

    def properties(self, arg: dict[str, Any]) -> Check:
        subs = {name: self.node(sub) for name, sub in arg.items()}

        def properties(v: Any, u: Any, e: bool, t: bool) -> bool:
            if type(v) is not dict:
                return not _json_type(v, "object")
            # (by the instance's members: a state has a few of the dozens its schema names; the
            # order does not matter, any failure or exotic value is "not clean" alike)
            for name, value in v.items():
                sub = subs.get(name)
                if sub is not None and not sub(value, u, e and not (t and name == "Retry"), False):
                    return False
            return True

        return properties

    def additional(self, arg: Any, node: dict[str, Any]) -> Check:
        if "patternProperties" in node:
            raise NotImplementedError("patternProperties")
        known = frozenset(node.get("properties", {}))
        if arg is True:
            return lambda v, u, e, t: True
        if arg is False:
            return self.leaf("additionalProperties",
                             lambda v: not _json_type(v, "object") or all(k in known for k in v))
        inner = self.node(arg)

        def extras(v: Any, u: Any, e: bool, t: bool) -> bool:
            if not _json_type(v, "object"):
                return True
            return all(inner(v[k], u, e and not (t and k == "Retry"), False) for k in v if k not in known)

        return extras


@cache
def _check_for(name: str) -> Check | None:
    try:
        return _Compiler(schema(), strict=False).ref(f"#/$defs/{name}")
    except NotImplementedError:
        return None


def clean(name: str, instance: Any, unknown: Callable[[Any], bool]) -> bool:
    """True when validating ``instance`` against ``$defs/<name>`` leaves no finding for certain."""
    check = _check_for(name)
    if check is None:
        return False
    try:
        return check(instance, unknown, True, True)
    except (_Exotic, TypeError, RecursionError):
        return False


def compiles(name: str) -> bool:
    """Whether ``$defs/<name>`` uses only keywords this module understands (a test asks it)."""
    return _check_for(name) is not None
