"""IAM Condition blocks, evaluated three-valued against a request context.

Semantics follow the IAM condition-operators page (docs/sources.md#iam-conditions):
operators AND, keys AND, values OR (NOR for negated operators), key names case-insensitive,
missing keys per the table there, ``...IfExists``, ``ForAnyValue:``/``ForAllValues:``, ``Null``.
A context value containing ``${...}`` is partly unknown; a key whose presence the caller cannot know
is UNKNOWN, never assumed present or absent.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from asl_lint.iam.glob import Tri, has_placeholder, match

ContextValue = str | list[str]
# (policy value, request value) -> match
_Cmp = Callable[[str, str], Tri]

_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NotIpAddress": "IpAddress",
}


def _tri(flag: bool) -> Tri:
    return Tri.YES if flag else Tri.NO


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str) -> float | None:
    num = _number(text)
    if num is not None:  # epoch seconds
        return num
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _ordered(parse: Callable[[str], float | None], test: Callable[[float, float], bool]) -> _Cmp:
    def cmp(policy: str, value: str) -> Tri:
        if has_placeholder(value):
            return Tri.UNKNOWN
        p, v = parse(policy), parse(value)
        if p is None or v is None:
            return Tri.NO
        return _tri(test(v, p))

    return cmp


def _ip(policy: str, value: str) -> Tri:
    if has_placeholder(value):
        return Tri.UNKNOWN
    try:
        return _tri(ipaddress.ip_address(value) in ipaddress.ip_network(policy, strict=False))
    except ValueError:
        return Tri.NO


def _binary(policy: str, value: str) -> Tri:
    if has_placeholder(value):
        return Tri.UNKNOWN
    try:
        return _tri(base64.b64decode(policy) == base64.b64decode(value))
    except ValueError:
        return _tri(policy == value)


def _bool(policy: str, value: str) -> Tri:
    if has_placeholder(value):
        return Tri.UNKNOWN
    return _tri(policy.lower() == value.lower())


_POSITIVE: dict[str, _Cmp] = {
    "StringEquals": lambda p, v: match(p, v, "equals"),
    "StringEqualsIgnoreCase": lambda p, v: match(p, v, "equals-ci"),
    "StringLike": lambda p, v: match(p, v, "like"),
    "ArnEquals": lambda p, v: match(p, v, "arn"),
    "ArnLike": lambda p, v: match(p, v, "arn"),
    "NumericEquals": _ordered(_number, lambda v, p: v == p),
    "NumericLessThan": _ordered(_number, lambda v, p: v < p),
    "NumericLessThanEquals": _ordered(_number, lambda v, p: v <= p),
    "NumericGreaterThan": _ordered(_number, lambda v, p: v > p),
    "NumericGreaterThanEquals": _ordered(_number, lambda v, p: v >= p),
    "DateEquals": _ordered(_date, lambda v, p: v == p),
    "DateLessThan": _ordered(_date, lambda v, p: v < p),
    "DateLessThanEquals": _ordered(_date, lambda v, p: v <= p),
    "DateGreaterThan": _ordered(_date, lambda v, p: v > p),
    "DateGreaterThanEquals": _ordered(_date, lambda v, p: v >= p),
    "Bool": _bool,
    "BinaryEquals": _binary,
    "IpAddress": _ip,
}

KNOWN_OPERATORS = frozenset(_POSITIVE) | frozenset(_NEGATED) | {"Null"}


def split_operator(op: str) -> tuple[str | None, str, bool]:
    """``ForAnyValue:StringLikeIfExists`` -> (``ForAnyValue``, ``StringLike``, True)."""
    qualifier = None
    if ":" in op:
        qualifier, op = op.split(":", 1)
    if_exists = op.endswith("IfExists") and op != "IfExists"
    if if_exists:
        op = op[: -len("IfExists")]
    return qualifier, op, if_exists


KeyLookup = Callable[[str], "list[str] | Tri | None"]


def _one_value(base: str, value: str, policy_values: Sequence[str]) -> Tri:
    """Does one request value satisfy the operator for any (NOR: none, when negated) policy value?"""
    positive = _NEGATED.get(base, base)
    cmp = _POSITIVE.get(positive)
    if cmp is None:
        return Tri.UNKNOWN
    hit = max((cmp(p, value) for p in policy_values), default=Tri.NO)
    return hit.negate() if base in _NEGATED else hit


def evaluate_key(op: str, policy_values: Sequence[str], present: list[str] | Tri | None) -> Tri:
    """One ``op: {key: values}`` entry. ``present`` is the request's values, None if the key is
    known to be absent, or Tri.UNKNOWN when presence itself is unknown."""
    qualifier, base, if_exists = split_operator(op)
    if isinstance(present, Tri):
        return Tri.UNKNOWN
    if base == "Null":
        want_absent = any(v.lower() == "true" for v in policy_values)
        return _tri((present is None) == want_absent)
    if base not in _POSITIVE and base not in _NEGATED:
        return Tri.UNKNOWN  # an operator we do not model: never decide on it
    if present is None:
        if if_exists or qualifier == "ForAllValues" or base in _NEGATED:
            return Tri.YES
        return Tri.NO
    results = [_one_value(base, v, policy_values) for v in present]
    if qualifier == "ForAllValues":
        return min(results, default=Tri.YES)
    return max(results, default=Tri.NO)


def evaluate_condition(
    condition: Mapping[str, Mapping[str, Sequence[str]]],
    lookup: KeyLookup,
    expand: Callable[[str], str | Tri | None],
) -> Tri:
    """AND over operators and keys. ``lookup(key)`` gives the request side; ``expand`` resolves
    policy variables in policy values (None: unresolvable, the value never matches)."""
    result = Tri.YES
    for op, keys in condition.items():
        for key, raw_values in keys.items():
            values: list[str] = []
            unknown = False
            for raw in raw_values:
                expanded = expand(raw)
                if isinstance(expanded, Tri):
                    unknown = True
                elif expanded is not None:
                    values.append(expanded)
            part = evaluate_key(op, values, lookup(key))
            if unknown:
                # An unknown policy value can only add hits (positive) or remove passes (negated).
                negated = split_operator(op)[1] in _NEGATED
                settled = Tri.NO if negated else Tri.YES
                part = part if part is settled else Tri.UNKNOWN
            result = min(result, part)
            if result is Tri.NO:
                return result
    return result


def normalise_context(context: Mapping[str, ContextValue]) -> dict[str, list[str]]:
    """Condition key names are case-insensitive: lower-case them; single values become lists."""
    return {k.lower(): ([v] if isinstance(v, str) else list(v)) for k, v in context.items()}
