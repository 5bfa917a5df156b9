"""A JSON parser that records the span of every key and value and sees duplicate keys.

The standard library's decoder forgets positions and silently keeps the last duplicate key,
and duplicate state names are real bugs, so we scan ourselves. Strings are decoded by the
C-accelerated ``json.decoder.scanstring``; the rest is an iterative loop (no recursion, so
100,000-deep nesting cannot overflow the Python stack).

Positions are only needed where something is reported, and most files of a run report nothing:
a text the standard library reads as it is (no duplicate key, no ``NaN``, nothing nested near
our limit) is read by ``json.loads`` (in C, a tenth of the time) and its spans are computed by
our parser when first asked for (:class:`LazySpans`). Anything ``json.loads`` refuses is parsed
by ours at once, which says exactly what is wrong and where.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from contextvars import ContextVar
from json import JSONDecodeError
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, cast

from asl_lint._lazy import lazy_compile
from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.pointer import escape
from asl_lint.source.text import Span

MAX_DEPTH = 1000

_WS = re.compile(r"[ \t\n\r]*")
# Whitespace is skipped inline in the hot loop: test one character, then pay for a regex match.
_BLANKS = " \t\n\r"
# (the pattern matches the empty string too, so a match object is guaranteed)
_WS_MATCH = cast("Callable[[str, int], re.Match[str]]", _WS.match)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_BAD_WORD = lazy_compile(r"-?[A-Za-z_][A-Za-z0-9_]*")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}


class _Fail(Exception):
    def __init__(self, message: str, start: int, end: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end if end is not None else start + 1


def _describe(text: str, pos: int) -> str:
    if pos >= len(text):
        return "end of file"
    ch = text[pos]
    return repr(ch) if ch.isprintable() else f"character U+{ord(ch):04X}"


# A parse of one text made another way (the language server re-parses only what an edit touched,
# ``asl_lint.lsp.reparse``): ``parse_json`` of that very text returns it. Treat it as read-only.
PREPARED: ContextVar[tuple[str, ParseResult] | None] = ContextVar("asl_lint_prepared_parse", default=None)


def parse_json(text: str, *, positions: bool = False) -> ParseResult:
    """Parse ``text``; on a syntax error the result is fatal with one ASL001 problem.

    ``positions``: compute the spans now (the language server needs them for every text)."""
    prepared = PREPARED.get()
    if prepared is not None and prepared[0] == text:
        return prepared[1]
    if not positions:
        value = _standard(text)
        if value is not _REFUSED:
            return ParseResult(value, LazySpans(text))
    return _positional(text)


_REFUSED: Any = object()


class _Duplicate(Exception):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Duplicate  # our parser reports it, with both places
    return value


def _refuse(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON: our parser says so


def _standard(text: str) -> Any:
    """``json.loads(text)``, or _REFUSED for anything our parser must judge itself."""
    try:
        value = json.loads(text, object_pairs_hook=_unique, parse_constant=_refuse)
    except Exception:  # a syntax error, a duplicate key, NaN, deep nesting, a huge integer
        return _REFUSED
    # The nesting limit is ours to report. On Python 3.11 json.loads stops at the recursion
    # limit (1000 unless raised); where it may go deeper (a raised limit, later Pythons, which
    # count C recursion apart) a text with that many brackets is walked.
    if _loads_may_nest_deeper() and text.count("{") + text.count("[") > MAX_DEPTH \
            and _deeper_than(value, MAX_DEPTH):
        return _REFUSED
    return value


def _loads_may_nest_deeper() -> bool:
    return sys.version_info >= (3, 12) or sys.getrecursionlimit() > MAX_DEPTH


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether containers nest more than ``limit`` deep (the outermost is at depth 1)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


class LazySpans(dict[str, NodeSpan]):
    """The spans of a text ``json.loads`` read, computed from the same text when first read. A
    look-up of one pointer (``get``, ``[]``, ``in``: how findings are placed) walks down to that node
    alone (:func:`_locate`); anything else (iterating, copying, pickling) computes every span with
    our parser, and so do look-ups past ``LOCATE_LIMIT``. Copied or pickled, it is a plain dict."""

    __slots__ = ("_found", "_text")

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text: str | None = text
        self._found: dict[str, NodeSpan | None] = {}  # pointer -> located span (None: no node)

    def _fill(self) -> None:
        text, self._text = self._text, None
        self._found = {}
        if text is not None:
            dict.update(self, _positional(text).spans)

    def _one(self, pointer: Any) -> NodeSpan | None:
        text = self._text
        if text is None or not isinstance(pointer, str):
            self._fill()
            return dict.get(self, pointer)
        found = self._found
        if pointer in found:
            return found[pointer]
        if len(found) >= LOCATE_LIMIT:
            self._fill()
            return dict.get(self, pointer)
        node = found[pointer] = _locate(text, pointer)
        return node

    def get(self, pointer: Any, default: Any = None) -> Any:
        node = self._one(pointer)
        return default if node is None else node

    def __getitem__(self, pointer: Any) -> NodeSpan:
        node = self._one(pointer)
        if node is None:
            raise KeyError(pointer)
        return node

    def __contains__(self, pointer: object) -> bool:
        return self._one(pointer) is not None

    def __reduce_ex__(self, protocol: Any) -> Any:
        self._fill()
        return dict, (dict(dict.items(self)),)


def _filling(name: str) -> Callable[..., Any]:
    method = getattr(dict, name)

    def read(self: LazySpans, *args: Any, **kwargs: Any) -> Any:
        if self._text is not None:
            self._fill()
        for other in args:  # (compared or merged with another: that one is read in C)
            if isinstance(other, LazySpans) and other._text is not None:
                other._fill()
        return method(self, *args, **kwargs)

    read.__name__ = name
    return read


for _name in ("__iter__", "__reversed__", "__len__", "__eq__", "__ne__", "__repr__", "__or__", "__ror__", "__ior__",
              "__setitem__", "__delitem__", "keys", "values", "items", "copy", "setdefault", "pop", "popitem",
              "update", "clear"):
    setattr(LazySpans, _name, _filling(_name))

# Past this many pointers looked up in one text, computing all its spans at once is cheaper.
LOCATE_LIMIT = 64
# The standard library's scanner (in C): the end of the value at an offset, its spans unrecorded.
_SCAN_ONCE = cast("Callable[[str, int], tuple[Any, int]]", json.JSONDecoder().scan_once)  # type: ignore[attr-defined]
_INDEX = re.compile(r"0|[1-9][0-9]*")


def _skip(text: str, pos: int) -> int:
    return _WS_MATCH(text, pos).end() if pos < len(text) and text[pos] in _BLANKS else pos


def _locate(text: str, pointer: str) -> NodeSpan | None:
    """The span our parser gives ``pointer`` in ``text`` (which ``json.loads`` read: valid JSON
    without duplicate keys), or None when there is no such node: the members and items before it
    on the way down are skipped by the C scanner, so a finding's place costs a fraction of a parse."""
    pos = _skip(text, 0)
    key: Span | None = None
    if pointer:
        if pointer[0] != "/":
            return None
        for token in pointer[1:].split("/"):
            opener = text[pos]
            if opener == "{":
                pos = _skip(text, pos + 1)
                while True:
                    if text[pos] == "}":
                        return None
                    name, after = scanstring(text, pos + 1, True)
                    key = Span(pos, after)
                    pos = _skip(text, _skip(text, after) + 1)  # past the ':'
                    if escape(name) == token:
                        break
                    pos = _skip(text, _SCAN_ONCE(text, pos)[1])
                    if text[pos] == ",":
                        pos = _skip(text, pos + 1)
            elif opener == "[" and _INDEX.fullmatch(token):
                key = None
                pos = _skip(text, pos + 1)
                for _ in range(int(token)):
                    if text[pos] == "]":
                        return None
                    pos = _skip(text, _SCAN_ONCE(text, pos)[1])
                    if text[pos] == ",":
                        pos = _skip(text, pos + 1)
                if text[pos] == "]":
                    return None
            else:
                return None
    return NodeSpan(Span(pos, _SCAN_ONCE(text, pos)[1]), key)


def _positional(text: str) -> ParseResult:
    result = ParseResult()
    try:
        result.value = _Parser(text, result).run()
    except _Fail as fail:
        end = max(fail.end, fail.start)
        result.problems.append(SourceProblem("ASL001", fail.message, Span(fail.start, end)))
        result.value = None
        result.fatal = True
    return result


class _Parser:
    def __init__(self, text: str, result: ParseResult) -> None:
        self.text = text
        self.result = result

    def scalar(self, pos: int) -> tuple[Any, int]:
        """Parse a non-container value at ``pos`` (already past whitespace)."""
        text = self.text
        if pos >= len(text):
            raise _Fail("Unexpected end of file: expected a value", pos)
        ch = text[pos]
        if ch == '"':
            return self.string(pos)
        if ch == "-" or ch.isdigit():
            m = _NUMBER.match(text, pos)
            if m:
                end = m.end()
                if end < len(text) and (text[end].isalnum() or text[end] == "."):
                    word = _BAD_WORD.match(text, pos)
                    bad_end = max(end + 1, word.end() if word else end + 1)
                    raise _Fail(f"Invalid number {text[pos:bad_end]!r}", pos, bad_end)
                literal = m.group(0)
                if m.group(1) or m.group(2):
                    return float(literal), end
                digits = len(literal.lstrip("-"))
                if digits > sys.get_int_max_str_digits() > 0:  # (Python refuses to read it)
                    raise _Fail(f"The integer {literal[:12]}… has {digits:,} digits, more than can be read"
                                f" ({sys.get_int_max_str_digits():,}); write it as a string", pos, end)
                return int(literal), end
        word = _BAD_WORD.match(text, pos)
        if word:
            name = word.group(0)
            if name in _LITERALS:
                return _LITERALS[name], word.end()
            if name in ("NaN", "Infinity", "-Infinity"):
                raise _Fail(f"{name} is not valid JSON (use null or a string)", pos, word.end())
            hint = " (strings need double quotes)" if name.lower() not in ("none", "undefined") else ""
            raise _Fail(f"Unexpected token {name!r}: expected a JSON value{hint}", pos, word.end())
        if ch == "'":
            raise _Fail("Strings must use double quotes, not single quotes", pos)
        raise _Fail(f"Unexpected {_describe(text, pos)}: expected a JSON value", pos)

    def string(self, pos: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self.text, pos + 1, True)
        except JSONDecodeError as exc:
            if exc.msg.startswith("Unterminated string"):
                raise _Fail("Unterminated string", pos, len(self.text)) from None
            raise _Fail(f"Invalid string: {exc.msg}", exc.pos) from None
        return value, end

    def run(self) -> Any:
        text = self.text
        text_len = len(text)
        spans = self.result.spans
        pos = 0
        if pos < text_len and text[pos] in _BLANKS:
            pos = _WS_MATCH(text, pos).end()
        if pos >= len(text):
            raise _Fail("The file is empty: expected a JSON object", 0, 0)
        # Stack frames: [container, pointer, start offset, pending key, key span, seen keys]
        stack: list[list[Any]] = []
        root: Any = None
        value: Any
        while True:
            # --- parse one value at pos (opening containers pushes a frame) ---
            if pos < text_len and text[pos] in _BLANKS:
                pos = _WS_MATCH(text, pos).end()
            if pos >= len(text):
                raise _Fail("Unexpected end of file: expected a value", pos)
            ch = text[pos]
            pointer = self._child_pointer(stack)
            if ch == "{" or ch == "[":
                if len(stack) >= MAX_DEPTH:
                    raise _Fail(f"Nesting deeper than {MAX_DEPTH} levels", pos)
                container: Any = {} if ch == "{" else []
                open_pos = pos
                stack.append([container, pointer, open_pos, None, None, {}])
                pos = pos + 1
                if pos < text_len and text[pos] in _BLANKS:
                    pos = _WS_MATCH(text, pos).end()
                closer = "}" if ch == "{" else "]"
                if pos < len(text) and text[pos] == closer:
                    stack.pop()
                    value, end = container, pos + 1
                    spans[pointer] = NodeSpan(Span(open_pos, end), self._key_span(stack))
                elif ch == "{":
                    pos = self._object_key(stack[-1], pos)
                    continue
                else:
                    continue
            else:
                start = pos
                value, end = self.scalar(pos)
                spans[pointer] = NodeSpan(Span(start, end), self._key_span(stack))
            # --- store value into parent, then close finished containers ---
            pos = end
            while True:
                if not stack:
                    root = value
                    if pos < text_len and text[pos] in _BLANKS:
                        pos = _WS_MATCH(text, pos).end()
                    if pos < len(text):
                        raise _Fail(
                            f"Unexpected {_describe(text, pos)} after the top-level value", pos
                        )
                    return root
                frame = stack[-1]
                container = frame[0]
                if isinstance(container, dict):
                    key = frame[3]
                    if key in container:
                        first = frame[5][key]
                        ptr = self._member_pointer(frame[1], key)
                        self.result.problems.append(
                            SourceProblem(
                                "ASL002",
                                f"Duplicate key {key!r}: already defined at {self.where(first)};"
                                " only the last value would be kept",
                                frame[4],
                                ptr,
                            )
                        )
                    else:
                        frame[5][key] = frame[4].start
                    container[key] = value
                else:
                    container.append(value)
                if pos < text_len and text[pos] in _BLANKS:
                    pos = _WS_MATCH(text, pos).end()
                if pos >= len(text):
                    kind = "object" if isinstance(container, dict) else "array"
                    raise _Fail(
                        f"Unexpected end of file: the {kind} opened at {self.where(frame[2])} is not closed",
                        pos,
                    )
                ch = text[pos]
                closer = "}" if isinstance(container, dict) else "]"
                if ch == ",":
                    nxt = pos + 1
                    if nxt < text_len and text[nxt] in _BLANKS:
                        nxt = _WS_MATCH(text, nxt).end()
                    if nxt < len(text) and text[nxt] == closer:
                        raise _Fail(f"Trailing comma before {closer!r}", pos)
                    pos = self._object_key(frame, nxt) if isinstance(container, dict) else nxt
                    break  # parse the next value
                if ch == closer:
                    stack.pop()
                    value = container
                    end = pos + 1
                    spans[frame[1]] = NodeSpan(Span(frame[2], end), self._key_span(stack))
                    pos = end
                    continue
                expected = "',' or '}'" if closer == "}" else "',' or ']'"
                raise _Fail(f"Expected {expected} but found {_describe(text, pos)}", pos)

    def where(self, offset: int) -> str:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return f"line {line}, column {column}"

    def _object_key(self, frame: list[Any], pos: int) -> int:
        """Parse ``"key" :`` at ``pos`` into the frame; return the offset of the member value."""
        text = self.text
        text_len = len(text)
        if pos < text_len and text[pos] in _BLANKS:
            pos = _WS_MATCH(text, pos).end()
        if pos >= len(text):
            raise _Fail(
                f"Unexpected end of file: the object opened at {self.where(frame[2])} is not closed", pos
            )
        if text[pos] != '"':
            if text[pos] == "'":
                raise _Fail("Object keys must use double quotes, not single quotes", pos)
            word = _BAD_WORD.match(text, pos)
            if word:
                raise _Fail(f"Object key {word.group(0)!r} must be a double-quoted string", pos, word.end())
            raise _Fail(f"Expected a double-quoted object key but found {_describe(text, pos)}", pos)
        key, end = self.string(pos)
        frame[3] = key
        frame[4] = Span(pos, end)
        pos = end
        if pos < text_len and text[pos] in _BLANKS:
            pos = _WS_MATCH(text, pos).end()
        if pos >= len(text) or text[pos] != ":":
            raise _Fail(f"Expected ':' after object key {key!r}", pos)
        return pos + 1

    @staticmethod
    def _member_pointer(base: str, key: Any) -> str:
        return f"{base}/{escape(key)}"

    def _child_pointer(self, stack: list[list[Any]]) -> str:
        if not stack:
            return ""
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, dict):
            return f"{frame[1]}/{escape(frame[3])}"
        return f"{frame[1]}/{len(container)}"

    @staticmethod
    def _key_span(stack: list[list[Any]]) -> Span | None:
        if stack and isinstance(stack[-1][0], dict):
            return stack[-1][4]
        return None
