"""AST of intrinsic function calls; every node keeps its offsets and prints itself back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from asl_lint.expr._jsonpath_ast import Path
from asl_lint.expr.errors import Problem

__all__ = ["Arg", "Call", "Literal", "PathArg", "Problem"]


@dataclass(frozen=True)
class Literal:
    """A literal argument. ``raw`` keeps a string's source (escapes intact) for States.Format."""

    value: Any
    offset: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)
    raw: str | None = field(default=None, compare=False)

    def to_text(self) -> str:
        if isinstance(self.value, str):
            if self.raw is not None:
                return f"'{self.raw}'"
            return "'" + re.sub(r"([\\'{}])", r"\\\1", self.value) + "'"
        if self.value is None:
            return "null"
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return repr(self.value)


@dataclass(frozen=True)
class PathArg:
    """A JSONPath argument of an intrinsic function, with its offsets in the text."""
    path: Path
    offset: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def to_text(self) -> str:
        return self.path.to_text()


@dataclass(frozen=True)
class Call:
    """An intrinsic function call (``States.Format(...)``), with its offsets in the text."""
    name: str
    args: tuple[Arg, ...]
    offset: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def to_text(self) -> str:
        return f"{self.name}(" + ", ".join(a.to_text() for a in self.args) + ")"

    @property
    def name_end(self) -> int:
        return self.offset + len(self.name)

    def depth(self) -> int:
        """Nesting depth: 1 for a call without nested calls."""
        return 1 + max((a.depth() for a in self.args if isinstance(a, Call)), default=0)

    def count(self) -> int:
        """Number of calls, this one included."""
        return 1 + sum(a.count() for a in self.args if isinstance(a, Call))


Arg = Literal | PathArg | Call
