"""AST of ASL JSONPath: path segments, filter expressions and ``Path``; each node prints itself back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from asl_lint.expr.errors import Problem


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


def quote_name(name: str) -> str:
    """A property name in brackets. AWS's Jayway keeps the text between the quotes verbatim
    (a backslash only stops the next character from closing it), so pick a quote the name lacks."""
    return f'"{name}"' if "'" in name and '"' not in name else f"'{name}'"


def _quote_literal(value: str) -> str:
    """A string literal inside a filter; Jayway unescapes these."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# Characters that end a dot-notation name. Jayway stops only at '.', '[' and '(' (so ``$.a]b`` names
# "a]b"); a blank inside a name is an error. Inside filters a name also ends at ')' and at the
# relational operator characters.
_NAME_STOP = frozenset(".[( \t\r\n")
_FILTER_NAME_STOP = _NAME_STOP | frozenset(")<>=~!")
# Names with these characters are printed in bracket form, which parses the same in every context
# (plain paths, filters, intrinsic arguments).
_PRINT_UNSAFE = _FILTER_NAME_STOP | frozenset("]'\",")


def _dot_safe(name: str) -> bool:
    return (
        bool(name)
        and not name.startswith("*")
        and not (set(name) & _PRINT_UNSAFE)
        and not any(c.isspace() for c in name)
    )


def _child_text(name: str) -> str:
    if _dot_safe(name):
        return f".{name}"
    bracket_ok = not name.endswith("\\") and ("'" not in name or '"' not in name)
    if not bracket_ok and name and not name.startswith("*") and not (set(name) & _NAME_STOP):
        return f".{name}"  # only a plain path can spell this name; best effort
    return f"[{quote_name(name)}]"


@dataclass(frozen=True)
class Child(Segment):
    """``.name`` or ``['name']``."""

    name: str

    def to_text(self) -> str:
        return _child_text(self.name)

    def jayway(self) -> str:
        return f"[{quote_name(self.name)}]"


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
    """``[start:stop]`` or ``[start:stop:step]`` (AWS's Jayway ignores the step)."""

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
        return "[" + ",".join(quote_name(i) if isinstance(i, str) else str(i) for i in self.items) + "]"


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
    """A filter expression (``[?(...)]``) of a JSONPath."""
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
    """A literal in a filter: string, number, boolean or null."""
    value: Any

    def to_text(self) -> str:
        if isinstance(self.value, str):
            return _quote_literal(self.value)
        return json.dumps(self.value, separators=(",", ":"))


@dataclass(frozen=True)
class FRegex(FExpr):
    """A ``/pattern/flags`` regular expression in a filter."""
    pattern: str
    flags: str

    def to_text(self) -> str:
        return f"/{self.pattern}/{self.flags}"


@dataclass(frozen=True)
class FCompare(FExpr):
    """A comparison in a filter (``@.a == 1``)."""
    op: str
    left: FExpr
    right: FExpr

    def to_text(self) -> str:
        return f"{self.left.to_text()} {self.op} {self.right.to_text()}"


@dataclass(frozen=True)
class FBool(FExpr):
    """A chain of ``&&`` or ``||`` in a filter."""
    op: Literal["&&", "||"]
    items: tuple[FExpr, ...]

    def to_text(self) -> str:
        return f" {self.op} ".join(_paren(i) for i in self.items)


@dataclass(frozen=True)
class FNot(FExpr):
    """A negation (``!``) in a filter."""
    item: FExpr

    def to_text(self) -> str:
        return "!" + _paren(self.item)


def _paren(e: FExpr) -> str:
    return f"({e.to_text()})" if isinstance(e, FBool | FCompare | FNot) else e.to_text()


# The path ------------------------------------------------------------------------------------

_REFERENCE_SEGMENTS = (Child, Index)


@dataclass(frozen=True)
class Path:
    """A parsed JSONPath: its root (``$``, ``$$`` or a variable) and segments."""
    text: str
    root: Literal["input", "context", "variable"]
    variable: str | None
    segments: tuple[Segment, ...]
    # Accepted-but-suspicious spellings (e.g. unquoted words in filters), with offsets into ``text``.
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

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
