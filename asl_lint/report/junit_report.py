"""JUnit XML (``--format junit``): one test case per file, one ``<failure>`` per finding.

Findings a baseline marks "unchanged" do not fail the gate, so they are listed in the test
case's ``<system-out>`` instead of as failures. Internal errors become ``<error>`` elements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from asl_lint.diagnostics import Diagnostic

if TYPE_CHECKING:
    from asl_lint.engine.runner import LintResult

SUITE = "asl-lint"


def _line(diag: Diagnostic) -> str:
    return f"{diag.file}:{diag.line}:{diag.column}: {diag.code} [{diag.severity.value}] {diag.message}"


def _internal_errors_by_file(result: LintResult) -> tuple[dict[str, list[str]], list[str]]:
    per_file: dict[str, list[str]] = {}
    general: list[str] = []
    for error in result.internal_errors:
        owner = next((f for f in result.files if error.startswith(f + ": ")), None)
        if owner is None:
            general.append(error)
        else:
            per_file.setdefault(owner, []).append(error[len(owner) + 2 :])
    return per_file, general


def render(result: LintResult) -> str:
    from asl_lint.secrets.masking import redact

    secrets = sorted(result.secrets, key=len, reverse=True)

    def clean(text: str) -> str:  # internal errors are not redacted by the engine
        return redact(text, secrets) if secrets else text

    by_file: dict[str, list[Diagnostic]] = {file: [] for file in result.files}
    for diag in result.diagnostics:
        by_file.setdefault(diag.file, []).append(diag)
    errors_by_file, general_errors = _internal_errors_by_file(result)

    root = ET.Element("testsuites", name=SUITE)
    suite = ET.SubElement(root, "testsuite", name=SUITE)
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for file in sorted(by_file):
        case = ET.SubElement(suite, "testcase", classname=SUITE, name=file, file=file)
        totals["tests"] += 1
        known: list[str] = []
        for diag in by_file[file]:
            if diag.baseline_state == "unchanged":
                known.append(_line(diag))
                continue
            failure = ET.SubElement(case, "failure", message=f"{diag.code} {diag.message}",
                                    type=f"{diag.code} {diag.name} ({diag.severity.value})")
            failure.text = _line(diag)
            totals["failures"] += 1
        for error in errors_by_file.get(file, []):
            ET.SubElement(case, "error", message=clean(error), type="internal-error")
            totals["errors"] += 1
        if known:
            ET.SubElement(case, "system-out").text = "Known findings (in the baseline):\n" + "\n".join(known)
    for error in general_errors:
        case = ET.SubElement(suite, "testcase", classname=SUITE, name="asl-lint")
        ET.SubElement(case, "error", message=clean(error), type="internal-error")
        totals["tests"] += 1
        totals["errors"] += 1
    for element in (root, suite):
        for key, value in totals.items():
            element.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
