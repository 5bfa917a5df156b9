"""Map a string scalar of the file (JSON literal, or YAML scalar of any style) to its decoded value.

``map_scalar`` re-decodes the raw text of the scalar itself, keeping a :class:`MappedText` of
where each decoded character came from. The result is checked against the value the parser
produced; when they differ (a YAML corner we do not model) the whole value maps to the whole
scalar, which is coarse but never a wrong position.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from asl_lint._lazy import lazy_compile
from asl_lint.source.nodes import NodeSpan
from asl_lint.source.text import LineIndex, Span
from asl_lint.sources.offsets import MappedText, opaque

_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_YAML_ESCAPES = {
    **_JSON_ESCAPES, "0": "\0", "a": "\a", "v": "\v", "e": "\x1b", " ": " ", "\t": "\t",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_LENGTH = {"x": 2, "u": 4, "U": 8}
_BLOCK_HEADER = lazy_compile(r"[|>]([+-]?[1-9]?|[1-9][+-])[ \t]*(#[^\n]*)?\r?\n")
_PROPERTY = lazy_compile(r"[!&][^ \t\r\n]*[ \t\r\n]+")
_SAME = object()


def map_scalar(text: str, span: Span, value: str, json_file: bool) -> MappedText:
    """Decoded ``value`` of the string scalar at ``span`` of ``text``, mapped back to ``text``."""
    try:
        mapped = _decode(text, span, json_file)
    except (IndexError, ValueError):
        mapped = None
    if mapped is not None and mapped.text != value:
        mapped = _fix_trailing_newlines(mapped, value, span)
    if mapped is None or mapped.text != value or not mapped.consistent_with(text):
        return opaque(value, span)
    return mapped


def _decode(text: str, span: Span, json_file: bool) -> MappedText | None:
    start, end = span.start, span.end
    if json_file:
        if end - start < 2 or text[start] != '"' or text[end - 1] != '"':
            return None
        out = MappedText()
        _escapes(text, start + 1, end - 1, out, _JSON_ESCAPES, json_file=True)
        return out
    while start < end and text[start] in "!&":  # a tag (!Sub) or an anchor before the scalar
        prop = _PROPERTY.match(text, start, end)
        if prop is None:
            return None
        start = prop.end()
    if start >= end:
        return None
    first = text[start]
    if first in "|>":
        return _block(text, start, end)
    if first in "\"'":
        if end - start < 2 or text[end - 1] != first:
            return None
        return _flow(text, start + 1, end - 1, first)
    return _flow(text, start, end, "")


def _fix_trailing_newlines(mapped: MappedText, value: str, span: Span) -> MappedText | None:
    """Block chomping (clip/keep) adds line breaks after the scalar's trimmed span."""
    body = value.rstrip("\n")
    if mapped.text.rstrip("\n") != body:
        return None
    fixed = MappedText()
    fixed.extend_slice(mapped, 0, len(body))
    fixed.add_opaque(value[len(body):], span.end, span.end)
    return fixed


# --- double-quoted escapes ---------------------------------------------------------------------
def _escapes(text: str, start: int, end: int, out: MappedText, table: dict[str, str], *,
             json_file: bool) -> bool:
    """Decode ``text[start:end]`` (one line); True when it ends with an escaped line break."""
    pos = start
    while pos < end:
        slash = text.find("\\", pos, end)
        if slash < 0:
            out.add_exact(text[pos:end], pos)
            return False
        out.add_exact(text[pos:slash], pos)
        if slash + 1 >= end:
            return True  # YAML: a backslash before the line break joins the lines
        kind = text[slash + 1]
        if kind in _HEX_LENGTH and (kind == "u" or not json_file):
            stop = slash + 2 + _HEX_LENGTH[kind]
            code = int(text[slash + 2 : stop], 16)
            if json_file and 0xD800 <= code <= 0xDBFF and text.startswith("\\u", stop):
                low = int(text[stop + 2 : stop + 6], 16)
                if 0xDC00 <= low <= 0xDFFF:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    stop += 6
            out.add_opaque(chr(code), slash, stop)
            pos = stop
        elif kind in table:
            out.add_opaque(table[kind], slash, slash + 2)
            pos = slash + 2
        else:
            raise ValueError(f"unknown escape \\{kind}")
    return False


# --- YAML flow scalars (plain, single- and double-quoted) ------------------------------------
def _lines(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(content start, content end, next line start) of each line in ``text[start:end]``."""
    lines: list[tuple[int, int, int]] = []
    pos = start
    while True:
        brk = text.find("\n", pos, end)
        if brk < 0:
            lines.append((pos, end, end))
            return lines
        content_end = brk - 1 if brk > pos and text[brk - 1] == "\r" else brk
        lines.append((pos, content_end, brk + 1))
        pos = brk + 1


def _flow(text: str, start: int, end: int, quote: str) -> MappedText:
    out = MappedText()
    lines = _lines(text, start, end)
    last = len(lines) - 1
    prev_end = start
    empties = 0
    joined = False  # the previous line ended with an escaped line break
    for index, (ls, le, _next) in enumerate(lines):
        if index > 0:
            while ls < le and text[ls] in " \t":
                ls += 1
        if index < last:
            while le > ls and text[le - 1] in " \t":
                le -= 1
        if index > 0:
            if ls == le and index < last:
                empties += 1
                continue
            sep = "\n" * empties if (empties or joined) else " "
            out.add_opaque(sep, prev_end, ls)
            empties = 0
        joined = False
        if quote == '"':
            joined = _escapes(text, ls, le, out, _YAML_ESCAPES, json_file=False)
            prev_end = le
        elif quote == "'":
            _single(text, ls, le, out)
            prev_end = le
        else:
            out.add_exact(text[ls:le], ls)
            prev_end = le
    return out


def _single(text: str, start: int, end: int, out: MappedText) -> None:
    pos = start
    while pos < end:
        quote = text.find("''", pos, end)
        if quote < 0:
            out.add_exact(text[pos:end], pos)
            return
        out.add_exact(text[pos:quote], pos)
        out.add_opaque("'", quote, quote + 2)
        pos = quote + 2


# --- YAML block scalars -------------------------------------------------------------------------
def _block(text: str, start: int, end: int) -> MappedText | None:
    header = _BLOCK_HEADER.match(text, start)
    if header is None:
        return None
    folded = text[start] == ">"
    lines = _lines(text, header.end(), end)
    digits = [ch for ch in header.group(1) if ch.isdigit()]
    indent = 0
    if digits:
        # An explicit indentation indicator counts from the parent's indentation, which is
        # that of the line holding the header (verified against the parsed value afterwards).
        line_start = text.rfind("\n", 0, start) + 1
        line = text[line_start:start]
        indent = len(line) - len(line.lstrip(" ")) + int(digits[0])
    else:
        for ls, le, _next in lines:
            stripped = text[ls:le].lstrip(" ")
            if stripped:
                indent = le - ls - len(stripped)
                break
    out = MappedText()
    prev_end: int | None = None
    prev_more = False
    empties = 0
    for ls, le, _next in lines:
        if le - ls <= indent and not text[ls:le].strip(" "):
            empties += 1
            continue
        if text[ls : ls + indent] != " " * indent:
            return None
        cs = ls + indent
        more = cs < le and text[cs] in " \t"
        if prev_end is None:
            sep = "\n" * empties
            sep_start = header.end()
        elif not folded or prev_more or more:
            sep = "\n" * (empties + 1)
            sep_start = prev_end
        else:
            sep = "\n" * empties if empties else " "
            sep_start = prev_end
        if sep == "\n" and text[sep_start:cs] == "\n" + " " * indent:
            out.add_exact("\n", sep_start)  # keep a literal's plain line break exact
        else:
            out.add_opaque(sep, sep_start, cs)
        out.add_exact(text[cs:le], cs)
        prev_end, prev_more, empties = le, more, 0
    return out


def string_span_lookup(text: str, json_file: bool, spans: Callable[[str], NodeSpan | None], document: Any,
                       original: Any = _SAME) -> Callable[[str, int, int], Span | None]:
    """``LocatedDefinition.string_span`` for a definition whose strings are scalars of ``text``.

    With ``original`` (the document as the file holds it), a string that differs there (it was
    substituted) has no character map, and the lookup answers None.
    """

    def string_span(rel: str, a: int, b: int) -> Span | None:
        node = spans(rel)
        value = _at(document, rel)
        if node is None or not isinstance(value, str):
            return None
        if original is not _SAME and _at(original, rel) != value:
            return None
        return map_scalar(text, node.value, value, json_file).map_span(Span(a, b))

    return string_span


def _at(document: Any, pointer: str) -> Any:
    from asl_lint.source.pointer import resolve

    try:
        return resolve(document, pointer)
    except KeyError:
        return None


# --- JSON parsed out of mapped text (DefinitionString, a Terraform heredoc) -----------------------
_WHERE = lazy_compile(r"line (\d+), column (\d+)")


def mapped_lookups(mapped: MappedText, spans: Callable[[str], NodeSpan | None], document: Any
                   ) -> tuple[Callable[[str], NodeSpan | None], Callable[[str, int, int], Span | None]]:
    """The span lookups of a JSON document parsed from ``mapped.text``, in the file's coordinates.

    ``spans`` are the inner parse's spans; the second lookup narrows a string value to code points
    [a, b) of its decoded content, through the inner JSON's escapes and then the file's own.
    """

    def lookup(rel: str) -> NodeSpan | None:
        node = spans(rel)
        if node is None:
            return None
        key = mapped.map_span(node.key) if node.key is not None else None
        return NodeSpan(mapped.map_span(node.value), key)

    inner_string_span = string_span_lookup(mapped.text, True, spans, document)

    def string_span(rel: str, a: int, b: int) -> Span | None:
        span = inner_string_span(rel, a, b)
        return None if span is None else mapped.map_span(span)

    return lookup, string_span


def remap_positions(message: str, mapped: MappedText, file_index: LineIndex) -> str:
    """Parser messages name places in the parsed text ("line 3, column 5"): name the file's."""
    if "line " not in message:
        return message
    inner_index = LineIndex(mapped.text)

    def replace(match: re.Match[str]) -> str:
        offset = inner_index.offset(int(match.group(1)), int(match.group(2)))
        line, column = file_index.position(mapped.map_start(offset))
        return f"line {line}, column {column}"

    return _WHERE.sub(replace, message)
