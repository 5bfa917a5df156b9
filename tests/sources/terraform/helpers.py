"""Reading the fixture Terraform projects and naming places in them by line and column."""

from __future__ import annotations

from pathlib import Path

from asl_lint.source.nodes import NodeSpan
from asl_lint.source.text import LineIndex, Span
from asl_lint.sources.base import SourceResult
from asl_lint.sources.terraform import read_terraform

PROJECTS = Path(__file__).parent / "projects"


def project_file(*parts: str) -> str:
    return str(PROJECTS.joinpath(*parts))


def read(*parts: str) -> SourceResult:
    path = project_file(*parts)
    return read_terraform(path, Path(path).read_text(encoding="utf-8"))


def where(path: str, span: Span | None) -> tuple[int, int, int, int] | None:
    """(line, column, end line, end column) of a span of a file."""
    if span is None:
        return None
    index = LineIndex(Path(path).read_text(encoding="utf-8"))
    return (*index.position(span.start), *index.position(span.end))


def node_where(path: str, node: NodeSpan | None) -> tuple[tuple[int, int, int, int] | None, ...]:
    """(key place, value place) of a node."""
    assert node is not None
    return where(path, node.key), where(path, node.value)


def text_at(path: str, span: Span) -> str:
    return Path(path).read_text(encoding="utf-8")[span.start : span.end]
