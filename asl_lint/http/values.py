"""One field of an HTTP Task request: static, dynamic or a substitution placeholder, and what is known.

A dynamic string often starts with literal text: `States.Format('https://api.example.com/{}', $.id)` or
JSONata `{% 'https://api.example.com/' & $id %}`. That leading text (`prefix`) is certain, so checks can
judge the scheme and host even though the rest is only known at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from asl_lint._lazy import lazy_compile
from asl_lint.sources.base import PLACEHOLDER, is_unknown

ValueKind = Literal["static", "dynamic", "placeholder"]

# A JSONata expression that starts with a string literal: `'text' & …`, or is nothing but one.
_JSONATA_LEADING = lazy_compile(r"""\s*(?P<q>['"])(?P<text>(?:(?!(?P=q))[^\\])*)(?P=q)\s*(?P<rest>&|$)""", re.S)


@dataclass(frozen=True)
class HttpValue:
    """A request field. `pointer` is the member's pointer (its key ends in `.$` for JSONPath dynamic).

    `prefix` is literal text the value certainly starts with (dynamic and placeholder strings);
    `prefix_offset` is where that text sits inside the raw string, when it is copied verbatim.
    """

    field: str
    pointer: str
    raw: Any
    kind: ValueKind
    prefix: str | None = None
    prefix_offset: int | None = None
    complete: bool = False  # the prefix is the whole value (a JSONata string constant)

    @property
    def static(self) -> bool:
        return self.kind == "static"

    @property
    def text(self) -> str | None:
        """The value when it is a static string."""
        return self.raw if self.static and isinstance(self.raw, str) else None

    def known_text(self) -> tuple[str, int | None, bool] | None:
        """(known leading text, its offset in the raw string, whether it is the whole value)."""
        if self.text is not None:
            return self.text, 0, True
        if self.prefix is not None:
            return self.prefix, self.prefix_offset, self.complete
        return None


def _format_prefix(expression: str) -> tuple[str, int | None] | None:
    """The template text before the first `{}` of a `States.Format('…', …)` call."""
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.intrinsics import Literal as IntrinsicLiteral
    from asl_lint.expr.intrinsics import parse_intrinsic

    try:
        call = parse_intrinsic(expression)
    except ExprSyntaxError:
        return None
    if call.name != "States.Format" or not call.args:
        return None
    template = call.args[0]
    if not isinstance(template, IntrinsicLiteral) or not isinstance(template.value, str) or template.raw is None:
        return None
    raw = template.raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            out.append(raw[i + 1])
            i += 2
            continue
        if raw.startswith("{}", i):
            break
        out.append(raw[i])
        i += 1
    verbatim = "\\" not in raw[:i]
    return "".join(out), (template.offset + 1 if verbatim else None)


def _jsonata_prefix(text: str) -> tuple[str, int, bool] | None:
    """The leading string literal of a `{% … %}` expression, and whether it is the whole expression."""
    body = text[2:-2]
    m = _JSONATA_LEADING.match(body)
    if m is None:
        return None
    return m.group("text"), 2 + m.start("text"), m.group("rest") == ""


def classify(field: str, pointer: str, raw: Any, *, dynamic: bool, jsonata: bool) -> HttpValue:
    """Classify a member value; `dynamic` is true for a JSONPath `.$` member."""
    if isinstance(raw, str):
        if dynamic:
            found = _format_prefix(raw) if raw.lstrip().startswith("States.") else None
            if found is not None:
                return _with_placeholders(HttpValue(field, pointer, raw, "dynamic", found[0], found[1]))
            return HttpValue(field, pointer, raw, "dynamic")
        if jsonata and raw.startswith("{%") and raw.endswith("%}"):
            leading = _jsonata_prefix(raw)
            if leading is not None:
                text, offset, complete = leading
                return _with_placeholders(HttpValue(field, pointer, raw, "dynamic", text, offset, complete))
            return HttpValue(field, pointer, raw, "dynamic")
        if is_unknown(raw):
            m = PLACEHOLDER.search(raw)
            start = m.start() if m else 0
            return HttpValue(field, pointer, raw, "placeholder", raw[:start], 0)
        return HttpValue(field, pointer, raw, "static")
    # An object or array is static as a whole even when some members inside it are dynamic.
    return HttpValue(field, pointer, raw, "dynamic" if dynamic else "static")


def _with_placeholders(value: HttpValue) -> HttpValue:
    """A known prefix that holds a `${...}` placeholder is only known up to the placeholder."""
    if value.prefix is None or not is_unknown(value.prefix):
        return value
    m = PLACEHOLDER.search(value.prefix)
    cut = m.start() if m else 0
    return HttpValue(value.field, value.pointer, value.raw, value.kind, value.prefix[:cut], value.prefix_offset)
