"""Engine diagnostics and spans as LSP values (UTF-16 ranges, codes linking the rule docs)."""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types

from asl_lint.diagnostics import Diagnostic, Severity
from asl_lint.engine.metadata import find_rule
from asl_lint.source.text import LineIndex, Span

SOURCE = "asl-lint"

# Turns a span of the snapshot's text into a range of the current text.
Ranger = Callable[[Span], types.Range]

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def to_range(index: LineIndex, span: Span) -> types.Range:
    start = index.utf16_position(span.start)
    end = index.utf16_position(span.end)
    return types.Range(types.Position(*start), types.Position(*end))


def offset_of(index: LineIndex, position: types.Position) -> int:
    return index.offset_from_utf16(position.line, position.character)


def diagnostic_key(diag: Diagnostic) -> str:
    """Identifies an engine diagnostic within one lint result (code actions find it by this)."""
    return f"{diag.fingerprint}:{diag.start_offset}:{diag.end_offset}"


def to_lsp(diag: Diagnostic, index: LineIndex) -> types.Diagnostic:
    meta = find_rule(diag.code)
    return types.Diagnostic(
        range=to_range(index, Span(diag.start_offset, diag.end_offset)),
        message=diag.message,
        severity=_SEVERITY[diag.severity],
        code=diag.code,
        code_description=types.CodeDescription(href=meta.help_uri) if meta else None,
        source=SOURCE,
        data={"key": diagnostic_key(diag)},
    )
