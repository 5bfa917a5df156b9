"""JUnit XML (``--format junit``): one ``<testsuite>`` per file, one ``<testcase>`` per finding.

A finding at or above ``--fail-on`` is a test case with a ``<failure>``; one below it (an info
finding under the default ``--fail-on warning``) is a ``<skipped>`` test case, so it is listed
without failing the report; a file without findings is one passing test case. Internal errors are
``<error>`` test cases. Every ``tests``/``failures``/``errors``/``skipped`` attribute counts test
cases, as JUnit readers (Jenkins, GitLab, Azure) expect. Findings hidden by ``--baseline`` are not
listed; the ``asl-lint`` suite's ``baselined`` property says how many there were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from asl_lint.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from asl_lint.engine.runner import LintResult

SUITE = "asl-lint"
_KINDS = ("tests", "failures", "errors", "skipped")


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


class _Suite:
    def __init__(self, parent: ET.Element, name: str) -> None:
        self.element = ET.SubElement(parent, "testsuite", name=name)
        self.counts = dict.fromkeys(_KINDS, 0)

    def case(self, classname: str, name: str, file: str | None = None, line: int | None = None) -> ET.Element:
        case = ET.SubElement(self.element, "testcase", classname=classname, name=name)
        if file is not None:
            case.set("file", file)
        if line is not None:
            case.set("line", str(line))
        self.counts["tests"] += 1
        return case

    def outcome(self, case: ET.Element, kind: str, **attrs: str) -> ET.Element:
        self.counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[kind]] += 1
        return ET.SubElement(case, kind, attrib=attrs)


def render(result: LintResult, *, fail_on: Severity = Severity.WARNING) -> str:
    from asl_lint.secrets.masking import redact

    secrets = sorted(result.secrets, key=len, reverse=True)

    def clean(text: str) -> str:  # internal errors are not redacted by the engine
        return redact(text, secrets) if secrets else text

    by_file: dict[str, list[Diagnostic]] = {file: [] for file in result.files}
    for diag in result.diagnostics:
        by_file.setdefault(diag.file, []).append(diag)
    errors_by_file, general_errors = _internal_errors_by_file(result)

    root = ET.Element("testsuites", name=SUITE)
    suites: list[_Suite] = []
    for file in sorted(by_file):
        suite = _Suite(root, file)
        suites.append(suite)
        for diag in by_file[file]:
            case = suite.case(file, f"{diag.code} {diag.name} ({diag.line}:{diag.column} {diag.pointer or '/'})",
                              file, diag.line)
            if diag.severity.rank >= fail_on.rank:
                failure = suite.outcome(case, "failure", message=f"{diag.code} {diag.message}",
                                        type=f"{diag.code} {diag.name} ({diag.severity.value})")
                failure.text = _line(diag)
            else:
                suite.outcome(case, "skipped", message=f"{diag.severity.value}, below --fail-on {fail_on.value}: "
                                                       f"{diag.code} {diag.message}")
        for error in errors_by_file.get(file, []):
            case = suite.case(file, "internal error", file)
            suite.outcome(case, "error", message=clean(error), type="internal-error")
        if not by_file[file] and not errors_by_file.get(file):
            suite.case(file, "no findings", file)
    if general_errors or result.baselined:
        suite = _Suite(root, SUITE)
        suites.append(suite)
        if result.baselined:
            properties = ET.SubElement(suite.element, "properties")
            ET.SubElement(properties, "property", name="baselined", value=str(len(result.baselined)))
        for error in general_errors:
            case = suite.case(SUITE, "asl-lint")
            suite.outcome(case, "error", message=clean(error), type="internal-error")
    totals = dict.fromkeys(_KINDS, 0)
    for suite in suites:
        for key in _KINDS:
            suite.element.set(key, str(suite.counts[key]))
            totals[key] += suite.counts[key]
    for key in _KINDS:
        root.set(key, str(totals[key]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
