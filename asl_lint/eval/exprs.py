"""The one place where the evaluator calls the expression layer (``asl_lint.expr``).

Keeping the calls here means the rest of ``eval`` sees a small, stable surface:
``read_path``, ``write_path``, ``call_intrinsic``, ``jsonata_body``, ``eval_jsonata``.
"""

from __future__ import annotations

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


def _runtime_path(text: str) -> Any:
    """The parsed path; one that does not parse fails the state (States.Runtime): AWS rejects
    such definitions up front, offline the state fails instead."""
    from asl_lint.eval.errors import RUNTIME, StatesError
    from asl_lint.expr.errors import ExprSyntaxError

    try:
        return _parsed(text)
    except ExprSyntaxError as exc:
        raise StatesError(RUNTIME, f"Invalid JSONPath '{text}': {exc.message}") from exc


def read_path(text: str, data: Any, *, context: Any = None, variables: dict[str, Any] | None = None) -> Any:
    """Value of a JSONPath (``$``, ``$$`` or ``$var`` rooted); raises PathMissing when nothing matches."""
    from asl_lint.expr.jsonpath import PathNotFound, get_value

    path = _runtime_path(text)
    try:
        return get_value(path, data, context=context, variables=variables)
    except PathNotFound as exc:
        raise PathMissing(text) from exc


def write_path(text: str, target: Any, value: Any) -> Any:
    """ResultPath: ``value`` written into a copy of ``target`` at the reference path ``text``."""
    if text == "$":
        return value
    from asl_lint.expr.jsonpath import set_value

    return set_value(_runtime_path(text), json_copy(target), value)


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value (objects and arrays copied, scalars shared), faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {key: json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_copy(item) for item in value]
    return value


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


def eval_jsonata(expression: str, bindings: dict[str, Any], now_millis: int | None = None) -> Any:
    """Evaluate JSONata; returns ``undefined()`` for no value; raises EvaluationError on failure.
    ``now_millis``: what $now() and $millis() read (default: the real clock)."""
    from asl_lint.expr.jsonata import evaluate_jsonata

    # TODO(asl_lint.expr.jsonata): evaluate_jsonata maps only a top-level None to JSONata null, so
    # nulls nested in bindings ($states.context.Execution.RoleArn…) vanish; convert them here until it does.
    return evaluate_jsonata(expression, {name: _nulls(value) for name, value in bindings.items()}, now_millis)


def _nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _null_value() if v is None else _nulls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_null_value() if v is None else _nulls(v) for v in value]
    return value


def _null_value() -> Any:
    from jsonata.utils import Utils

    return Utils.NULL_VALUE
