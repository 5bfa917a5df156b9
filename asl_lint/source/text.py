"""Text positions: code-point offsets, 1-based line/column, and UTF-16 columns for LSP."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

_PLUS_ONE = (1).__add__


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of code-point offsets into a document's text."""

    start: int
    end: int


class LineIndex:
    """Maps code-point offsets to (line, column) pairs, both 1-based, columns in code points."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        # Each line starts one past the end of the one before: summed without a Python loop (the
        # language server indexes every version of a document it lints).
        lines = text.split("\n")
        self._starts = list(accumulate(map(_PLUS_ONE, map(len, lines[:-1])), initial=0))

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset`` (clamped into the text)."""
        offset = max(0, min(offset, len(self._text)))
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Code-point offset of a 1-based line and column (clamped)."""
        line = max(1, min(line, len(self._starts)))
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._text)
        return max(start, min(start + column - 1, end))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line break."""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._text)
        text = self._text[start:end]
        return text[:-1] if text.endswith("\r") else text

    def utf16_position(self, offset: int) -> tuple[int, int]:
        """0-based line and UTF-16 column, as the Language Server Protocol counts them."""
        line, column = self.position(offset)
        start = self._starts[line - 1]
        prefix = self._text[start : start + column - 1]
        return line - 1, column - 1 + sum(1 for ch in prefix if ord(ch) > 0xFFFF)

    def offset_from_utf16(self, line: int, character: int) -> int:
        """Code-point offset of a 0-based line and UTF-16 column."""
        line = max(0, min(line, len(self._starts) - 1))
        start = self._starts[line]
        end = self._starts[line + 1] - 1 if line + 1 < len(self._starts) else len(self._text)
        units = 0
        pos = start
        while pos < end and units < character:
            units += 2 if ord(self._text[pos]) > 0xFFFF else 1
            pos += 1
        return pos
