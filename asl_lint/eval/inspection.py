"""TestState ``inspectionData``: which keys AWS shows for each state type and query language."""

from __future__ import annotations

from typing import Any

from asl_lint.eval.payload import compact
from asl_lint.eval.runtime import JSONATA, Variables

_JSONPATH_IO = ("input", "afterInputPath")
_JSONPATH_KEYS: dict[str, tuple[str, ...]] = {
    "Pass": (*_JSONPATH_IO, "afterParameters", "result", "afterResultSelector", "afterResultPath"),
    "Task": (
        *_JSONPATH_IO,
        "afterParameters",
        "result",
        "afterResultSelector",
        "afterResultPath",
        "errorDetails",
    ),
    "Parallel": ("input", "afterResultSelector", "afterResultPath", "errorDetails"),
    "Map": (
        *_JSONPATH_IO,
        "afterItemsPath",
        "afterResultSelector",
        "afterResultPath",
        "maxConcurrency",
        "toleratedFailureCount",
        "toleratedFailurePercentage",
        "errorDetails",
    ),
}
_JSONATA_KEYS: dict[str, tuple[str, ...]] = {
    "Task": ("input", "afterArguments", "result", "errorDetails"),
    "Parallel": ("input", "errorDetails"),
    "Map": ("input", "maxConcurrency", "toleratedFailureCount", "toleratedFailurePercentage", "errorDetails"),
}
# Fields AWS returns as JSON text; the others (errorDetails, numbers) are plain values.
_TEXT_FIELDS = frozenset(
    {
        "input",
        "afterInputPath",
        "afterParameters",
        "afterArguments",
        "result",
        "afterResultSelector",
        "afterResultPath",
        "afterItemsPath",
        "afterItemSelector",
        "afterItemBatcher",
        "variables",
    }
)


def inspection_data(
    kind: str, query_language: str, trace: dict[str, Any], variables: Variables
) -> dict[str, Any]:
    """The ``inspectionData`` object for a DEBUG/TRACE response."""
    keys = _JSONATA_KEYS.get(kind, ("input",)) if query_language == JSONATA else _JSONPATH_KEYS.get(kind, _JSONPATH_IO)
    data: dict[str, Any] = {}
    for key in keys:
        if key in trace:
            data[key] = compact(trace[key]) if key in _TEXT_FIELDS else trace[key]
    visible = variables.visible()
    if visible:
        data["variables"] = compact(visible)
    return data
