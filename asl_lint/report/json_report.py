"""The JSON report of the contract (``--format json``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from asl_lint import __version__
from asl_lint.diagnostics import Severity

if TYPE_CHECKING:
    from asl_lint.engine.runner import LintResult


def report_dict(result: LintResult) -> dict[str, Any]:
    summary = {
        "files": len(result.files),
        "errors": result.count(Severity.ERROR),
        "warnings": result.count(Severity.WARNING),
        "infos": result.count(Severity.INFO),
    }
    if result.baselined is not None:  # --baseline: how many known findings are not listed
        summary["baselined"] = len(result.baselined)
    return {
        "version": 1,
        "tool": {"name": "asl-lint", "version": __version__},
        "summary": summary,
        "diagnostics": [d.to_dict() for d in result.diagnostics],
        "suppressed": [d.to_dict() for d in result.suppressed],
    }


def render(result: LintResult) -> str:
    return json.dumps(report_dict(result), indent=2, ensure_ascii=False) + "\n"
