"""JSONPath Choice rules: every comparator, the *Path variants, Is* tests and And/Or/Not.

A comparison whose operand has the wrong type is simply false (as AWS does); a missing ``Variable``
is a ``States.Runtime`` failure, except for ``IsPresent``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from asl_lint.eval.errors import RUNTIME, StatesError

# resolve(path) -> (found, value); the caller decides how $, $$ and $var are read.
Resolver = Callable[[str], tuple[bool, Any]]

_ORDER = ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
_FAMILIES = ("String", "Numeric", "Timestamp")
COMPARATORS: frozenset[str] = frozenset(
    [f"{fam}{op}" for fam in _FAMILIES for op in _ORDER]
    + [f"{fam}{op}Path" for fam in _FAMILIES for op in _ORDER]
    + ["BooleanEquals", "BooleanEqualsPath", "StringMatches"]
    + ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]
)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _utf16(text: str) -> bytes:
    # Java compares strings by UTF-16 code units; big-endian bytes sort the same way.
    return text.encode("utf-16-be", "surrogatepass")


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "Equals":
        return bool(left == right)
    if op == "LessThan":
        return bool(left < right)
    if op == "GreaterThan":
        return bool(left > right)
    if op == "LessThanEquals":
        return bool(left <= right)
    return bool(left >= right)


@lru_cache(maxsize=256)
def _wildcard(pattern: str) -> re.Pattern[str]:
    """StringMatches: ``*`` matches any run of characters; ``\\*`` and ``\\\\`` are literals."""
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "*\\":
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if ch == "*" else re.escape(ch))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


def compare(operator: str, value: Any, operand: Any) -> bool:
    """Apply one comparison operator (literal form) to ``value``; wrong types give False."""
    if operator == "StringMatches":
        return (
            isinstance(value, str) and isinstance(operand, str) and bool(_wildcard(operand).fullmatch(value))
        )
    if operator == "BooleanEquals":
        return isinstance(value, bool) and isinstance(operand, bool) and value == operand
    for family in _FAMILIES:
        if operator.startswith(family):
            op = operator[len(family) :]
            if family == "String":
                if isinstance(value, str) and isinstance(operand, str):
                    return _compare(op, _utf16(value), _utf16(operand))
                return False
            if family == "Numeric":
                if _is_number(value) and _is_number(operand):
                    return _compare(op, value, operand)
                return False
            from asl_lint.eval.timestamps import parse_timestamp  # (fractions: only when needed)

            left, right = parse_timestamp(value), parse_timestamp(operand)
            if left is None or right is None:
                return False
            return _compare(op, left, right)
    raise ValueError(f"unknown comparison operator {operator!r}")


def type_test(operator: str, value: Any) -> bool:
    """The Is* tests on a present value (IsPresent is handled by the caller)."""
    if operator == "IsNull":
        return value is None
    if operator == "IsNumeric":
        return _is_number(value)
    if operator == "IsString":
        return isinstance(value, str)
    if operator == "IsBoolean":
        return isinstance(value, bool)
    if operator == "IsTimestamp":
        from asl_lint.eval.timestamps import parse_timestamp

        return parse_timestamp(value) is not None
    raise ValueError(f"unknown type test {operator!r}")


def bracket_path(path: str) -> str:
    """``$.a.b[0]`` → ``$['a']['b'][0]``, the normalised form AWS prints in 'No results' causes."""
    out = "$"
    for m in re.finditer(
        r"\.([^.\[\]]+)|\[(\d+)\]|\['([^']*)'\]", path[1:] if path.startswith("$") else path
    ):
        if m.group(1) is not None:
            out += f"['{m.group(1)}']"
        elif m.group(2) is not None:
            out += f"[{m.group(2)}]"
        else:
            out += f"['{m.group(3)}']"
    return out


def no_results(path: str) -> str:
    return f"Invalid path '{path}' : No results for path: {bracket_path(path)}"


def _resolve_required(resolve: Resolver, path: str) -> Any:
    found, value = resolve(path)
    if not found:
        raise StatesError(RUNTIME, no_results(path))
    return value


def evaluate_rule(rule: dict[str, Any], resolve: Resolver) -> bool:
    """True when a (JSONPath) Choice rule matches."""
    if "And" in rule:
        return all(evaluate_rule(r, resolve) for r in rule["And"])
    if "Or" in rule:
        return any(evaluate_rule(r, resolve) for r in rule["Or"])
    if "Not" in rule:
        return not evaluate_rule(rule["Not"], resolve)
    operator = next((k for k in rule if k in COMPARATORS), None)
    if operator is None:
        raise StatesError(RUNTIME, "Choice rule has no comparison operator")
    operand = rule[operator]
    variable = rule.get("Variable", "$")
    if operator == "IsPresent":
        found, _ = resolve(variable)
        return found == bool(operand)
    value = _resolve_required(resolve, variable)
    if operator.startswith("Is"):
        return type_test(operator, value) == bool(operand)
    if operator.endswith("Path"):
        operand = _resolve_required(resolve, operand)
        operator = operator[: -len("Path")]
    return compare(operator, value, operand)
