"""Rule metadata and documentation, read from the Markdown files in ``rules/``.

Each ``rules/ASLnnn.md`` starts with a small front matter block (``key: value`` lines) and then
fixed sections. It is the one source of a rule's code, name, severity, message and docs:
``asl-lint rule``, the README table, SARIF's rule descriptors and the LSP hover all read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from asl_lint.diagnostics import Severity

SECTIONS = ("What it finds", "Why it matters", "Example", "Fixed example", "Options", "References")
_FENCE = re.compile(r"```(\w+)?\n(.*?)```", re.S)


@dataclass(frozen=True)
class RuleMeta:
    """A rule as ``rules/ASLnnn.md`` documents it: code, name, severity, message and sections."""
    code: str
    name: str
    severity: Severity
    summary: str
    message: str = ""
    tags: tuple[str, ...] = ()
    security_severity: float | None = None
    sections: dict[str, str] = field(default_factory=dict)
    markdown: str = ""

    @property
    def help_uri(self) -> str:
        return f"https://github.com/asl-lint/asl-lint/blob/main/rules/{self.code}.md"

    def examples(self, section: str) -> list[tuple[str, str]]:
        """(language, text) of the fenced blocks in ``Example`` or ``Fixed example``."""
        return [(m.group(1) or "json", m.group(2)) for m in _FENCE.finditer(self.sections.get(section, ""))]


def _rules_dir() -> Path:
    # asl_lint/_rules: in a wheel the shipped copy of rules/, in a checkout a symbolic link to it.
    packaged = Path(__file__).resolve().parents[1] / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def parse_rule(text: str, source: str = "<rule>") -> RuleMeta:
    if not text.startswith("---\n"):
        raise ValueError(f"{source}: missing front matter")
    end = text.index("\n---\n", 4)
    front: dict[str, str] = {}
    for line in text[4:end].splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition(":")
        front[key.strip()] = value.strip().strip('"')
    body = text[end + 5 :]
    sections: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith("## "):
            if current:
                sections[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        elif current:
            lines.append(line)
    if current:
        sections[current] = "\n".join(lines).strip()
    tags = tuple(t.strip() for t in front.get("tags", "").strip("[]").split(",") if t.strip())
    security = front.get("security-severity")
    summary = front.get("summary") or sections.get("What it finds", "").split("\n\n")[0].replace("\n", " ")
    return RuleMeta(
        code=front["code"],
        name=front["name"],
        severity=Severity.parse(front["severity"]),
        summary=summary,
        message=front.get("message", ""),
        tags=tags,
        security_severity=float(security) if security else None,
        sections=sections,
        markdown=body.strip(),
    )


@cache
def all_rules() -> dict[str, RuleMeta]:
    """Every documented rule by code, sorted by code."""
    rules: dict[str, RuleMeta] = {}
    for path in sorted(_rules_dir().glob("ASL*.md")):
        meta = parse_rule(path.read_text(encoding="utf-8"), str(path))
        rules[meta.code] = meta
    return rules


def find_rule(code_or_name: str) -> RuleMeta | None:
    rules = all_rules()
    key = code_or_name.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    for meta in rules.values():
        if meta.name == key.lower():
            return meta
    return None
