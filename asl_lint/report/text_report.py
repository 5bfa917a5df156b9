"""Human output like ruff: ``path:line:col: CODE message``, a code frame, a summary line."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from asl_lint.diagnostics import Diagnostic, Severity
from asl_lint.source.text import LineIndex

if TYPE_CHECKING:
    from asl_lint.engine.runner import LintResult

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
MAX_FRAME_WIDTH = 160


def _use_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _frame(diag: Diagnostic, index: LineIndex, redact: list[str]) -> list[str]:
    if diag.line < 1 or diag.line > index.line_count:
        return []
    from asl_lint.secrets import redact as redact_text

    line_text = index.line_text(diag.line)
    if redact:
        # Masking may shorten the line; place carets on the masked text.
        masked = redact_text(line_text, redact)
        if masked != line_text:
            return [f"  {diag.line:>4} | {masked[:MAX_FRAME_WIDTH]}"]
    start = diag.column - 1
    end = diag.end_column - 1 if diag.end_line == diag.line else len(line_text)
    end = max(end, start + 1)
    expanded = line_text.expandtabs(1)
    if len(expanded) > MAX_FRAME_WIDTH:
        left = max(0, start - 40)
        expanded = ("…" if left else "") + expanded[left : left + MAX_FRAME_WIDTH]
        shift = left - (1 if left else 0)
        start, end = start - shift, min(end - shift, len(expanded))
    caret = " " * start + "^" * max(1, end - start)
    return [f"  {diag.line:>4} | {expanded}", f"       | {caret}"]


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def render(result: LintResult, *, color: bool | None = None, frames: bool = True) -> str:
    color = _use_color() if color is None else color
    secrets = sorted(result.secrets, key=len, reverse=True)
    out: list[str] = []
    indexes: dict[str, LineIndex] = {}
    for diag in result.diagnostics:
        location = f"{diag.file}:{diag.line}:{diag.column}:"
        code = diag.code
        if color:
            location = f"{_BOLD}{location}{_RESET}"
            code = f"{_COLORS[diag.severity]}{code}{_RESET}"
        out.append(f"{location} {code} [{diag.severity.value}] {diag.message}")
        if frames:
            text = result.texts.get(diag.file)
            if text:
                index = indexes.get(diag.file) or indexes.setdefault(diag.file, LineIndex(text))
                lines = _frame(diag, index, secrets)
                out.extend(f"{_DIM}{line}{_RESET}" if color else line for line in lines)
    errors = result.count(Severity.ERROR)
    warnings = result.count(Severity.WARNING)
    infos = result.count(Severity.INFO)
    files = len(result.files)
    total = errors + warnings + infos
    known = len(result.baselined or [])
    if total:
        new = "new " if result.baselined is not None else ""
        summary = (f"Found {total} {new}problem{_s(total)} ({errors} error{_s(errors)},"
                   f" {warnings} warning{_s(warnings)}, {infos} info) in {files} file{_s(files)}")
    elif not result.definitions and not result.unparsable and not result.baselined:
        # Never claim that checks passed on nothing (a CI gate pointed at the wrong folder).
        summary = f"No state machine definitions found ({files} file{_s(files)} read)"
    elif result.baselined is not None:
        summary = f"No new problems ({files} file{_s(files)})"
    else:
        summary = f"All checks passed ({files} file{_s(files)})"
    if result.baselined is not None:
        summary += f"; {known} known finding{_s(known)} hidden by the baseline"
    if result.suppressed:
        summary += f"; {len(result.suppressed)} suppressed"
    if out:
        out.append("")
    out.append(summary)
    return "\n".join(out) + "\n"
