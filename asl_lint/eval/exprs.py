"""The one place where the evaluator calls the expression layer (``asl_lint.expr``).

Keeping the calls here means the rest of ``eval`` sees a small, stable surface:
``read_path``, ``write_path``, ``call_intrinsic``, ``jsonata_body``, ``eval_jsonata``.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any


class PathMissing(Exception):
    """A JSONPath selected nothing."""


class _Undefined:
    def __repr__(self) -> str:
        return "UNDEFINED"


# Used only until asl_lint.expr.jsonata is importable.
_FALLBACK_UNDEFINED = _Undefined()


def undefined() -> Any:
    """JSONata's 'no value' sentinel."""
    try:
        from asl_lint.expr.jsonata import UNDEFINED
    except ImportError:  # pragma: no cover - expr layer not installed yet
        return _FALLBACK_UNDEFINED
    return UNDEFINED


@lru_cache(maxsize=2048)
def _parsed(text: str) -> Any:
    from asl_lint.expr.jsonpath import parse_path

    return parse_path(text)


def read_path(
    text: str, data: Any, *, context: Any = None, variables: dict[str, Any] | None = None
) -> Any:
    """Value of a JSONPath (``$``, ``$$`` or ``$var`` rooted); raises PathMissing when nothing matches."""
    try:
        from asl_lint.expr.jsonpath import PathNotFound, get_value
    except ImportError:  # pragma: no cover - TODO(asl_lint.expr.jsonpath): remove once it lands
        return _fallback_read(text, data, context, variables)
    try:
        return get_value(_parsed(text), data, context=context, variables=variables)
    except PathNotFound as exc:
        raise PathMissing(text) from exc


def write_path(text: str, target: Any, value: Any) -> Any:
    """ResultPath: ``value`` written into a copy of ``target`` at the reference path ``text``."""
    if text == "$":
        return value
    try:
        from asl_lint.expr.jsonpath import set_value
    except ImportError:  # pragma: no cover - TODO(asl_lint.expr.jsonpath): remove once it lands
        return _fallback_write(text, target, value)
    return set_value(_parsed(text), copy.deepcopy(target), value)


def looks_like_intrinsic(text: str) -> bool:
    from asl_lint.expr.intrinsics import looks_like_intrinsic as check

    return bool(check(text))


@lru_cache(maxsize=1024)
def _intrinsic(text: str) -> Any:
    from asl_lint.expr.intrinsics import parse_intrinsic

    return parse_intrinsic(text)


def call_intrinsic(
    text: str, data: Any, *, context: Any = None, variables: dict[str, Any] | None = None
) -> Any:
    """Evaluate an intrinsic call; raises ``asl_lint.expr.errors.EvaluationError`` on failure."""
    from asl_lint.expr.intrinsics import evaluate_call

    return evaluate_call(_intrinsic(text), data, context=context, variables=variables)


def jsonata_body(value: Any) -> str | None:
    """The expression inside ``{% … %}`` when ``value`` is exactly such a string, else None."""
    if not isinstance(value, str) or not (value.startswith("{%") and value.endswith("%}")) or len(value) < 4:
        return None
    try:
        from asl_lint.expr.jsonata import split_wrapper
    except ImportError:  # pragma: no cover
        return value[2:-2].strip()
    return split_wrapper(value)


def eval_jsonata(expression: str, bindings: dict[str, Any]) -> Any:
    """Evaluate JSONata; returns ``undefined()`` for no value; raises EvaluationError on failure."""
    from asl_lint.expr.jsonata import evaluate_jsonata

    return evaluate_jsonata(expression, bindings)


# --- minimal fallback for reference paths while asl_lint.expr.jsonpath is missing -----------------
_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\['([^']*)'\]|\[\"([^\"]*)\"\]")


def _steps(rest: str) -> list[str | int]:
    steps: list[str | int] = []
    pos = 0
    while pos < len(rest):
        m = _STEP.match(rest, pos)
        if m is None:
            raise PathMissing(rest)
        if m.group(2) is not None:
            steps.append(int(m.group(2)))
        else:
            steps.append(next(g for g in (m.group(1), m.group(3), m.group(4)) if g is not None))
        pos = m.end()
    return steps


def _fallback_read(text: str, data: Any, context: Any, variables: dict[str, Any] | None) -> Any:
    if text.startswith("$$"):
        node, rest = context, text[2:]
    elif text.startswith("$") and len(text) > 1 and text[1] not in ".[":
        m = re.match(r"\$([^.\[]+)", text)
        assert m is not None
        if variables is None or m.group(1) not in variables:
            raise PathMissing(text)
        node, rest = variables[m.group(1)], text[m.end():]
    else:
        node, rest = data, text[1:]
    for step in _steps(rest):
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
        elif isinstance(step, str) and isinstance(node, dict) and step in node:
            node = node[step]
        else:
            raise PathMissing(text)
    return node


def _fallback_write(text: str, target: Any, value: Any) -> Any:
    root = copy.deepcopy(target)
    steps = _steps(text[1:])
    if not isinstance(root, dict):
        root = {}
    node = root
    for step in steps[:-1]:
        nxt = node.get(step) if isinstance(node, dict) else None
        if not isinstance(nxt, dict):
            nxt = {}
            node[step] = nxt
        node = nxt
    node[steps[-1]] = value
    return root
