"""Re-parse only what an edit touched: the innermost JSON object or array around the change.

Typing changes a few characters; parsing a 500-state definition with positions takes ~25 ms, a
state object well under one. Given the previous text, its parse and the new text, this finds the
changed region (common prefix and suffix), the innermost container whose brackets enclose it,
parses that container's new text alone with the same positional parser, and splices the result
in: the containers on the way to it are copied, everything else is shared with the previous
parse (so per-object caches keep working), and the spans after the edit are shifted. The result
is the very ``ParseResult`` a full parse gives (a test compares them on random edits); when the
container's new text is no valid JSON value, or the edit is not inside any container, it is None
and the caller parses the whole text (which reports the syntax error at its place).
"""

from __future__ import annotations

from typing import Any

from asl_lint.source.json_parser import MAX_DEPTH, parse_json
from asl_lint.source.nodes import NodeSpan, ParseResult
from asl_lint.source.pointer import escape
from asl_lint.source.text import Span


def changed_region(old: str, new: str) -> tuple[int, int, int]:
    """(start, old end, new end) of the one region where ``old`` and ``new`` differ."""
    limit = min(len(old), len(new))
    start = 0
    # Compare in blocks first: texts are long, edits small.
    step = 4096
    while start + step <= limit and old[start:start + step] == new[start:start + step]:
        start += step
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while (end_old - step >= start and end_new - step >= start
           and old[end_old - step:end_old] == new[end_new - step:end_new]):
        end_old -= step
        end_new -= step
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return start, end_old, end_new


def _children(value: Any, pointer: str) -> list[tuple[Any, str, Any]]:
    """(token, pointer, child) of a container's members."""
    if isinstance(value, dict):
        return [(key, f"{pointer}/{escape(key)}", child) for key, child in value.items()]
    if isinstance(value, list):
        return [(index, f"{pointer}/{index}", child) for index, child in enumerate(value)]
    return []


def _enclosing(parsed: ParseResult, start: int, end: int) -> list[tuple[Any, str, Any]]:
    """The path (token, pointer, container) from the root to the innermost container whose
    brackets strictly enclose [start, end); empty when not even the root does."""
    path: list[tuple[Any, str, Any]] = []
    step: tuple[Any, str, Any] | None = (None, "", parsed.value)
    while step is not None and isinstance(step[2], dict | list):
        span = parsed.spans.get(step[1])
        if span is None or not (span.value.start < start and end < span.value.end):
            break
        path.append(step)
        step = None
        for token, child_pointer, child in _children(path[-1][2], path[-1][1]):
            child_span = parsed.spans.get(child_pointer)
            if child_span is None:
                continue
            low = child_span.key.start if child_span.key is not None else child_span.value.start
            if low <= start and end <= child_span.value.end:
                step = (token, child_pointer, child)
                break
    return path


def reparse(old_text: str, old: ParseResult, new_text: str) -> ParseResult | None:
    """``parse_json(new_text)`` computed from the previous parse, or None (parse it whole)."""
    if old.fatal or old.problems or not isinstance(old.value, dict | list):
        return None  # (a duplicate key's message names a line: re-parse to keep it right)
    start, end_old, end_new = changed_region(old_text, new_text)
    if start == end_old == end_new:
        return old if old_text == new_text else None
    path = _enclosing(old, start, end_old)
    if not path:
        return None
    pointer = path[-1][1]
    span = old.spans[pointer]
    delta = end_new - end_old
    low, high = span.value.start, span.value.end + delta
    # A JSON value ends where its closing bracket says, whatever follows: parsed alone, the
    # container's text gives exactly what the whole text's parse gives there.
    inner = parse_json(new_text[low:high], positions=True)
    if inner.fatal or inner.problems or not isinstance(inner.value, dict | list):
        return None  # broken (or a duplicate key): the whole text's parse says where
    depth = pointer.count("/")
    if depth + max(p.count("/") for p in inner.spans) >= MAX_DEPTH - 1:
        return None  # the whole parse limits the nesting from the root
    result = ParseResult()
    # Spans: outside the container as before (shifted after the edit), inside it from the re-parse.
    inside = pointer + "/"
    spans = result.spans
    for ptr, node in old.spans.items():
        if ptr == pointer or ptr.startswith(inside):
            continue
        if node.value.end >= end_old:
            key = node.key
            if key is not None and key.start >= end_old:
                key = Span(key.start + delta, key.end + delta)
            old_value = node.value
            moved = Span(old_value.start + delta if old_value.start >= end_old else old_value.start,
                         old_value.end + delta)
            node = NodeSpan(moved, key)
        spans[ptr] = node
    for ptr, node in inner.spans.items():
        key = span.key if not ptr else (None if node.key is None else Span(node.key.start + low, node.key.end + low))
        spans[pointer + ptr] = NodeSpan(Span(node.value.start + low, node.value.end + low), key)
    # The value: copies of the containers on the way down, the rest shared.
    value: Any = inner.value
    for (token, _, _), (_, _, parent) in zip(reversed(path[1:]), reversed(path[:-1]), strict=True):
        copy = dict(parent) if isinstance(parent, dict) else list(parent)
        copy[token] = value
        value = copy
    result.value = value
    return result
