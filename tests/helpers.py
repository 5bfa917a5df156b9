"""Helpers for rule tests: lint a text and look at the findings of one code."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from asl_lint.config import Config
from asl_lint.diagnostics import Diagnostic
from asl_lint.engine.runner import LintResult
from asl_lint.engine.runner import lint_text as _lint_text


def lint_result(text: str | dict[str, Any], path: str = "test.asl.json", config: Config | None = None) -> LintResult:
    text = json.dumps(text, indent=2) if isinstance(text, dict) else textwrap.dedent(text).lstrip("\n")
    return _lint_text(text, path, config or Config()).finish()


def lint(text: str | dict[str, Any], path: str = "test.asl.json", config: Config | None = None) -> list[Diagnostic]:
    return lint_result(text, path, config).diagnostics


def findings(diags: list[Diagnostic], code: str) -> list[tuple[int, int, int, int, str]]:
    """(line, column, endLine, endColumn, message) of every finding with ``code``."""
    return [(d.line, d.column, d.end_line, d.end_column, d.message) for d in diags if d.code == code]


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def serious(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Errors and warnings (what a silent fixture must not have)."""
    return [d for d in diags if d.severity.value in ("error", "warning")]
