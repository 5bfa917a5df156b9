"""What a parser returns: the plain value, the span of every node, and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asl_lint.source.text import Span


@dataclass(frozen=True, slots=True)
class NodeSpan:
    """Where a node is: its value, and its key when it is an object member."""

    value: Span
    key: Span | None = None


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A problem found while reading the text (ASL001 parse-error, ASL002 duplicate-key, ASL005)."""

    code: str
    message: str
    span: Span
    pointer: str = ""


@dataclass(slots=True)
class ParseResult:
    """A parsed document. ``value`` is None and ``fatal`` is True when the text could not be read."""

    value: Any = None
    spans: dict[str, NodeSpan] = field(default_factory=dict)
    problems: list[SourceProblem] = field(default_factory=list)
    fatal: bool = False
    # YAML comment lines (line number, text) for suppression directives.
    comments: list[tuple[int, str]] = field(default_factory=list)
