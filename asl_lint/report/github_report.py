"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from asl_lint.diagnostics import Severity

if TYPE_CHECKING:
    from asl_lint.engine.runner import LintResult

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult) -> str:
    from asl_lint.report.sarif_report import relative_path

    lines = []
    for diag in result.diagnostics:
        # GitHub places an annotation by its path from the workspace root: "flows/a.json", not "./flows/a.json".
        file = relative_path(diag.file) or diag.file
        props = [
            f"file={_escape_property(file)}",
            f"line={diag.line}",
            f"col={diag.column}",
            f"endLine={diag.end_line}",
            f"endColumn={diag.end_column}",
            f"title={_escape_property(f'{diag.code} {diag.name}')}",
        ]
        lines.append(f"::{_LEVEL[diag.severity]} {','.join(props)}::{_escape_data(diag.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
