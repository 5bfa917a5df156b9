"""``--baseline FILE``: hide the findings an earlier report already had; report only new ones.

The earlier report is asl-lint's JSON report or a SARIF log. Findings are matched by
fingerprint (code + file + JSON pointer), so they survive reformatting and line moves. Equal
fingerprints are counted: if the baseline had one finding at a pointer and the run has two, one
is "unchanged" and the other "new". Known findings move to ``LintResult.baselined``: every format
reports only the new ones and says how many were hidden; SARIF keeps them all, each with its
``baselineState``, as code scanning expects.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from asl_lint.diagnostics import Diagnostic
    from asl_lint.engine.runner import LintResult

SARIF_FINGERPRINT_KEY = "aslLint/v1"  # keep in step with report/sarif_report.FINGERPRINT_KEY


def fingerprint(code: str, file: str, pointer: str) -> str:
    """The same value as ``Diagnostic.fingerprint``, for reports that lack the field."""
    return hashlib.sha256(f"{code}\0{file}\0{pointer}".encode()).hexdigest()[:32]


def _entry_fingerprint(entry: Any) -> str:
    if not isinstance(entry, dict):
        raise ValueError("every diagnostic must be an object")
    value = entry.get("fingerprint")
    if isinstance(value, str) and value:
        return value
    try:
        return fingerprint(str(entry["code"]), str(entry["file"]), str(entry["pointer"]))
    except KeyError as exc:
        raise ValueError(f"a diagnostic has neither 'fingerprint' nor {exc.args[0]!r}") from None


def _from_json_report(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    entries = data.get("diagnostics")
    suppressed = data.get("suppressed", [])
    if not isinstance(entries, list) or not isinstance(suppressed, list):
        raise ValueError("a JSON report needs a 'diagnostics' list")
    return [_entry_fingerprint(e) for e in entries], [_entry_fingerprint(e) for e in suppressed]


def _sarif_fingerprint(result: dict[str, Any]) -> str | None:
    value = (result.get("partialFingerprints") or {}).get(SARIF_FINGERPRINT_KEY)
    if isinstance(value, str) and value:
        return value
    # Another tool's SARIF or a stripped one: rebuild from rule, file and logical location.
    try:
        location = result["locations"][0]
        uri = unquote(str(location["physicalLocation"]["artifactLocation"]["uri"]))
        pointer = location["logicalLocations"][0]["fullyQualifiedName"]
    except (KeyError, IndexError, TypeError):
        return None
    code = result.get("ruleId")
    if not isinstance(pointer, str) or not isinstance(code, str):
        return None
    return fingerprint(code, uri, "" if pointer == "/" else pointer)


def _from_sarif(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    runs = data.get("runs")
    if not isinstance(runs, list):
        raise ValueError("a SARIF log needs a 'runs' list")
    active: list[str] = []
    suppressed: list[str] = []
    for run in runs:
        results = run.get("results") if isinstance(run, dict) else None
        for result in results if isinstance(results, list) else []:
            # Absent results were findings of an even earlier run, not of that one.
            if not isinstance(result, dict) or result.get("baselineState") == "absent":
                continue
            value = _sarif_fingerprint(result)
            if value is not None:
                (suppressed if result.get("suppressions") else active).append(value)
    return active, suppressed


@dataclass
class Baseline:
    findings: Counter[str]  # fingerprint -> how many findings had it
    suppressed: Counter[str]  # the same for findings suppressed in source


def load_baseline(path: str) -> Baseline:
    """The fingerprints of an earlier JSON or SARIF report. Raises OSError or ValueError."""
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object (asl-lint JSON report or SARIF log)")
    active, suppressed = _from_sarif(data) if "runs" in data else _from_json_report(data)
    return Baseline(Counter(active), Counter(suppressed))


def _mark(diagnostics: list[Diagnostic], *known: Counter[str]) -> None:
    remaining = sum(known, Counter())
    for diag in diagnostics:
        key = diag.fingerprint
        if remaining[key] > 0:
            remaining[key] -= 1
            diag.baseline_state = "unchanged"
        else:
            diag.baseline_state = "new"


def apply_baseline(result: LintResult, path: str | Baseline) -> None:
    """Set ``baseline_state`` on every finding ("unchanged" if in the baseline, else "new") and
    move the unchanged ones from ``result.diagnostics`` to ``result.baselined``.

    Suppressed findings are marked too (against both lists of the baseline, since a suppression
    may have been added or removed since), so that SARIF carries a baseline state on every result.
    """
    baseline = load_baseline(path) if isinstance(path, str) else path
    _mark(result.diagnostics, baseline.findings)
    _mark(result.suppressed, baseline.findings, baseline.suppressed)
    result.baselined = [d for d in result.diagnostics if d.baseline_state == "unchanged"]
    result.diagnostics = [d for d in result.diagnostics if d.baseline_state != "unchanged"]
