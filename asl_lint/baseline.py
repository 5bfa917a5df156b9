"""``--baseline FILE``: mark findings already present in an earlier report as "unchanged".

The earlier report is asl-lint's JSON report or a SARIF log. Findings are matched by
fingerprint (code + file + JSON pointer), so they survive reformatting and line moves. Equal
fingerprints are counted: if the baseline had one finding at a pointer and the run has two, one
is "unchanged" and the other "new".
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from asl_lint.engine.runner import LintResult

SARIF_FINGERPRINT_KEY = "aslLint/v1"  # keep in step with report/sarif_report.FINGERPRINT_KEY


def fingerprint(code: str, file: str, pointer: str) -> str:
    """The same value as ``Diagnostic.fingerprint``, for reports that lack the field."""
    return hashlib.sha256(f"{code}\0{file}\0{pointer}".encode()).hexdigest()[:32]


def _from_json_report(data: dict[str, Any]) -> list[str]:
    entries = data.get("diagnostics")
    if not isinstance(entries, list):
        raise ValueError("a JSON report needs a 'diagnostics' list")
    found = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError("every diagnostic must be an object")
        value = entry.get("fingerprint")
        if isinstance(value, str) and value:
            found.append(value)
            continue
        try:
            found.append(fingerprint(str(entry["code"]), str(entry["file"]), str(entry["pointer"])))
        except KeyError as exc:
            raise ValueError(f"a diagnostic has neither 'fingerprint' nor {exc.args[0]!r}") from None
    return found


def _sarif_file(result: dict[str, Any]) -> str | None:
    try:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        uri = str(location["uri"])
    except (KeyError, IndexError, TypeError):
        return None
    return unquote(uri)


def _from_sarif(data: dict[str, Any]) -> list[str]:
    runs = data.get("runs")
    if not isinstance(runs, list):
        raise ValueError("a SARIF log needs a 'runs' list")
    found = []
    for run in runs:
        for result in run.get("results") or []:
            # Suppressed or absent results were not findings of that run.
            if result.get("suppressions") or result.get("baselineState") == "absent":
                continue
            value = (result.get("partialFingerprints") or {}).get(SARIF_FINGERPRINT_KEY)
            if isinstance(value, str) and value:
                found.append(value)
                continue
            # Another tool's SARIF or a stripped one: rebuild from rule, file and logical location.
            file = _sarif_file(result)
            logical = ((result.get("locations") or [{}])[0].get("logicalLocations") or [{}])[0]
            pointer = logical.get("fullyQualifiedName")
            code = result.get("ruleId")
            if file is None or not isinstance(pointer, str) or not isinstance(code, str):
                continue
            found.append(fingerprint(code, file, "" if pointer == "/" else pointer))
    return found


def load_fingerprints(path: str) -> Counter[str]:
    """Fingerprint counts of an earlier JSON or SARIF report. Raises OSError or ValueError."""
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object (asl-lint JSON report or SARIF log)")
    if "runs" in data:
        return Counter(_from_sarif(data))
    return Counter(_from_json_report(data))


def apply_baseline(result: LintResult, path: str) -> None:
    """Set ``baseline_state`` on every diagnostic: "unchanged" if in the baseline, else "new"."""
    remaining = load_fingerprints(path)
    for diag in result.diagnostics:
        key = diag.fingerprint
        if remaining[key] > 0:
            remaining[key] -= 1
            diag.baseline_state = "unchanged"
        else:
            diag.baseline_state = "new"
