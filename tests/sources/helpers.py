"""Locate a template text directly (without running checks) and find places in it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from asl_lint.engine.runner import detect_format, parse_text
from asl_lint.source.text import LineIndex
from asl_lint.sources import SourceResult, locate


def located(text: str, path: str = "template.yaml") -> tuple[SourceResult, str]:
    """(locate result, the dedented text) for a template given inline."""
    text = textwrap.dedent(text).lstrip("\n")
    parsed = parse_text(text, detect_format(path, text))
    assert not parsed.fatal, parsed.problems
    return locate(parsed, Path(path), text), text


def position(text: str, offset: int) -> tuple[int, int]:
    return LineIndex(text).position(offset)
