"""Hand-written parser for ASL JSONPath (Jayway dialect) that records exact offsets."""

from __future__ import annotations

import re
from typing import Any, Literal

from asl_lint._lazy import lazy_compile
from asl_lint.expr._jsonpath_ast import (
    _FILTER_NAME_STOP,
    _NAME_STOP,
    FUNCTION_NAMES,
    Child,
    Descendant,
    FBool,
    FCompare,
    FExpr,
    FilterSeg,
    FLiteral,
    FNot,
    FPath,
    FRegex,
    Function,
    Index,
    Path,
    Segment,
    Slice,
    Union,
    Wildcard,
)
from asl_lint.expr.errors import ExprSyntaxError, Problem

_COMPARE_OPS = ("==", "!=", "<=", ">=", "=~", "<", ">")
_WORD_OPS = ("nin", "in", "subsetof", "anyof", "noneof", "size", "empty", "contains")


def _is_id_start(ch: str) -> bool:
    return ch.isidentifier()


def _is_id_continue(ch: str) -> bool:
    return ("a" + ch).isidentifier()


_BARE_WORD = lazy_compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_SLICE_BLANKS = "Failed to parse SliceOperation: no blanks are allowed inside a slice"


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.n = len(text)
        self.warnings: list[Problem] = []

    # helpers
    def error(self, message: str, offset: int | None = None, end: int | None = None) -> ExprSyntaxError:
        start = self.i if offset is None else offset
        return ExprSyntaxError(message, start, end if end is not None else min(start + 1, max(self.n, 1)))

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.text[j] if j < self.n else ""

    def skip_ws(self) -> None:
        while self.i < self.n and self.text[self.i] in " \t\r\n":
            self.i += 1

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            found = repr(self.peek()) if self.peek() else "end of path"
            raise self.error(f"Expected '{ch}' but found {found}")
        self.i += 1

    # entry
    def parse(self) -> Path:
        text = self.text
        if not text.startswith("$"):
            raise ExprSyntaxError("A JSONPath must begin with '$'", 0, 1)
        root: Literal["input", "context", "variable"] = "input"
        variable: str | None = None
        self.i = 1
        if self.peek() == "$":
            root, self.i = "context", 2
        elif self.peek() and _is_id_start(self.peek()):
            start = self.i
            while self.i < self.n and _is_id_continue(text[self.i]):
                self.i += 1
            root, variable = "variable", text[start : self.i]
        segments = self.segments(_NAME_STOP)
        self.skip_ws()  # Jayway trims the path, so trailing blanks are harmless
        if self.i < self.n:
            raise self.error(f"Unexpected character {text[self.i]!r} in JSONPath")
        for seg in segments[:-1]:
            if isinstance(seg, Function):
                raise ExprSyntaxError(f"Function '{seg.name}()' must be at the end of the path", seg.offset, seg.end)
        return Path(text, root, variable, tuple(segments), warnings=tuple(self.warnings))

    def segments(self, stop: frozenset[str]) -> list[Segment]:
        out: list[Segment] = []
        while self.i < self.n:
            ch = self.text[self.i]
            if ch == ".":
                out.append(self.dot_segment(stop))
            elif ch == "[":
                out.append(self.bracket())
            else:
                break
        return out

    def read_name(self, stop: frozenset[str]) -> str:
        start = self.i
        while self.i < self.n and self.text[self.i] not in stop:
            self.i += 1
        return self.text[start : self.i]

    def reject_inner_blank(self, stop: frozenset[str], name_at: int) -> None:
        """Jayway rejects a blank after a dot name unless only blanks follow (the path is trimmed)."""
        if stop is _NAME_STOP and self.peek() in (" ", "\t", "\r", "\n") and self.text[self.i :].strip():
            message = "Use bracket notation ['my prop'] if the property name contains blanks"
            raise self.error(message, name_at, self.i + 1)

    def dot_segment(self, stop: frozenset[str]) -> Segment:
        start = self.i
        self.i += 1
        if self.peek() == ".":
            self.i += 1
            if self.peek() == "*":
                self.i += 1
                inner: Segment = Wildcard(offset=start + 2, end=self.i)
            elif self.peek() == "[":
                inner = self.bracket()
            else:
                name_at = self.i
                name = self.read_name(stop)
                if not name:
                    raise self.error("Expected a property name after '..'", name_at)
                self.reject_inner_blank(stop, name_at)
                inner = Child(name, offset=name_at, end=self.i)
            return Descendant(inner, offset=start, end=self.i)
        if self.peek() == "*":
            self.i += 1
            return Wildcard(offset=start, end=self.i)
        if self.peek() == "[":  # `$.a.['b c']` is accepted by Jayway
            return self.bracket()
        name = self.read_name(stop)
        if not name:
            found = repr(self.peek()) if self.peek() else "end of path"
            raise self.error(f"Expected a property name after '.' but found {found}", start, start + 1)
        self.reject_inner_blank(stop, start)
        if self.peek() == "(":
            return self.function(name, start)
        return Child(name, offset=start, end=self.i)

    def function(self, name: str, start: int) -> Function:
        name_end = self.i
        if name not in FUNCTION_NAMES:
            raise ExprSyntaxError(f"Function '{name}()' is not a JSONPath function", start + 1, name_end)
        self.i += 1
        args: list[Any] = []
        self.skip_ws()
        while self.peek() != ")":
            if not self.peek():
                raise self.error("Unterminated function call: expected ')'", start, self.n)
            args.append(self.literal_value())
            self.skip_ws()
            if self.peek() == ",":
                self.i += 1
                self.skip_ws()
        self.i += 1
        return Function(name, tuple(args), offset=start, end=self.i)

    def bracket(self) -> Segment:
        start = self.i
        self.i += 1
        self.skip_ws()
        ch = self.peek()
        if ch == "*":
            self.i += 1
            self.skip_ws()
            self.expect("]")
            return Wildcard(offset=start, end=self.i)
        if ch == "?":
            self.i += 1
            self.skip_ws()
            self.expect("(")
            expr = self.filter_or()
            self.skip_ws()
            self.expect(")")
            self.skip_ws()
            self.expect("]")
            return FilterSeg(expr, offset=start, end=self.i)
        if ch == "(":
            raise self.error(
                "Script expressions such as [(@.length-1)] are not supported by AWS (Jayway JsonPath); "
                "use [-1] for the last element",
                start,
                start + 2,
            )
        if ch in ("'", '"'):
            names: list[str] = []
            while True:
                names.append(self.quoted())
                self.skip_ws()
                if self.peek() == ",":
                    self.i += 1
                    self.skip_ws()
                    if self.peek() not in ("'", '"'):
                        raise self.error("Expected a quoted property name after ','")
                    continue
                break
            self.expect("]")
            if len(names) == 1:
                return Child(names[0], offset=start, end=self.i)
            return Union(tuple(names), offset=start, end=self.i)
        if ch and (ch.isdigit() or ch in "-:"):
            return self.index_or_slice(start)
        if not ch:
            raise self.error("Unterminated '[': expected ']'", start, self.n)
        raise self.error(f"Unexpected character {ch!r} after '['")

    def quoted(self, *, unescape: bool = False) -> str:
        """A quoted string. Property names keep backslashes verbatim (AWS's Jayway does, as recorded:
        ``$['Test\\"x']`` reads key ``Test\\"x``); filter literals are unescaped."""
        quote = self.text[self.i]
        start = self.i
        self.i += 1
        buf: list[str] = []
        while self.i < self.n:
            ch = self.text[self.i]
            if ch == "\\" and self.i + 1 < self.n:
                buf.append(self.text[self.i + 1] if unescape else self.text[self.i : self.i + 2])
                self.i += 2
                continue
            if ch == quote:
                self.i += 1
                return "".join(buf)
            buf.append(ch)
            self.i += 1
        raise ExprSyntaxError("Unterminated quoted property name", start, self.n)

    def integer(self) -> int | None:
        start = self.i
        if self.peek() == "-":
            self.i += 1
        while self.peek().isdigit():
            self.i += 1
        token = self.text[start : self.i]
        if token in ("", "-"):
            if token == "-":
                raise self.error("Expected digits after '-'", start, self.i)
            return None
        return int(token)

    def index_or_slice(self, start: int) -> Segment:
        first = self.integer()
        blanks_at = self.i
        self.skip_ws()
        if self.peek() == ":":
            if self.i != blanks_at:
                raise self.error(_SLICE_BLANKS, blanks_at, self.i)
            return self.slice(start, first)
        if first is None:
            raise self.error("Expected an array index")
        items: list[str | int] = [first]
        while self.peek() == ",":
            self.i += 1
            self.skip_ws()
            value = self.integer()
            if value is None:
                raise self.error("Expected an array index after ','")
            items.append(value)
            self.skip_ws()
        self.expect("]")
        if len(items) == 1:
            return Index(first, offset=start, end=self.i)
        return Union(tuple(items), offset=start, end=self.i)

    def slice(self, start: int, first: int | None) -> Slice:
        """``[from:to]``. Like Jayway: no blanks around ':', a third part (step) is read but ignored
        at run time, and ``[:]`` is invalid."""
        self.i += 1
        stop = self.integer()
        step: int | None = None
        if self.peek() == ":":
            self.i += 1
            step = self.integer()
        blanks_at = self.i
        self.skip_ws()
        if self.peek() != "]":
            if self.i != blanks_at and self.peek() and self.peek() in ":-0123456789":
                raise self.error(_SLICE_BLANKS, blanks_at, self.i)
            found = repr(self.peek()) if self.peek() else "end of path"
            raise self.error(f"Expected ']' but found {found}")
        if first is None and stop is None:
            raise self.error("Failed to parse SliceOperation: a slice needs a start or an end", start, self.i + 1)
        self.i += 1
        return Slice(first, stop, step, offset=start, end=self.i)

    # filter expressions
    def filter_or(self) -> FExpr:
        items = [self.filter_and()]
        self.skip_ws()
        while self.text.startswith("||", self.i):
            self.i += 2
            items.append(self.filter_and())
            self.skip_ws()
        return items[0] if len(items) == 1 else FBool("||", tuple(items))

    def filter_and(self) -> FExpr:
        items = [self.filter_unary()]
        self.skip_ws()
        while self.text.startswith("&&", self.i):
            self.i += 2
            items.append(self.filter_unary())
            self.skip_ws()
        return items[0] if len(items) == 1 else FBool("&&", tuple(items))

    def filter_unary(self) -> FExpr:
        self.skip_ws()
        if self.peek() == "!" and self.peek(1) != "=":
            self.i += 1
            return FNot(self.filter_unary())
        if self.peek() == "(":
            self.i += 1
            inner = self.filter_or()
            self.skip_ws()
            self.expect(")")
            return inner
        left = self.operand()
        self.skip_ws()
        for op in _COMPARE_OPS:
            if self.text.startswith(op, self.i):
                self.i += len(op)
                self.skip_ws()
                right = self.regex() if op == "=~" else self.operand()
                return FCompare(op, left, right)
        for op in _WORD_OPS:
            if self.text.startswith(op, self.i) and not _is_id_continue(self.peek(len(op)) or " "):
                self.i += len(op)
                self.skip_ws()
                return FCompare(op, left, self.operand())
        if not isinstance(left, FPath):
            raise self.error("Expected a comparison operator")
        return left

    def regex(self) -> FRegex:
        start = self.i
        if self.peek() != "/":
            raise self.error("Expected a /regex/ after '=~'")
        self.i += 1
        buf: list[str] = []
        while self.i < self.n and self.text[self.i] != "/":
            if self.text[self.i] == "\\" and self.i + 1 < self.n:
                buf.append(self.text[self.i : self.i + 2])
                self.i += 2
                continue
            buf.append(self.text[self.i])
            self.i += 1
        if self.i >= self.n:
            raise ExprSyntaxError("Unterminated regular expression", start, self.n)
        self.i += 1
        flags_at = self.i
        while self.peek().isalpha():
            self.i += 1
        pattern, flags = "".join(buf), self.text[flags_at : self.i]
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ExprSyntaxError(f"Invalid regular expression: {exc}", start, self.i) from None
        return FRegex(pattern, flags)

    def operand(self) -> FExpr:
        self.skip_ws()
        ch = self.peek()
        if ch in ("@", "$"):
            self.i += 1
            segs = self.segments(_FILTER_NAME_STOP)
            return FPath("@" if ch == "@" else "$", tuple(segs))
        bare = _BARE_WORD.match(self.text, self.i)
        if bare and bare.group() not in ("true", "false", "null"):
            # Jayway would read a number here and fail, yet AWS's own samples filter on unquoted words
            # (e.g. [?(@.Type.Text==AMOUNT_PAID)]): accept it as a string and warn.
            word = bare.group()
            self.warnings.append(
                Problem(
                    f"Unquoted value {word} in a filter; write '{word}' (Jayway JsonPath, which AWS uses, "
                    "expects quoted strings)",
                    bare.start(),
                    bare.end(),
                )
            )
            self.i = bare.end()
            return FLiteral(word)
        return FLiteral(self.literal_value())

    def literal_value(self) -> Any:
        start = self.i
        ch = self.peek()
        if ch in ("'", '"'):
            return self.quoted(unescape=True)
        if ch == "[" or ch == "{":
            return self.json_value()
        m = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?").match(self.text, self.i)
        if m:
            self.i = m.end()
            return float(m.group()) if (m.group(1) or m.group(2)) else int(m.group())
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.i):
                self.i += len(word)
                return value
        found = repr(ch) if ch else "end of path"
        raise self.error(f"Expected a value but found {found}", start)

    def json_value(self) -> Any:
        # JSON arrays/objects in filters (e.g. `in ['a','b']`): accept single quotes like Jayway.
        start = self.i
        opener = self.text[self.i]
        closer = "]" if opener == "[" else "}"
        self.i += 1
        if opener == "[":
            items: list[Any] = []
            self.skip_ws()
            while self.peek() != closer:
                items.append(self.literal_value())
                self.skip_ws()
                if self.peek() == ",":
                    self.i += 1
                    self.skip_ws()
                elif self.peek() != closer:
                    raise self.error("Expected ',' or ']' in array literal")
            self.i += 1
            return items
        raise self.error("Object literals are not supported in filters", start, start + 1)
