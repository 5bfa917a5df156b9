"""ASL JSONPath: parser (with exact offsets) and evaluator following AWS's Jayway JsonPath.

Roots: ``$`` (input), ``$$`` (context object), ``$name`` (workflow variable). The grammar and the
"definite path" rules follow Jayway JsonPath, which Step Functions uses; error texts reproduce
Jayway's ("No results for path: $['a']", "Missing property in path $['a']").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from asl_lint.expr._jsonpath_ast import (
    Child,
    Descendant,
    FilterSeg,
    Function,
    Index,
    Path,
    Segment,
    Slice,
    Union,
    Wildcard,
)
from asl_lint.expr._jsonpath_eval import NotFound, walk
from asl_lint.expr._jsonpath_parser import Parser
from asl_lint.expr.context import CONTEXT_FIELDS, check_context_path
from asl_lint.expr.errors import EvaluationError

__all__ = [
    "CONTEXT_FIELDS",
    "Child",
    "Descendant",
    "FilterSeg",
    "Function",
    "Index",
    "Path",
    "PathNotFound",
    "Segment",
    "Slice",
    "Union",
    "Wildcard",
    "check_context_path",
    "evaluate",
    "get_value",
    "is_definite",
    "parse_path",
    "set_value",
]


class PathNotFound(EvaluationError):
    """A definite path matched nothing (AWS: States.Runtime). ``detail`` is Jayway's message."""

    def __init__(self, path_text: str, detail: str) -> None:
        super().__init__("States.Runtime", f"Invalid path '{path_text}' : {detail}")
        self.path_text = path_text
        self.detail = detail


@lru_cache(maxsize=4096)
def parse_path(text: str) -> Path:
    """Parse an ASL JSONPath (``$``, ``$$`` or ``$var`` rooted). Raises ExprSyntaxError."""
    return Parser(text).parse()


def is_definite(path: Path) -> bool:
    """Jayway's definite path: no wildcard, descendant, filter, slice, union or script."""
    return path.is_definite


def _root_value(path: Path, data: Any, context: Any, variables: Mapping[str, Any] | None) -> Any:
    if path.root == "input":
        return data
    if path.root == "context":
        return context
    assert path.variable is not None
    if variables is None or path.variable not in variables:
        # A PathNotFound so callers handle it like any other unresolved path (States.Runtime).
        raise PathNotFound(path.text, f"The variable '{path.variable}' is not defined")
    return variables[path.variable]


def evaluate(path: Path, data: Any, *, context: Any = None, variables: Mapping[str, Any] | None = None) -> list[Any]:
    """All matches of ``path`` (a definite path gives 0 or 1). Never raises for missing data."""
    try:
        start = _root_value(path, data, context, variables)
    except PathNotFound:
        return []
    try:
        return [v for v, _ in walk(path.segments, start, data, strict=False)]
    except NotFound:
        return []


def get_value(path: Path, data: Any, *, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
    """The value as AWS reads it: the single match of a definite path, or the list of matches.

    Raises PathNotFound (States.Runtime, Jayway's message) when a definite path matches nothing.
    An indefinite path that matches nothing yields ``[]`` (Jayway returns an empty list).
    """
    start = _root_value(path, data, context, variables)
    definite = path.is_definite
    try:
        nodes = walk(path.segments, start, data, strict=definite)
    except NotFound as exc:
        raise PathNotFound(path.text, exc.detail) from None
    values = [v for v, _ in nodes]
    if not definite and not (path.segments and isinstance(path.segments[-1], Function)):
        return values
    if not values:
        raise PathNotFound(path.text, f"No results for path: {path.jayway()}")
    return values[0]


def set_value(path: Path, target: Any, value: Any) -> Any:
    """ResultPath semantics: a copy of ``target`` with ``value`` written at the reference path.

    Intermediate objects are created; ``$`` replaces the whole document. Raises EvaluationError
    (``States.ResultPathMatchFailure``) when the path runs into a non-object.
    """
    if path.root != "input" or not path.is_reference:
        raise EvaluationError(
            "States.ResultPathMatchFailure",
            f"ResultPath '{path.text}' must be a reference path rooted at '$'",
        )
    if not path.segments:
        return value

    def fail() -> EvaluationError:
        text = json.dumps(json.dumps(target, separators=(",", ":"), ensure_ascii=False), ensure_ascii=False)
        return EvaluationError(
            "States.ResultPathMatchFailure", f"Unable to apply ReferencePath {path.text} to input {text}"
        )

    def put(node: Any, segs: tuple[Segment, ...]) -> Any:
        seg, rest = segs[0], segs[1:]
        if isinstance(seg, Child):
            if node is None:
                node = {}
            if not isinstance(node, Mapping):
                raise fail()
            out = dict(node)
            out[seg.name] = put(out.get(seg.name), rest) if rest else value
            return out
        assert isinstance(seg, Index)
        if not isinstance(node, list):
            raise fail()
        idx = seg.index + len(node) if seg.index < 0 else seg.index
        if not 0 <= idx < len(node):
            raise fail()
        arr = list(node)
        arr[idx] = put(arr[idx], rest) if rest else value
        return arr

    if not isinstance(target, Mapping | list):
        raise fail()
    return put(target, path.segments)
