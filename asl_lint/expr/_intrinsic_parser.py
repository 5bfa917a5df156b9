"""Parser for intrinsic function calls (``States.Name(arg, ...)``) with exact offsets."""

from __future__ import annotations

from typing import Any

from asl_lint._lazy import lazy_compile
from asl_lint.expr._intrinsic_ast import Arg, Call, Literal, PathArg
from asl_lint.expr.errors import ExprSyntaxError
from asl_lint.expr.jsonpath import parse_path

_NAME = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_NUMBER = lazy_compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ESCAPABLE = "'{}\\"


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.n = len(text)

    def peek(self) -> str:
        return self.text[self.i] if self.i < self.n else ""

    def skip_ws(self) -> None:
        while self.i < self.n and self.text[self.i] in " \t\r\n":
            self.i += 1

    def error(self, message: str, offset: int | None = None, end: int | None = None) -> ExprSyntaxError:
        start = self.i if offset is None else offset
        return ExprSyntaxError(message, start, end if end is not None else start + 1)

    def found(self) -> str:
        return repr(self.peek()) if self.peek() else "end of text"

    def parse(self) -> Call:
        self.skip_ws()
        call = self.call()
        self.skip_ws()
        if self.i < self.n:
            raise self.error(f"Unexpected text after the closing ')': {self.found()}", self.i, self.n)
        return call

    def call(self) -> Call:
        start = self.i
        m = _NAME.match(self.text, self.i)
        if not m:
            raise self.error(f"Expected an intrinsic function name but found {self.found()}")
        self.i = m.end()
        if self.peek() != "(":
            raise self.error(f"Expected '(' after '{m.group()}' but found {self.found()}")
        self.i += 1
        args: list[Arg] = []
        self.skip_ws()
        if self.peek() == ")":
            self.i += 1
            return Call(m.group(), (), start, self.i)
        while True:
            self.skip_ws()
            args.append(self.argument())
            self.skip_ws()
            ch = self.peek()
            if ch == ",":
                self.i += 1
                continue
            if ch == ")":
                self.i += 1
                return Call(m.group(), tuple(args), start, self.i)
            if not ch:
                raise self.error(f"Missing ')' to close {m.group()}(", start, self.n)
            raise self.error(f"Expected ',' or ')' but found {self.found()}")

    def argument(self) -> Arg:
        ch = self.peek()
        start = self.i
        if ch == "'":
            return self.string()
        if ch == "$":
            return self.path()
        m = _NUMBER.match(self.text, self.i)
        if m:
            self.i = m.end()
            token = m.group()
            value: Any = float(token) if any(c in token for c in ".eE") else int(token)
            return Literal(value, start, self.i)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.i) and not _is_word_char(self.text, self.i + len(word)):
                self.i += len(word)
                return Literal(val, start, self.i)
        if _NAME.match(self.text, self.i):
            return self.call()
        if ch in (",", ")"):
            raise self.error("Missing argument")
        if not ch:
            raise self.error("Unexpected end of text: expected an argument")
        raise self.error(f"Unexpected character {ch!r}: expected an argument")

    def string(self) -> Literal:
        start = self.i
        self.i += 1
        buf: list[str] = []
        while self.i < self.n:
            ch = self.text[self.i]
            if ch == "\\":
                nxt = self.text[self.i + 1] if self.i + 1 < self.n else ""
                if nxt not in _ESCAPABLE or not nxt:
                    raise self.error(
                        "Invalid escape sequence: only \\', \\{, \\} and \\\\ are allowed", self.i, self.i + 2
                    )
                buf.append(nxt)
                self.i += 2
                continue
            if ch == "'":
                self.i += 1
                return Literal("".join(buf), start, self.i, raw=self.text[start + 1 : self.i - 1])
            buf.append(ch)
            self.i += 1
        raise self.error("Unterminated string literal: missing closing quote", start, self.n)

    def path(self) -> PathArg:
        """A path ends at a top-level ',' or ')' (brackets and quotes may contain both)."""
        start = self.i
        depth = 0
        quote = ""
        while self.i < self.n:
            ch = self.text[self.i]
            if quote:
                if ch == "\\":
                    self.i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch in "[(":
                depth += 1
            elif ch in "])":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                break
            self.i += 1
        text = self.text[start : self.i].rstrip(" \t\r\n")
        try:
            path = parse_path(text)
        except ExprSyntaxError as exc:
            raise ExprSyntaxError(exc.message, start + exc.offset, start + exc.end) from None
        return PathArg(path, start, start + len(text))


def _is_word_char(text: str, i: int) -> bool:
    return i < len(text) and (text[i].isalnum() or text[i] in "_.")
