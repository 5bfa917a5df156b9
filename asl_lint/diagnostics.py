"""Diagnostics: what every report format and the language server consume.

A check yields a :class:`Finding` (a pointer and a message); the engine locates it and turns
it into a :class:`Diagnostic`. Redaction of secrets happens once, here, so no output format
can leak a secret value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from asl_lint.sources.base import Site


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        lookup = {"e": cls.ERROR, "error": cls.ERROR, "w": cls.WARNING, "warning": cls.WARNING,
                  "i": cls.INFO, "info": cls.INFO}
        try:
            return lookup[text.strip().lower()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


@dataclass(frozen=True)
class Edit:
    """One structural change a fix makes, addressed by JSON pointer (format-independent).

    ``op`` is ``replace`` (the value at ``pointer`` becomes ``value``), ``add`` (a new member or
    array element at ``pointer``) or ``remove``.
    """

    op: Literal["replace", "add", "remove"]
    pointer: str
    value: Any = None


@dataclass(frozen=True)
class Fix:
    """A fix a rule offers: a title for editors and the edits that make it."""

    title: str
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "edits": [{"op": e.op, "pointer": e.pointer, "value": e.value} for e in self.edits],
        }


Target = Literal["value", "key"]


@dataclass
class Finding:
    """What a check reports. Pointers are relative to the definition root.

    ``target`` says whether the value or the member key is at fault; a missing field is reported
    on its parent object's key. ``span`` narrows the location to code points inside a string value
    (e.g. one path inside a long intrinsic call). ``secrets`` are values to redact everywhere.
    """

    pointer: str
    message: str
    target: Target = "value"
    severity: Severity | None = None
    span: tuple[int, int] | None = None
    fix: Fix | None = None
    secrets: tuple[str, ...] = ()
    code: str | None = None  # set by the engine unless a check reports a related code
    # Exact file offsets (start, end), for findings of the source layer that have no node.
    offsets: tuple[int, int] | None = None
    # A pointer from the file root, for findings about something outside the definition (the
    # execution role of a template, say); it wins over ``pointer`` for the location.
    file_pointer: str | None = None
    # A place in a file, possibly another one (the machine's role in the template that uses this
    # definition file); it wins over both pointers.
    site: Site | None = None


@dataclass
class Diagnostic:
    """One finding as reported: rule, severity, message and its exact place in a file."""
    code: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    pointer: str
    state: str | None = None
    fix: Fix | None = None
    # Offsets into the file text (for code frames and LSP ranges); not part of the JSON report.
    start_offset: int = 0
    end_offset: int = 0
    suppressed: str | None = None  # the justification when suppressed in source
    baseline_state: str | None = None  # "new" / "unchanged" when a baseline was given
    secrets: tuple[str, ...] = field(default=(), repr=False)
    # The machine the finding is about, when a definition file used by several machines gives
    # different findings for them (or the layout names machines in every finding: CDK output).
    machine: str | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across reformatting and line moves: code, file and JSON pointer only."""
        # The file as a relative POSIX path, so `./a.json`, `a.json` and `dir\a.json` agree.
        file = self.file.replace("\\", "/")
        while file.startswith("./"):
            file = file[2:]
        import hashlib  # (loading OpenSSL is ~7 ms: not for a text report)

        machine = f"\0{self.machine}" if self.machine else ""
        digest = hashlib.sha256(f"{self.code}\0{file}\0{self.pointer}{machine}".encode()).hexdigest()
        return digest[:32]

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.code, self.end_line, self.end_column, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report entry of the contract (extended with ``fix`` when one exists)."""
        data: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
            "pointer": self.pointer,
            "state": self.state,
            "fingerprint": self.fingerprint,
        }
        if self.machine is not None:
            data["machine"] = self.machine
        if self.fix is not None:
            data["fix"] = self.fix.to_dict()
        if self.suppressed is not None:
            data["suppressed"] = self.suppressed
        return data


def redact_diagnostics(diagnostics: list[Diagnostic], extra_secrets: set[str] | None = None) -> None:
    """Mask every secret any finding carries in every message (in place), across all findings."""
    secrets: set[str] = set(extra_secrets or ())
    for diag in diagnostics:
        secrets.update(s for s in diag.secrets if s)
    if not secrets:
        return
    from asl_lint.secrets import redact

    ordered = sorted(secrets, key=len, reverse=True)
    # Pointers hold member names (escaped per RFC 6901), and a secret can be a member name.
    escaped = sorted({s.replace("~", "~0").replace("/", "~1") for s in ordered} | set(ordered), key=len, reverse=True)
    for diag in diagnostics:
        diag.message = redact(diag.message, ordered)
        diag.pointer = redact(diag.pointer, escaped)
        if diag.state is not None:
            diag.state = redact(diag.state, ordered)
        if diag.fix is not None:
            diag.fix = _redact_fix(diag.fix, ordered)


def _redact_fix(fix: Fix, secrets: list[str]) -> Fix:
    import json

    from asl_lint.secrets import redact

    edits = []
    for edit in fix.edits:
        if edit.value is None:
            edits.append(edit)
            continue
        text = json.dumps(edit.value)
        clean = redact(text, secrets)
        if clean == text:
            edits.append(edit)
        else:
            edits.append(Edit(edit.op, edit.pointer, json.loads(clean) if _is_json(clean) else clean))
    return Fix(redact(fix.title, secrets), tuple(edits))


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return True
