"""``${X}`` substitution on mapped text, as CloudFormation's Fn::Sub and DefinitionSubstitutions do it.

Each pass scans its input once and never rescans inserted values, so substitutions that refer
to each other cannot loop. A replaced placeholder maps to the placeholder's place in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asl_lint._lazy import lazy_compile
from asl_lint.sources.base import PLACEHOLDER
from asl_lint.sources.offsets import MappedText

_QUOTE_OR_BACKSLASH = lazy_compile(r'["\\]')


def literal(value: Any) -> str | None:
    """The text a literal substitution value becomes; None for intrinsics (unknown values)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def substitute(source: MappedText, lookup: Callable[[str], str | None], *, fn_sub: bool,
               terraform: bool = False) -> MappedText:
    """Replace every ``${name}`` that ``lookup`` knows; keep the others as they are.

    With ``fn_sub`` the Fn::Sub escape ``${!Name}`` becomes the literal text ``${Name}``. With
    ``terraform`` (templatefile) ``$${name}`` is the escape for a literal ``${name}``, and
    ``${ name }`` may have spaces.
    """
    text = source.text
    if "${" not in text:
        return source
    out = MappedText()
    pos = 0
    changed = False
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        begin = match.start()
        if fn_sub and name.startswith("!"):
            replacement: str | None = "${" + name[1:] + "}"
        elif terraform and begin > pos and text[begin - 1] == "$":
            replacement, begin = "${" + name + "}", begin - 1
        else:
            replacement = lookup(name.strip() if terraform else name)
        if replacement is None:
            continue
        changed = True
        out.extend_slice(source, pos, begin)
        if replacement:
            start = source.map_start(begin)
            out.add_opaque(replacement, start, source.map_end(match.end()))
        pos = match.end()
    if not changed:
        return source
    out.extend_slice(source, pos, len(source))
    return out


def quote_bare_placeholders(source: MappedText) -> MappedText:
    """Turn a ``${X}`` outside any JSON string (``"TimeoutSeconds": ${T}``) into ``"${X}"``.

    The definition then still parses, and the value is a string placeholder: unknown.
    """
    text = source.text
    if "${" not in text:
        return source
    out = MappedText()
    pos = 0
    scan = 0
    in_string = False
    for match in PLACEHOLDER.finditer(text):
        # Advance the string/no-string state from ``scan`` to the placeholder.
        while True:
            hit = _QUOTE_OR_BACKSLASH.search(text, scan, match.start())
            if hit is None:
                break
            if hit.group() == "\\":
                scan = hit.end() + (1 if in_string else 0)
            else:
                in_string = not in_string
                scan = hit.end()
        scan = max(scan, match.end())
        if in_string:
            continue
        start, end = source.map_start(match.start()), source.map_end(match.end())
        out.extend_slice(source, pos, match.start())
        out.add_opaque('"', start, end)
        out.extend_slice(source, match.start(), match.end())
        out.add_opaque('"', start, end)
        pos = match.end()
    if pos == 0:
        return source
    out.extend_slice(source, pos, len(source))
    return out
