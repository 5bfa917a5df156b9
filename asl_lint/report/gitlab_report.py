"""GitLab Code Quality JSON (``--format gitlab``): a list of Code Climate style issues.

GitLab compares reports between branches by ``fingerprint``, so it must be unique within a
report and stable across reformatting: the diagnostic's fingerprint (code + file + pointer) plus
an occurrence count for equal ones.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from asl_lint.diagnostics import Severity
from asl_lint.report.sarif_report import relative_path

if TYPE_CHECKING:
    from asl_lint.engine.runner import LintResult

# GitLab severities: info, minor, major, critical, blocker.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
CRITICAL_SECURITY = 9.0  # security-severity at or above this is "critical" (as GitHub ranks it)


def render(result: LintResult) -> str:
    from asl_lint.engine.metadata import all_rules

    rules = all_rules()
    seen: Counter[str] = Counter()
    issues: list[dict[str, Any]] = []
    for diag in result.diagnostics:
        seen[diag.fingerprint] += 1
        unique = hashlib.sha256(f"{diag.fingerprint}:{seen[diag.fingerprint]}".encode()).hexdigest()[:32]
        severity = SEVERITY[diag.severity]
        meta = rules.get(diag.code)
        if (diag.severity is Severity.ERROR and meta is not None and meta.security_severity is not None
                and meta.security_severity >= CRITICAL_SECURITY):
            severity = "critical"
        issues.append({
            "type": "issue",
            "check_name": f"{diag.code} {diag.name}",
            "description": f"{diag.code} {diag.message}",
            "fingerprint": unique,
            "severity": severity,
            "location": {
                "path": relative_path(diag.file) or diag.file,
                "lines": {"begin": max(diag.line, 1), "end": max(diag.end_line, diag.line, 1)},
            },
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
