"""What Terraform expressions evaluate to, statically: known values with their place in the file, and
unknown ones with a name.

An unknown value (a resource attribute computed at apply time, a variable nobody sets, a function
not evaluated here) is never guessed. It becomes a ``${name}`` placeholder where a definition or a
policy needs text (the convention of the rest of asl-lint), and its *symbolic* text where ARNs are
compared: the ARN pattern of a resource attribute (``arn:aws:lambda:${AWS::Region}:…:function:f``)
or ``${name}``, the same on both sides for the same expression and equal to nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from asl_lint.source.text import Span
from asl_lint.sources.base import ResourceRef, Site
from asl_lint.sources.offsets import MappedText

_UNSAFE = re.compile(r'[\s"\\{}]+')


@dataclass(eq=False)
class Value:
    file: str | None = None  # where the expression that produced it is written
    span: Span | None = None
    ref: ResourceRef | None = None  # the resource (attribute) it stands for, if any


@dataclass(eq=False)
class Unknown(Value):
    name: str = "?"  # the placeholder name: ``${name}``
    symbolic_text: str | None = None  # None: ``${name}``
    reason: str = ""
    missing: str | None = None  # a file file()/templatefile() names that does not exist
    origin: FileOrigin | None = None  # a template file that cannot be rendered statically here

    @property
    def symbolic(self) -> str:
        return self.symbolic_text if self.symbolic_text is not None else "${" + self.name + "}"


@dataclass(frozen=True)
class FileOrigin:
    """The text of a file read by ``file()``/``templatefile()``/``data.template_file``."""

    path: str  # as reports name it
    kind: str  # "file", "templatefile", "data.template_file"
    site: Site  # where the .tf names the file (the call, the ``template`` argument)
    variables: Obj | None = None  # the template's variables (None: ``file()``, nothing substituted)
    label: str = ""  # how messages name the mechanism ("templatefile() variables")


@dataclass(eq=False)
class Str(Value):
    text: str = ""  # unknown parts as ``${name}``
    symbolic: str = ""  # unknown parts as their symbolic text
    mapped: MappedText | None = None  # ``text`` mapped into ``file`` (None: no character map)
    unknowns: tuple[Unknown, ...] = ()
    origin: FileOrigin | None = None  # the text is the content of a file
    encoded: Value | None = None  # jsonencode(x): the value x

    @property
    def known(self) -> bool:
        return not self.unknowns


@dataclass(eq=False)
class Prim(Value):
    value: int | float | bool | None = None


@dataclass(eq=False)
class Seq(Value):
    items: list[Value] = field(default_factory=list)


@dataclass(eq=False)
class Obj(Value):
    items: dict[str, Value] = field(default_factory=dict)
    key_spans: dict[str, Span] = field(default_factory=dict)  # in ``file``
    value_spans: dict[str, Span] = field(default_factory=dict)  # the member's expression, in ``file``


def origin_of(value: Value | None) -> FileOrigin | None:
    """The file a value is the (rendered) text of, if any."""
    return value.origin if isinstance(value, (Str, Unknown)) else None


def placeholder_name(source: str) -> str:
    """A name for ``${...}`` that keeps JSON text valid: no quotes, backslashes, braces or breaks."""
    name = _UNSAFE.sub(" ", source).strip()
    return name[:80] if name else "?"


def unknown(name: str, reason: str = "", *, file: str | None = None, span: Span | None = None,
            ref: ResourceRef | None = None, symbolic: str | None = None) -> Unknown:
    return Unknown(file, span, ref, placeholder_name(name), symbolic, reason)


def text_of(value: Value, *, symbolic: bool = False) -> str | None:
    """The text a value becomes inside a string (``"${x}"``); None for lists and objects."""
    if isinstance(value, Str):
        return value.symbolic if symbolic else value.text
    if isinstance(value, Unknown):
        return value.symbolic if symbolic else "${" + value.name + "}"
    if isinstance(value, Prim):
        if isinstance(value.value, bool):
            return "true" if value.value else "false"
        if value.value is None:
            return ""
        return _number(value.value)
    return None


def _number(number: int | float) -> str:
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return str(number)


def to_python(value: Value, *, symbolic: bool = False) -> Any:
    """A JSON-like Python value; unknown parts are ``${name}`` (or their symbolic text)."""
    if isinstance(value, Obj):
        return {k: to_python(v, symbolic=symbolic) for k, v in value.items.items()}
    if isinstance(value, Seq):
        return [to_python(v, symbolic=symbolic) for v in value.items]
    if isinstance(value, Prim):
        return value.value
    if isinstance(value, Str):
        return value.symbolic if symbolic else value.text
    if isinstance(value, Unknown):
        return value.symbolic if symbolic else "${" + value.name + "}"
    return None


def unknowns_in(value: Value) -> list[Unknown]:
    """Every unknown part of a value, in order."""
    if isinstance(value, Unknown):
        return [value]
    if isinstance(value, Str):
        return list(value.unknowns)
    if isinstance(value, Obj):
        return [u for v in value.items.values() for u in unknowns_in(v)]
    if isinstance(value, Seq):
        return [u for v in value.items for u in unknowns_in(v)]
    return []


def json_text(value: Value, *, symbolic: bool = False) -> str:
    return json.dumps(to_python(value, symbolic=symbolic), separators=(",", ":"), ensure_ascii=False)
