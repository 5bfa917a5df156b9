"""Walking a JSONPath over JSON data the way Jayway does (matches, definite-path errors, filters)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from asl_lint.expr._jsonpath_ast import (
    Child,
    Descendant,
    FBool,
    FCompare,
    FExpr,
    FilterSeg,
    FLiteral,
    FNot,
    FPath,
    FRegex,
    Function,
    Index,
    Segment,
    Slice,
    Union,
    Wildcard,
    quote_name,
)


class NotFound(Exception):
    def __init__(self, detail: str) -> None:
        self.detail = detail


def _java_type(value: Any) -> str:
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        return "java.lang.Integer"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, list):
        return "java.util.ArrayList"
    return "null" if value is None else type(value).__name__


def _apply(seg: Segment, value: Any, loc: str, leaf: bool, strict: bool, root: Any) -> Iterator[tuple[Any, str]]:
    """Yield (match, jayway location) for one segment; ``strict`` = upstream definite (Jayway raises)."""
    if isinstance(seg, Child):
        here = f"{loc}[{quote_name(seg.name)}]"
        if not isinstance(value, Mapping):
            if strict:
                raise NotFound(
                    f"Expected to find an object with property [{quote_name(seg.name)}] in path {loc} "
                    f"but found '{_java_type(value)}'. This is not a json object according to the "
                    "JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
                )
            return
        if seg.name in value:
            yield value[seg.name], here
        elif not leaf and strict:
            raise NotFound(f"Missing property in path {here}")
        return
    if isinstance(seg, Index):
        if not isinstance(value, list):
            if strict:
                if value is None:
                    raise NotFound(f"The path {loc} is null")
                raise NotFound(
                    f"Filter: {seg.jayway()} can only be applied to arrays. Current context is: {_java_str(value)}"
                )
            return
        idx = seg.index + len(value) if seg.index < 0 else seg.index
        if 0 <= idx < len(value):
            yield value[idx], f"{loc}[{idx}]"
        return
    if isinstance(seg, Wildcard):
        if isinstance(value, Mapping):
            for k, v in value.items():
                yield v, f"{loc}[{quote_name(k)}]"
        elif isinstance(value, list):
            for k, v in enumerate(value):
                yield v, f"{loc}[{k}]"
        return
    if isinstance(seg, Union):
        for item in seg.items:
            if isinstance(item, str):
                if isinstance(value, Mapping) and item in value:
                    yield value[item], f"{loc}[{quote_name(item)}]"
            elif isinstance(value, list):
                idx = item + len(value) if item < 0 else item
                if 0 <= idx < len(value):
                    yield value[idx], f"{loc}[{idx}]"
        return
    if isinstance(seg, Slice):
        if isinstance(value, list):
            for idx in _slice_indexes(seg, len(value)):
                if 0 <= idx < len(value):
                    yield value[idx], f"{loc}[{idx}]"
        return
    if isinstance(seg, FilterSeg):
        if isinstance(value, list):
            for k, v in enumerate(value):
                if _truth(seg.expr, v, root):
                    yield v, f"{loc}[{k}]"
        elif isinstance(value, Mapping) and _truth(seg.expr, value, root):
            yield value, loc
        return
    if isinstance(seg, Descendant):
        for node, node_loc in _preorder(value, loc):
            yield from _apply(seg.selector, node, node_loc, leaf, False, root)
        return
    raise TypeError(f"unsupported segment {seg!r}")  # pragma: no cover


def _slice_indexes(seg: Slice, length: int) -> range | list[int]:
    """Jayway's ArraySliceOperation: the step is ignored and a negative start inside [a:b] counts
    from the end element by element (so [-2:1] on 3 items yields indexes 1, 2, 0)."""
    if length == 0:
        return []
    if seg.stop is None:  # [a:]
        start = seg.start + length if seg.start is not None and seg.start < 0 else seg.start or 0
        return range(max(0, start), length)
    if seg.start is None:  # [:b]
        stop = seg.stop + length if seg.stop < 0 else seg.stop
        return range(0, min(length, stop))
    stop = min(length, seg.stop)
    return [i + length if i < 0 else i for i in range(seg.start, stop)]


def _preorder(value: Any, loc: str) -> Iterator[tuple[Any, str]]:
    yield value, loc
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _preorder(v, f"{loc}[{quote_name(k)}]")
    elif isinstance(value, list):
        for k, v in enumerate(value):
            yield from _preorder(v, f"{loc}[{k}]")


def _java_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def walk(segments: tuple[Segment, ...], data: Any, root: Any, *, strict: bool) -> list[tuple[Any, str]]:
    nodes: list[tuple[Any, str]] = [(data, "$")]
    upstream = strict
    last = len(segments) - 1
    for pos, seg in enumerate(segments):
        if isinstance(seg, Function):
            # A definite upstream hands the function its single value, otherwise the list of matches.
            if upstream:
                if not nodes:
                    return []
                target: Any = nodes[0][0]
            else:
                target = [v for v, _ in nodes]
            nodes = [(_function(seg, target), "$")]
            continue
        nxt: list[tuple[Any, str]] = []
        for value, loc in nodes:
            nxt.extend(_apply(seg, value, loc, pos == last, upstream, root))
        nodes = nxt
        upstream = upstream and seg.definite
    return nodes


def _number(values: list[Any]) -> list[float]:
    nums = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not nums:
        raise NotFound("Aggregation function attempted to calculate value using empty array")
    return nums


def _function(seg: Function, target: Any) -> Any:
    name = seg.name
    if name in ("length", "size"):
        if isinstance(target, list | str | Mapping):
            return len(target)
        raise NotFound(f"Function {name}() can not be applied to {_java_type(target)}")
    if name == "keys":
        if isinstance(target, Mapping):
            return list(target.keys())
        raise NotFound("Function keys() can only be applied to a JSON object")
    values = target if isinstance(target, list) else [target]
    if name in ("first", "last", "index"):
        if not values:
            raise NotFound(f"Function {name}() can not be applied to an empty array")
        if name == "index":
            return values[int(seg.args[0]) if seg.args else 0]
        return values[0] if name == "first" else values[-1]
    if name == "concat":
        return "".join(_java_str(v) for v in [*values, *seg.args])
    if name == "append":
        return [*values, *seg.args]
    nums = _number(values)
    if name == "min":
        return float(min(nums))
    if name == "max":
        return float(max(nums))
    if name == "sum":
        return float(sum(nums))
    mean = sum(nums) / len(nums)
    if name == "avg":
        return mean
    return math.sqrt(sum(x * x for x in nums) / len(nums) - mean * mean)  # stddev (population)


_MISSING = object()


def _operand(expr: FExpr, item: Any, root: Any) -> Any:
    if isinstance(expr, FLiteral):
        return expr.value
    if isinstance(expr, FPath):
        base = item if expr.root == "@" else root
        try:
            nodes = walk(expr.segments, base, root, strict=False)
        except NotFound:
            return _MISSING
        if not nodes:
            return _MISSING
        if all(s.definite for s in expr.segments) or isinstance(expr.segments[-1], Function):
            return nodes[0][0]
        return [v for v, _ in nodes]
    return _MISSING


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _json_eq(a: Any, b: Any) -> bool:
    if _is_num(a) and _is_num(b):
        return bool(a == b)
    if type(a) is not type(b) and not (isinstance(a, Mapping) and isinstance(b, Mapping)):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_json_eq(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping):
        return a.keys() == b.keys() and all(_json_eq(a[k], b[k]) for k in a)
    return bool(a == b)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return left is not _MISSING and _json_eq(left, right)
    if op == "!=":
        return not (left is not _MISSING and _json_eq(left, right))
    if left is _MISSING or right is _MISSING:
        return False
    if op in ("<", "<=", ">", ">="):
        if (_is_num(left) and _is_num(right)) or (isinstance(left, str) and isinstance(right, str)):
            return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
        return False
    if op in ("in", "nin"):
        found = isinstance(right, list) and any(_json_eq(left, r) for r in right)
        return found if op == "in" else not found
    if op == "contains":
        if isinstance(left, str) and isinstance(right, str):
            return right in left
        return isinstance(left, list) and any(_json_eq(x, right) for x in left)
    if op == "size":
        return isinstance(left, list | str) and _is_num(right) and len(left) == right
    if op == "empty":
        return isinstance(left, list | str) and (len(left) == 0) == bool(right)
    if not (isinstance(left, list) and isinstance(right, list)):
        return False
    if op == "subsetof":
        return all(any(_json_eq(x, y) for y in right) for x in left)
    if op == "anyof":
        return any(any(_json_eq(x, y) for y in right) for x in left)
    if op == "noneof":
        return not any(any(_json_eq(x, y) for y in right) for x in left)
    return False


@lru_cache(maxsize=256)
def _regex(pattern: str, flags: str) -> re.Pattern[str]:
    bits = 0
    for f, b in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if f in flags:
            bits |= b
    return re.compile(pattern, bits)


def _truth(expr: FExpr, item: Any, root: Any) -> bool:
    if isinstance(expr, FBool):
        if expr.op == "&&":
            return all(_truth(e, item, root) for e in expr.items)
        return any(_truth(e, item, root) for e in expr.items)
    if isinstance(expr, FNot):
        return not _truth(expr.item, item, root)
    if isinstance(expr, FCompare):
        left = _operand(expr.left, item, root)
        if isinstance(expr.right, FRegex):
            # Jayway uses Matcher.matches(): the whole string must match.
            rx = _regex(expr.right.pattern, expr.right.flags)
            return isinstance(left, str) and rx.fullmatch(left) is not None
        return _compare(expr.op, left, _operand(expr.right, item, root))
    if isinstance(expr, FPath):  # existence test
        return _operand(expr, item, root) is not _MISSING
    return False
