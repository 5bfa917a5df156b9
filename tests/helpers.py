"""Helpers for rule tests: lint a text and look at the findings of one code."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
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


@contextmanager
def hang_guard(seconds: float) -> Iterator[None]:
    """Ends the test process, printing every thread's traceback, if the block is still running
    after ``seconds``: a guard against a hang (an endless loop, exponential work) that would
    otherwise stall the run silently, never a speed test. Callers size ``seconds`` at least a
    hundred times the block's usual time, which no load on a shared machine reaches."""
    import faulthandler

    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def python_calls(work: Callable[[], object]) -> int:
    """How many Python function calls ``work()`` makes: a count of work done that, unlike a
    clock, is the same on every run and under any load."""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count
