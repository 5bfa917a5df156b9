"""Report formats. Reporters only format: they never analyse."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asl_lint.engine.runner import LintResult

Reporter = Callable[["LintResult"], str]

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


def get_reporter(name: str) -> Reporter:
    import importlib

    module = importlib.import_module(f"asl_lint.report.{name}_report")
    return module.render
