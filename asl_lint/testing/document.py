"""Suite and mock-config files read with positions, and the problems found in them (exit code 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asl_lint.source.nodes import NodeSpan
from asl_lint.source.pointer import parent
from asl_lint.source.text import LineIndex, Span


@dataclass(frozen=True)
class Problem:
    """What is wrong in a suite or mock config, and where (1-based, end exclusive)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    pointer: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class SuiteError(ValueError):
    """A suite (or its mock config, or its state machine) that cannot be run."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Document:
    """A parsed JSON/YAML file: its value, and the span of every node by JSON pointer."""

    path: Path
    display: str  # the path as reports show it
    text: str
    value: Any
    spans: dict[str, NodeSpan]
    _lines: LineIndex | None = field(default=None, repr=False)

    @classmethod
    def load(cls, path: Path, display: str) -> Document:
        """Read and parse ``path``; SuiteError (with positions) when it cannot be read or parsed."""
        from asl_lint.sources.detect import decode, detect_format, parse_text

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SuiteError([Problem(display, 1, 1, 1, 1, f"cannot read the file: {exc.strerror}")]) from None
        text, problems, unreadable = decode(data)
        document = cls(path, display, text, None, {})
        if unreadable:
            raise SuiteError([document.at_span(problems[0].span, problems[0].message)])
        parsed = parse_text(text.lstrip("\ufeff"), detect_format(str(path), text))
        document.value, document.spans = parsed.value, parsed.spans
        errors = [p for p in parsed.problems if p.code in ("ASL001", "ASL002")]
        if parsed.fatal or errors:
            raise SuiteError([document.at_span(p.span, p.message) for p in (errors or parsed.problems)])
        return document

    def at_span(self, span: Span, message: str, pointer: str = "") -> Problem:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        line, column = self._lines.position(span.start)
        end_line, end_column = self._lines.position(span.end)
        return Problem(self.display, line, column, end_line, end_column, message, pointer)

    def span(self, pointer: str, key: bool = False) -> Span:
        """The span of the node at ``pointer`` (its key with ``key``), or of its nearest existing parent's key."""
        current = pointer
        while True:
            node = self.spans.get(current)
            if node is not None:
                if current == pointer and not key:
                    return node.value
                return node.key or node.value
            if not current:
                return Span(0, 0)
            current = parent(current)

    def problem(self, pointer: str, message: str, key: bool = False) -> Problem:
        return self.at_span(self.span(pointer, key), message, pointer)


@dataclass
class Problems:
    """Problems of one document, collected so a file reports all of them at once."""

    document: Document
    found: list[Problem] = field(default_factory=list)

    def add(self, pointer: str, message: str, key: bool = False) -> None:
        self.found.append(self.document.problem(pointer, message, key))

    def raise_if_any(self) -> None:
        """SuiteError with the problems in file order: this document's first, then the files it names."""
        if self.found:
            own = self.document.display
            raise SuiteError(sorted(self.found, key=lambda p: (p.file != own, p.file, p.line, p.column)))


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to ``word``."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def describe(value: Any) -> str:
    """A JSON type name with an article, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
