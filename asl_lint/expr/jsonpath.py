"""ASL JSONPath: parser (with exact offsets) and evaluator following AWS's Jayway JsonPath.

Roots: ``$`` (input), ``$$`` (context object), ``$name`` (workflow variable). The grammar and the
"definite path" rules follow Jayway JsonPath, which Step Functions uses; error texts reproduce
Jayway's ("No results for path: $['a']", "Missing property in path $['a']").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from asl_lint.expr.errors import EvaluationError, ExprSyntaxError

__all__ = [
    "CONTEXT_FIELDS",
    "Child",
    "Descendant",
    "FilterSeg",
    "Function",
    "Index",
    "Path",
    "PathNotFound",
    "Script",
    "Segment",
    "Slice",
    "Union",
    "Wildcard",
    "check_context_path",
    "evaluate",
    "get_value",
    "is_definite",
    "parse_path",
    "set_value",
]


# ---------------------------------------------------------------------------------------------
# AST
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One path step. Offsets locate it in the path text and are ignored by equality."""

    offset: int = field(default=0, compare=False, kw_only=True)
    end: int = field(default=0, compare=False, kw_only=True)

    definite: bool = field(default=True, init=False, repr=False, compare=False)

    def to_text(self) -> str:
        raise NotImplementedError

    def jayway(self) -> str:
        return self.to_text()


def _quote(name: str) -> str:
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


_SHORTHAND = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Child(Segment):
    """``.name`` or ``['name']``."""

    name: str

    def to_text(self) -> str:
        return f".{self.name}" if _SHORTHAND.match(self.name) else f"[{_quote(self.name)}]"

    def jayway(self) -> str:
        return f"[{_quote(self.name)}]"


@dataclass(frozen=True)
class Index(Segment):
    """``[n]``; negative counts from the end (Jayway)."""

    index: int

    def to_text(self) -> str:
        return f"[{self.index}]"


@dataclass(frozen=True)
class Wildcard(Segment):
    """``.*`` or ``[*]``."""

    definite: bool = field(default=False, init=False, repr=False, compare=False)

    def to_text(self) -> str:
        return "[*]"


@dataclass(frozen=True)
class Slice(Segment):
    """``[start:stop]`` or ``[start:stop:step]``."""

    start: int | None
    stop: int | None
    step: int | None = None
    definite: bool = field(default=False, init=False, repr=False, compare=False)

    def to_text(self) -> str:
        parts = ["" if self.start is None else str(self.start), "" if self.stop is None else str(self.stop)]
        if self.step is not None:
            parts.append(str(self.step))
        return "[" + ":".join(parts) + "]"


@dataclass(frozen=True)
class Union(Segment):
    """``[0,1]`` or ``['a','b']``."""

    items: tuple[str | int, ...]
    definite: bool = field(default=False, init=False, repr=False, compare=False)

    def to_text(self) -> str:
        return "[" + ",".join(_quote(i) if isinstance(i, str) else str(i) for i in self.items) + "]"


@dataclass(frozen=True)
class Descendant(Segment):
    """``..name``, ``..*`` or ``..[...]``: ``selector`` applied to every node (pre-order)."""

    selector: Segment
    definite: bool = field(default=False, init=False, repr=False, compare=False)

    def to_text(self) -> str:
        inner = self.selector.to_text()
        return ".." + (inner[1:] if inner.startswith(".") else inner)

    def jayway(self) -> str:
        return ".." + self.selector.jayway()


@dataclass(frozen=True)
class FilterSeg(Segment):
    """``[?(expr)]``; ``expr`` is a filter-expression AST (see ``FExpr``)."""

    expr: FExpr
    definite: bool = field(default=False, init=False, repr=False, compare=False)

    def to_text(self) -> str:
        return f"[?({self.expr.to_text()})]"


@dataclass(frozen=True)
class Script(Segment):
    """``[(@.length-n)]``: the element ``n`` from the end (Goessner script, the only form supported)."""

    from_end: int
    definite: bool = field(default=False, init=False, repr=False, compare=False)

    def to_text(self) -> str:
        return f"[(@.length-{self.from_end})]"


@dataclass(frozen=True)
class Function(Segment):
    """A Jayway function at the tail, e.g. ``.length()``; arguments are kept as literal values."""

    name: str
    args: tuple[Any, ...] = ()

    def to_text(self) -> str:
        return f".{self.name}(" + ", ".join(json.dumps(a) for a in self.args) + ")"


FUNCTION_NAMES = frozenset(
    {
        "length",
        "size",
        "min",
        "max",
        "avg",
        "stddev",
        "sum",
        "keys",
        "first",
        "last",
        "index",
        "concat",
        "append",
    }
)


# Filter expressions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FExpr:
    def to_text(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class FPath(FExpr):
    """A path inside a filter: ``@...`` (current item) or ``$...`` (document root)."""

    root: Literal["@", "$"]
    segments: tuple[Segment, ...]

    def to_text(self) -> str:
        return self.root + "".join(s.to_text() for s in self.segments)


@dataclass(frozen=True)
class FLiteral(FExpr):
    value: Any

    def to_text(self) -> str:
        if isinstance(self.value, str):
            return _quote(self.value)
        return json.dumps(self.value, separators=(",", ":"))


@dataclass(frozen=True)
class FRegex(FExpr):
    pattern: str
    flags: str

    def to_text(self) -> str:
        return f"/{self.pattern}/{self.flags}"


@dataclass(frozen=True)
class FCompare(FExpr):
    op: str
    left: FExpr
    right: FExpr

    def to_text(self) -> str:
        return f"{self.left.to_text()} {self.op} {self.right.to_text()}"


@dataclass(frozen=True)
class FBool(FExpr):
    op: Literal["&&", "||"]
    items: tuple[FExpr, ...]

    def to_text(self) -> str:
        return f" {self.op} ".join(_paren(i) for i in self.items)


@dataclass(frozen=True)
class FNot(FExpr):
    item: FExpr

    def to_text(self) -> str:
        return "!" + _paren(self.item)


def _paren(e: FExpr) -> str:
    return f"({e.to_text()})" if isinstance(e, FBool | FCompare | FNot) else e.to_text()


# The path ------------------------------------------------------------------------------------

_REFERENCE_SEGMENTS = (Child, Index)


@dataclass(frozen=True)
class Path:
    text: str
    root: Literal["input", "context", "variable"]
    variable: str | None
    segments: tuple[Segment, ...]

    @property
    def is_reference(self) -> bool:
        """A Reference Path: only single-node member access (``.name``, ``['name']``, ``[n]``)."""
        return all(type(s) in _REFERENCE_SEGMENTS for s in self.segments)

    @property
    def is_definite(self) -> bool:
        return all(s.definite for s in self.segments)

    def member_names(self) -> tuple[str | int, ...] | None:
        """The plain member chain (``$$.Execution.Input`` → ``('Execution', 'Input')``), else None."""
        out: list[str | int] = []
        for s in self.segments:
            if isinstance(s, Child):
                out.append(s.name)
            elif isinstance(s, Index):
                out.append(s.index)
            else:
                return None
        return tuple(out)

    def to_text(self) -> str:
        """Canonical text; parsing it gives an equal Path (offsets aside)."""
        head = {"input": "$", "context": "$$"}.get(self.root) or f"${self.variable}"
        return head + "".join(s.to_text() for s in self.segments)

    def jayway(self) -> str:
        """Jayway's normalised form used in its error messages, e.g. ``$['a'][0]``."""
        return "$" + "".join(s.jayway() for s in self.segments)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Path):
            return NotImplemented
        return (self.root, self.variable, self.segments) == (other.root, other.variable, other.segments)

    def __hash__(self) -> int:
        return hash((self.root, self.variable, self.segments))


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------

# Characters that end a dot-notation name (Jayway stops at these as well).
_NAME_STOP = frozenset(".[]()'\", \t\r\n")
# Inside filters a name also stops at operator characters.
_FILTER_NAME_STOP = _NAME_STOP | frozenset("=<>!&|+*/")
_COMPARE_OPS = ("==", "!=", "<=", ">=", "=~", "<", ">")
_WORD_OPS = ("nin", "in", "subsetof", "anyof", "noneof", "size", "empty", "contains")


def _is_id_start(ch: str) -> bool:
    return ch.isidentifier()


def _is_id_continue(ch: str) -> bool:
    return ("a" + ch).isidentifier()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.n = len(text)

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
        segments = self.segments(_NAME_STOP, in_filter=False)
        self.skip_ws()  # Jayway trims the path, so trailing blanks are harmless
        if self.i < self.n:
            raise self.error(f"Unexpected character {text[self.i]!r} in JSONPath")
        for seg in segments[:-1]:
            if isinstance(seg, Function):
                raise ExprSyntaxError(
                    f"Function '{seg.name}()' must be at the end of the path", seg.offset, seg.end
                )
        return Path(text, root, variable, tuple(segments))

    def segments(self, stop: frozenset[str], *, in_filter: bool) -> list[Segment]:
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
            return self.script(start)
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

    def quoted(self) -> str:
        quote = self.text[self.i]
        start = self.i
        self.i += 1
        buf: list[str] = []
        while self.i < self.n:
            ch = self.text[self.i]
            if ch == "\\" and self.i + 1 < self.n:
                buf.append(self.text[self.i + 1])
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
        self.skip_ws()
        if self.peek() == ":":
            self.i += 1
            self.skip_ws()
            stop = self.integer()
            self.skip_ws()
            step: int | None = None
            if self.peek() == ":":
                self.i += 1
                self.skip_ws()
                step_at = self.i
                step = self.integer()
                if step == 0:
                    raise self.error("Slice step cannot be zero", step_at, self.i)
                self.skip_ws()
            self.expect("]")
            return Slice(first, stop, step, offset=start, end=self.i)
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

    def script(self, start: int) -> Script:
        m = re.compile(r"\(\s*@\.length\s*-\s*(\d+)\s*\)\s*\]").match(self.text, self.i)
        if not m:
            raise self.error("Only the script expression (@.length-N) is supported", start, self.i + 1)
        self.i = m.end()
        return Script(int(m.group(1)), offset=start, end=self.i)

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
            segs = self.segments(_FILTER_NAME_STOP, in_filter=True)
            return FPath("@" if ch == "@" else "$", tuple(segs))
        return FLiteral(self.literal_value())

    def literal_value(self) -> Any:
        start = self.i
        ch = self.peek()
        if ch in ("'", '"'):
            return self.quoted()
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


@lru_cache(maxsize=4096)
def parse_path(text: str) -> Path:
    """Parse an ASL JSONPath (``$``, ``$$`` or ``$var`` rooted). Raises ExprSyntaxError."""
    return _Parser(text).parse()


def is_definite(path: Path) -> bool:
    """Jayway's definite path: no wildcard, descendant, filter, slice, union or script."""
    return path.is_definite


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


class PathNotFound(EvaluationError):
    """A definite path matched nothing (AWS: States.Runtime). ``detail`` is Jayway's message."""

    def __init__(self, path_text: str, detail: str) -> None:
        super().__init__("States.Runtime", f"Invalid path '{path_text}' : {detail}")
        self.path_text = path_text
        self.detail = detail


class _NotFound(Exception):
    def __init__(self, detail: str) -> None:
        self.detail = detail


def _java_type(value: Any) -> str:
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        return "java.lang.Integer"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, list):
        return "java.util.ArrayList"
    return "null" if value is None else type(value).__name__


def _apply(
    seg: Segment, value: Any, loc: str, leaf: bool, strict: bool, root: Any
) -> Iterator[tuple[Any, str]]:
    """Yield (match, jayway location) for one segment; ``strict`` = upstream definite (Jayway raises)."""
    if isinstance(seg, Child):
        here = f"{loc}[{_quote(seg.name)}]"
        if not isinstance(value, Mapping):
            if strict:
                raise _NotFound(
                    f"Expected to find an object with property [{_quote(seg.name)}] in path {loc} "
                    f"but found '{_java_type(value)}'. This is not a json object according to the "
                    "JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
                )
            return
        if seg.name in value:
            yield value[seg.name], here
        elif not leaf and strict:
            raise _NotFound(f"Missing property in path {here}")
        return
    if isinstance(seg, Index):
        if not isinstance(value, list):
            if strict:
                if value is None:
                    raise _NotFound(f"The path {loc} is null")
                raise _NotFound(
                    f"Filter: {seg.jayway()} can only be applied to arrays. Current context is: "
                    f"{_java_str(value)}"
                )
            return
        idx = seg.index + len(value) if seg.index < 0 else seg.index
        if 0 <= idx < len(value):
            yield value[idx], f"{loc}[{idx}]"
        return
    if isinstance(seg, Wildcard):
        if isinstance(value, Mapping):
            for k, v in value.items():
                yield v, f"{loc}[{_quote(k)}]"
        elif isinstance(value, list):
            for k, v in enumerate(value):
                yield v, f"{loc}[{k}]"
        return
    if isinstance(seg, Union):
        for item in seg.items:
            if isinstance(item, str):
                if isinstance(value, Mapping) and item in value:
                    yield value[item], f"{loc}[{_quote(item)}]"
            elif isinstance(value, list):
                idx = item + len(value) if item < 0 else item
                if 0 <= idx < len(value):
                    yield value[idx], f"{loc}[{idx}]"
        return
    if isinstance(seg, Slice):
        if isinstance(value, list):
            rng = range(len(value))[slice(seg.start, seg.stop, seg.step)]
            for idx in rng:
                yield value[idx], f"{loc}[{idx}]"
        return
    if isinstance(seg, Script):
        if isinstance(value, list) and 0 < seg.from_end <= len(value):
            idx = len(value) - seg.from_end
            yield value[idx], f"{loc}[{idx}]"
        return
    if isinstance(seg, FilterSeg):
        if isinstance(value, list):
            for k, v in enumerate(value):
                if _truth(seg.expr, v, root):
                    yield v, f"{loc}[{k}]"
        elif isinstance(value, Mapping) and _truth(seg.expr, value, root):
            yield value, loc
        return
    if isinstance(seg, Descendant):
        for node, node_loc in _preorder(value, loc):
            yield from _apply(seg.selector, node, node_loc, leaf, False, root)
        return
    raise TypeError(f"unsupported segment {seg!r}")  # pragma: no cover


def _preorder(value: Any, loc: str) -> Iterator[tuple[Any, str]]:
    yield value, loc
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _preorder(v, f"{loc}[{_quote(k)}]")
    elif isinstance(value, list):
        for k, v in enumerate(value):
            yield from _preorder(v, f"{loc}[{k}]")


def _java_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _walk(segments: tuple[Segment, ...], data: Any, root: Any, *, strict: bool) -> list[tuple[Any, str]]:
    nodes: list[tuple[Any, str]] = [(data, "$")]
    upstream = strict
    last = len(segments) - 1
    for pos, seg in enumerate(segments):
        if isinstance(seg, Function):
            # A definite upstream hands the function its single value, otherwise the list of matches.
            if upstream:
                if not nodes:
                    return []
                target: Any = nodes[0][0]
            else:
                target = [v for v, _ in nodes]
            nodes = [(_function(seg, target), "$")]
            continue
        nxt: list[tuple[Any, str]] = []
        for value, loc in nodes:
            nxt.extend(_apply(seg, value, loc, pos == last, upstream, root))
        nodes = nxt
        upstream = upstream and seg.definite
    return nodes


def _number(values: list[Any]) -> list[float]:
    nums = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not nums:
        raise _NotFound("Aggregation function attempted to calculate value using empty array")
    return nums


def _function(seg: Function, target: Any) -> Any:
    name = seg.name
    if name in ("length", "size"):
        if isinstance(target, list | str | Mapping):
            return len(target)
        raise _NotFound(f"Function {name}() can not be applied to {_java_type(target)}")
    if name == "keys":
        if isinstance(target, Mapping):
            return list(target.keys())
        raise _NotFound("Function keys() can only be applied to a JSON object")
    values = target if isinstance(target, list) else [target]
    if name in ("first", "last", "index"):
        if not values:
            raise _NotFound(f"Function {name}() can not be applied to an empty array")
        if name == "index":
            return values[int(seg.args[0]) if seg.args else 0]
        return values[0] if name == "first" else values[-1]
    if name == "concat":
        return "".join(_java_str(v) for v in [*values, *seg.args])
    if name == "append":
        return [*values, *seg.args]
    nums = _number(values)
    if name == "min":
        return float(min(nums))
    if name == "max":
        return float(max(nums))
    if name == "sum":
        return float(sum(nums))
    mean = sum(nums) / len(nums)
    if name == "avg":
        return mean
    return math.sqrt(sum(x * x for x in nums) / len(nums) - mean * mean)  # stddev (population)


def _root_value(path: Path, data: Any, context: Any, variables: Mapping[str, Any] | None) -> Any:
    if path.root == "input":
        return data
    if path.root == "context":
        return context
    assert path.variable is not None
    if variables is None or path.variable not in variables:
        # A PathNotFound so callers handle it like any other unresolved path (States.Runtime).
        raise PathNotFound(path.text, f"The variable '{path.variable}' is not defined")
    return variables[path.variable]


def evaluate(
    path: Path, data: Any, *, context: Any = None, variables: Mapping[str, Any] | None = None
) -> list[Any]:
    """All matches of ``path`` (a definite path gives 0 or 1). Never raises for missing data."""
    try:
        start = _root_value(path, data, context, variables)
    except PathNotFound:
        return []
    try:
        return [v for v, _ in _walk(path.segments, start, data, strict=False)]
    except _NotFound:
        return []


def get_value(
    path: Path, data: Any, *, context: Any = None, variables: Mapping[str, Any] | None = None
) -> Any:
    """The value as AWS reads it: the single match of a definite path, or the list of matches.

    Raises PathNotFound (States.Runtime, Jayway's message) when a definite path matches nothing.
    An indefinite path that matches nothing yields ``[]`` (Jayway returns an empty list).
    """
    start = _root_value(path, data, context, variables)
    definite = path.is_definite
    try:
        nodes = _walk(path.segments, start, data, strict=definite)
    except _NotFound as exc:
        raise PathNotFound(path.text, exc.detail) from None
    values = [v for v, _ in nodes]
    if not definite and not (path.segments and isinstance(path.segments[-1], Function)):
        return values
    if not values:
        raise PathNotFound(path.text, f"No results for path: {path.jayway()}")
    return values[0]


def set_value(path: Path, target: Any, value: Any) -> Any:
    """ResultPath semantics: a copy of ``target`` with ``value`` written at the reference path.

    Intermediate objects are created; ``$`` replaces the whole document. Raises EvaluationError
    (``States.ResultPathMatchFailure``) when the path runs into a non-object.
    """
    if path.root != "input" or not path.is_reference:
        raise EvaluationError(
            "States.ResultPathMatchFailure",
            f"ResultPath '{path.text}' must be a reference path rooted at '$'",
        )
    if not path.segments:
        return value

    def fail() -> EvaluationError:
        text = json.dumps(json.dumps(target, separators=(",", ":"), ensure_ascii=False), ensure_ascii=False)
        return EvaluationError(
            "States.ResultPathMatchFailure", f"Unable to apply ReferencePath {path.text} to input {text}"
        )

    def put(node: Any, segs: tuple[Segment, ...]) -> Any:
        seg, rest = segs[0], segs[1:]
        if isinstance(seg, Child):
            if node is None:
                node = {}
            if not isinstance(node, Mapping):
                raise fail()
            out = dict(node)
            out[seg.name] = put(out.get(seg.name), rest) if rest else value
            return out
        assert isinstance(seg, Index)
        if not isinstance(node, list):
            raise fail()
        idx = seg.index + len(node) if seg.index < 0 else seg.index
        if not 0 <= idx < len(node):
            raise fail()
        arr = list(node)
        arr[idx] = put(arr[idx], rest) if rest else value
        return arr

    if not isinstance(target, Mapping | list):
        raise fail()
    return put(target, path.segments)


# Filter evaluation ------------------------------------------------------------------------------

_MISSING = object()


def _operand(expr: FExpr, item: Any, root: Any) -> Any:
    if isinstance(expr, FLiteral):
        return expr.value
    if isinstance(expr, FPath):
        base = item if expr.root == "@" else root
        try:
            nodes = _walk(expr.segments, base, root, strict=False)
        except _NotFound:
            return _MISSING
        if not nodes:
            return _MISSING
        if all(s.definite for s in expr.segments) or isinstance(expr.segments[-1], Function):
            return nodes[0][0]
        return [v for v, _ in nodes]
    return _MISSING


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _json_eq(a: Any, b: Any) -> bool:
    if _is_num(a) and _is_num(b):
        return bool(a == b)
    if type(a) is not type(b) and not (isinstance(a, Mapping) and isinstance(b, Mapping)):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_json_eq(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping):
        return a.keys() == b.keys() and all(_json_eq(a[k], b[k]) for k in a)
    return bool(a == b)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return left is not _MISSING and _json_eq(left, right)
    if op == "!=":
        return not (left is not _MISSING and _json_eq(left, right))
    if left is _MISSING or right is _MISSING:
        return False
    if op in ("<", "<=", ">", ">="):
        if (_is_num(left) and _is_num(right)) or (isinstance(left, str) and isinstance(right, str)):
            return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
        return False
    if op in ("in", "nin"):
        found = isinstance(right, list) and any(_json_eq(left, r) for r in right)
        return found if op == "in" else not found
    if op == "contains":
        if isinstance(left, str) and isinstance(right, str):
            return right in left
        return isinstance(left, list) and any(_json_eq(x, right) for x in left)
    if op == "size":
        return isinstance(left, list | str) and _is_num(right) and len(left) == right
    if op == "empty":
        return isinstance(left, list | str) and (len(left) == 0) == bool(right)
    if not (isinstance(left, list) and isinstance(right, list)):
        return False
    if op == "subsetof":
        return all(any(_json_eq(x, y) for y in right) for x in left)
    if op == "anyof":
        return any(any(_json_eq(x, y) for y in right) for x in left)
    if op == "noneof":
        return not any(any(_json_eq(x, y) for y in right) for x in left)
    return False


@lru_cache(maxsize=256)
def _regex(pattern: str, flags: str) -> re.Pattern[str]:
    bits = 0
    for f, b in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if f in flags:
            bits |= b
    return re.compile(pattern, bits)


def _truth(expr: FExpr, item: Any, root: Any) -> bool:
    if isinstance(expr, FBool):
        if expr.op == "&&":
            return all(_truth(e, item, root) for e in expr.items)
        return any(_truth(e, item, root) for e in expr.items)
    if isinstance(expr, FNot):
        return not _truth(expr.item, item, root)
    if isinstance(expr, FCompare):
        left = _operand(expr.left, item, root)
        if isinstance(expr.right, FRegex):
            # Jayway uses Matcher.matches(): the whole string must match.
            rx = _regex(expr.right.pattern, expr.right.flags)
            return isinstance(left, str) and rx.fullmatch(left) is not None
        return _compare(expr.op, left, _operand(expr.right, item, root))
    if isinstance(expr, FPath):  # existence test
        return _operand(expr, item, root) is not _MISSING
    return False


# ---------------------------------------------------------------------------------------------
# Context object
# ---------------------------------------------------------------------------------------------

# Member chains of the Context object. "*" = any value below (Execution.Input is the user's input).
CONTEXT_FIELDS: dict[str, Any] = {
    "Execution": {
        "Id": None,
        "Input": "*",
        "Name": None,
        "RoleArn": None,
        "StartTime": None,
        "RedriveCount": None,
        "RedriveTime": None,
    },
    "State": {"EnteredTime": None, "Name": None, "RetryCount": None},
    "StateMachine": {"Id": None, "Name": None},
    "Task": {"Token": None},
    "Map": {"Item": {"Index": None, "Value": "*", "Key": None, "Source": None}},
}


def _all_chains(tree: Mapping[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for k, v in tree.items():
        out.append(prefix + k)
        if isinstance(v, Mapping):
            out.extend(_all_chains(v, prefix + k + "."))
    return out


def check_context_path(path: Path, *, in_map: bool, in_map_item_selector: bool, callback: bool) -> str | None:
    """A message when a ``$$.`` path names a Context field that does not exist here, else None.

    ``in_map``: inside a Map's ItemProcessor/Iterator; ``in_map_item_selector``: in the Map's
    ItemSelector/Parameters (where ``$$.Map.Item`` lives); ``callback``: a ``.waitForTaskToken`` Task.
    """
    import difflib

    if path.root != "context":
        return None
    chain = path.member_names()
    if chain is None:
        chain_list: list[str | int] = []
        for s in path.segments:
            if isinstance(s, Child):
                chain_list.append(s.name)
            else:
                break
        chain = tuple(chain_list)
    node: Any = CONTEXT_FIELDS
    walked: list[str] = []
    for part in chain:
        if node == "*":
            break
        if not isinstance(node, Mapping) or not isinstance(part, str) or part not in node:
            if not isinstance(node, Mapping):
                return f"$$.{'.'.join(walked)} has no field {part!r}"
            candidates = ["$$." + c for c in _all_chains(CONTEXT_FIELDS)]
            wanted = "$$." + ".".join([*walked, str(part)])
            close = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            return f"The Context object has no field {wanted}{hint}"
        walked.append(part)
        node = node[part]
    if walked[:1] == ["Map"] and not (in_map_item_selector or in_map):
        return "$$.Map is only available in a Map state's ItemSelector"
    if walked[:1] == ["Map"] and not in_map_item_selector:
        return "$$.Map.Item is only available in the Map state's ItemSelector, not inside its states"
    if walked[:1] == ["Task"] and not callback:
        return "$$.Task.Token is only available in a Task state using .waitForTaskToken"
    return None
