"""Offset maps: text derived from a file (decoded, substituted, joined) → offsets in that file.

A :class:`MappedText` is a string plus the segments it was built from. An *exact* segment is a
run of characters copied verbatim from the file, so every offset inside it maps one to one. An
*opaque* segment stands for a file range that became different text (an escape sequence, a
substituted ``${X}``, a folded line break, a whole scalar we could not map): an offset inside it
maps to the start of its file range when it starts a span and to the end when it ends one, so a
mapped span always covers the true place and is never wrong.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from asl_lint.source.text import Span


class Segment(NamedTuple):  # a tuple: hundreds of thousands are built for a large definition
    start: int  # offset in the derived text
    length: int  # characters in the derived text
    file_start: int
    file_end: int
    exact: bool  # file_end - file_start == length and the characters are equal

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass
class MappedText:
    """Derived text and where each part of it came from in the file."""

    segments: list[Segment] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list, repr=False)
    _length: int = 0
    _text: str | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._parts)
            self._parts = [self._text]
        return self._text

    def __len__(self) -> int:
        return self._length

    # --- building ---------------------------------------------------------------------------
    def add_exact(self, piece: str, file_start: int) -> None:
        if piece:
            self._add(piece, file_start, file_start + len(piece), True)

    def add_opaque(self, piece: str, file_start: int, file_end: int) -> None:
        if piece:
            self._add(piece, file_start, file_end, False)

    def _add(self, piece: str, file_start: int, file_end: int, exact: bool) -> None:
        last = self.segments[-1] if self.segments else None
        if exact and last is not None and last.exact and last.file_end == file_start:
            # Merge adjacent verbatim runs so lookups stay short.
            self.segments[-1] = Segment(last.start, last.length + len(piece), last.file_start, file_end, True)
        else:
            self.segments.append(Segment(self._length, len(piece), file_start, file_end, exact))
        self._parts.append(piece)
        self._length += len(piece)
        self._text = None
        self._starts = None

    def extend(self, other: MappedText) -> None:
        self.extend_slice(other, 0, len(other))

    def extend_slice(self, other: MappedText, a: int, b: int) -> None:
        """Append ``other.text[a:b]`` with its mapping (exact segments are split exactly)."""
        if a >= b:
            return
        index = max(0, other._index_at(a))
        text = other.text
        for seg in other.segments[index:]:
            if seg.start >= b:
                break
            lo, hi = max(a, seg.start), min(b, seg.end)
            if lo >= hi:
                continue
            piece = text[lo:hi]
            if seg.exact:
                self._add(piece, seg.file_start + lo - seg.start, seg.file_start + hi - seg.start, True)
            else:
                self._add(piece, seg.file_start, seg.file_end, False)

    # --- mapping ----------------------------------------------------------------------------
    def _index_at(self, pos: int) -> int:
        if self._starts is None:
            self._starts = [seg.start for seg in self.segments]
        return bisect_right(self._starts, pos) - 1

    def map_start(self, pos: int) -> int:
        """File offset where a span starting at derived offset ``pos`` starts."""
        if not self.segments:
            return 0
        index = self._index_at(pos)
        if index < 0:
            return self.segments[0].file_start
        seg = self.segments[index]
        if pos >= seg.end:  # past the end of the text
            return seg.file_end
        if seg.exact:
            return seg.file_start + pos - seg.start
        return seg.file_start

    def map_end(self, pos: int) -> int:
        """File offset where a span ending at derived offset ``pos`` ends."""
        if not self.segments:
            return 0
        index = self._index_at(pos - 1) if pos > 0 else 0
        seg = self.segments[max(index, 0)]
        if pos <= seg.start:
            return seg.file_start
        if seg.exact:
            return seg.file_start + min(pos, seg.end) - seg.start
        return seg.file_end

    def map_span(self, span: Span) -> Span:
        if span.end <= span.start:
            start = self.map_start(span.start)
            return Span(start, start)
        return Span(self.map_start(span.start), self.map_end(span.end))

    def consistent_with(self, file_text: str) -> bool:
        """True when every exact segment really is a verbatim copy of the file."""
        return all(
            not seg.exact or file_text[seg.file_start : seg.file_end] == self.text[seg.start : seg.end]
            for seg in self.segments
        )


def opaque(text: str, span: Span) -> MappedText:
    """The fallback map: all of ``text`` stands for the whole of ``span``."""
    mapped = MappedText()
    if text:
        mapped.add_opaque(text, span.start, span.end)
    else:
        mapped.segments.append(Segment(0, 0, span.start, span.end, False))
    return mapped
