"""Rule metadata and documentation, read from the Markdown files in ``rules/``.

Each ``rules/ASLnnn.md`` starts with a small front matter block (``key: value`` lines) and then
fixed sections. It is the one source of a rule's code, name, severity, message and docs:
``asl-lint rule``, the README table, SARIF's rule descriptors and the LSP hover all read it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from asl_lint._lazy import lazy_compile
from asl_lint.diagnostics import Severity

SECTIONS = ("What it finds", "Why it matters", "Example", "Fixed example", "Options", "References")
_FENCE = lazy_compile(r"```(\w+)?\n(.*?)```", re.S)


@dataclass(frozen=True)
class RuleMeta:
    """A rule as ``rules/ASLnnn.md`` documents it: code, name, severity, message and sections.

    A lint needs only the front matter; the documentation (``markdown``, ``sections``) is the
    Markdown after it, given as ``body`` or read from ``source`` on first use.
    """
    code: str
    name: str
    severity: Severity
    summary: str
    message: str = ""
    tags: tuple[str, ...] = ()
    security_severity: float | None = None
    body: str | None = field(default=None, repr=False, compare=False)
    source: str = field(default="", repr=False, compare=False)

    @property
    def help_uri(self) -> str:
        return f"https://github.com/asl-lint/asl-lint/blob/main/rules/{self.code}.md"

    @cached_property
    def markdown(self) -> str:
        return self._body().strip()

    @cached_property
    def sections(self) -> dict[str, str]:
        return _sections(self._body())

    def _body(self) -> str:
        if self.body is not None:
            return self.body
        return _split(Path(self.source).read_text(encoding="utf-8"), self.source)[1]

    def examples(self, section: str) -> list[tuple[str, str]]:
        """(language, text) of the fenced blocks in ``Example`` or ``Fixed example``."""
        return [(m.group(1) or "json", m.group(2)) for m in _FENCE.finditer(self.sections.get(section, ""))]


def _rules_dir() -> Path:
    # asl_lint/_rules: in a wheel the shipped copy of rules/, in a checkout a symbolic link to it.
    packaged = Path(__file__).resolve().parents[1] / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def _split(text: str, source: str) -> tuple[dict[str, str], str]:
    """The front matter's ``key: value`` lines and the Markdown after it."""
    if not text.startswith("---\n"):
        raise ValueError(f"{source}: missing front matter")
    end = text.index("\n---\n", 4)
    front: dict[str, str] = {}
    for line in text[4:end].splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition(":")
        front[key.strip()] = value.strip().strip('"')
    return front, text[end + 5 :]


def _sections(body: str) -> dict[str, str]:
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
    return sections


def parse_rule(text: str, source: str = "<rule>") -> RuleMeta:
    front, body = _split(text, source)
    tags = tuple(t.strip() for t in front.get("tags", "").strip("[]").split(",") if t.strip())
    security = front.get("security-severity")
    summary = front.get("summary") or _sections(body).get("What it finds", "").split("\n\n")[0].replace("\n", " ")
    return RuleMeta(
        code=front["code"],
        name=front["name"],
        severity=Severity.parse(front["severity"]),
        summary=summary,
        message=front.get("message", ""),
        tags=tags,
        security_severity=float(security) if security else None,
        body=body,
        source=source,
    )


@cache
def all_rules() -> dict[str, RuleMeta]:
    """Every documented rule by code, sorted by code.

    Every command needs them, a one-file ``check`` included, and reading and parsing the files
    was a twentieth of such a run: what they give is kept beside the package's bytecode, and
    used again while no file was added, removed or changed (name, size and modification time).
    """
    folder = _rules_dir()
    listing = sorted(
        (entry.name, stat.st_mtime_ns, stat.st_size)
        for entry in os.scandir(folder)
        if entry.name.startswith("ASL") and entry.name.endswith(".md")
        for stat in (entry.stat(),)
    )
    key: _Key = (str(folder), tuple(listing))
    kept = _read_kept(key)
    if kept is not None:
        return kept
    rules: dict[str, RuleMeta] = {}
    for name, _, _ in listing:
        path = folder / name
        meta = parse_rule(path.read_text(encoding="utf-8"), str(path))
        rules[meta.code] = meta
    _keep(key, rules)
    return rules


def _kept_file() -> str | None:
    from asl_lint.startup import kept_file

    return kept_file("rules")


_Key = tuple[str, tuple[tuple[str, int, int], ...]]  # the folder, and each file's name, mtime and size
# What is kept: the front matter; the documentation is read from ``source`` when asked for.
_FIELDS = ("code", "name", "severity", "summary", "message", "tags", "security_severity", "source")


def _read_kept(key: _Key) -> dict[str, RuleMeta] | None:
    from asl_lint.startup import read_kept

    try:
        kept_key, rows = read_kept(_kept_file())
        if kept_key != key:
            return None
        rules = {}
        for row in rows:
            values = dict(zip(_FIELDS, row, strict=True))
            values["severity"] = Severity.parse(values["severity"])
            meta = RuleMeta(**values)
            rules[meta.code] = meta
        return rules
    except (ValueError, TypeError, KeyError):
        return None  # none kept yet (None), or by another version: read the files


def _keep(key: _Key, rules: dict[str, RuleMeta]) -> None:
    from asl_lint.startup import keep

    rows = [tuple(getattr(meta, f).value if f == "severity" else getattr(meta, f) for f in _FIELDS)
            for meta in rules.values()]
    keep(_kept_file(), (key, rows))


def find_rule(code_or_name: str) -> RuleMeta | None:
    rules = all_rules()
    key = code_or_name.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    for meta in rules.values():
        if meta.name == key.lower():
            return meta
    return None
