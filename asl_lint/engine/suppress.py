"""In-source suppressions: ``asl-lint: ignore[ASL401] reason`` in a state's ``Comment`` (or the
definition's top-level ``Comment``) and in YAML comments.

A YAML comment suppresses findings on its own line (trailing comment) or, alone on a line,
on the next line; ``asl-lint: ignore-file[...]`` covers the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from asl_lint._lazy import lazy_compile

_DIRECTIVE = lazy_compile(r"asl-lint:\s*(ignore-file|ignore)\b\s*(\[([^\]]*)\])?\s*(.*)", re.I)


@dataclass
class Suppression:
    """An ``asl-lint: ignore[...]`` directive and the part of the file it covers."""
    codes: tuple[str, ...]
    reason: str
    # Where it applies: a pointer prefix (state Comment), a line set (YAML), or the whole file.
    pointer_prefix: str | None = None
    lines: frozenset[int] = frozenset()
    whole_file: bool = False
    # Where it is written, for ASL902/ASL903 findings.
    origin_pointer: str | None = None
    origin_line: int | None = None
    used: bool = field(default=False, compare=False)

    def matches(self, code: str, name: str) -> bool:
        return any(c.upper() == "ALL" or code.startswith(c.upper()) or c.lower() == name for c in self.codes)


@dataclass
class DirectiveError:
    """A suppression directive that cannot be read (reported, never silently ignored)."""
    message: str
    origin_pointer: str | None = None
    origin_line: int | None = None


def parse_directive(text: str) -> tuple[str, tuple[str, ...], str] | DirectiveError | None:
    """(kind, codes, reason) for a directive in ``text``; None when there is no directive."""
    if "asl-lint" not in text.lower():
        return None
    match = _DIRECTIVE.search(text)
    if match is None:
        return DirectiveError(
            "Unrecognised asl-lint directive; write 'asl-lint: ignore[CODE,...] reason'"
        )
    kind = match.group(1).lower()
    if match.group(2) is None:
        return DirectiveError(
            f"The directive '{kind}' must name the rules it suppresses, e.g. 'asl-lint: {kind}[ASL401] reason'"
        )
    codes = tuple(c.strip() for c in match.group(3).split(",") if c.strip())
    if not codes:
        return DirectiveError(f"The directive '{kind}[]' names no rule")
    return kind, codes, match.group(4).strip()


def unknown_codes(codes: tuple[str, ...]) -> list[str]:
    from asl_lint.engine.metadata import all_rules

    rules = all_rules()
    bad = []
    for code in codes:
        upper = code.upper()
        if upper == "ALL":
            continue
        if upper.startswith("ASL") and any(known.startswith(upper) for known in rules):
            continue
        if any(meta.name == code.lower() for meta in rules.values()):
            continue
        bad.append(code)
    return bad
