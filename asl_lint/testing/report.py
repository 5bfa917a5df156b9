"""Reports of a test run: text, JSON, JUnit XML, and findings (SARIF, GitHub annotations).

Reporters only format what the runner produced (``CaseResult.record``, already redacted).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from asl_lint import __version__

if TYPE_CHECKING:
    from asl_lint.config import Config
    from asl_lint.engine.runner import LintResult
    from asl_lint.testing.runner import CaseResult, TestRun

_KIND_TITLES = {"states": "states", "choices": "Choice branches", "retriers": "retriers", "catchers": "catchers"}
_MISSED_TITLES = {
    "states": "states never entered",
    "choices": "Choice branches never taken",
    "retriers": "retriers that never fired",
    "catchers": "catchers that never caught",
}


def summary(run: TestRun) -> dict[str, Any]:
    cases = run.cases
    passed = sum(1 for case in cases if case.passed)
    return {
        "suites": len(run.suites) + len({p.file for p in run.errors}),
        "cases": len(cases),
        "passed": passed,
        "failed": len(cases) - passed,
        "updated": sum(1 for case in cases if case.updated),
        "errors": len(run.errors),
        "duration": sum(case.execution.duration for case in cases),
        "seconds": round(sum(case.seconds for case in cases), 6),
    }


def one_line(failures: list[dict[str, Any]]) -> str:
    """The failures of a case on one line (annotations, JUnit's message attribute)."""
    return "; ".join(" ".join(f["message"].split()) for f in failures)


# --- JSON ------------------------------------------------------------------------------------------
def render_json(run: TestRun) -> str:
    report = {
        "version": 1,
        "tool": {"name": "asl-lint", "version": __version__},
        "cases": [case.record for case in run.cases],
        "coverage": run.coverage.summary(),
        "errors": [
            {"file": p.file, "line": p.line, "column": p.column, "endLine": p.end_line, "endColumn": p.end_column,
             "message": p.message}
            for p in run.errors
        ],
        "summary": summary(run),
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


# --- text ------------------------------------------------------------------------------------------
def duration_text(seconds: float) -> str:
    """Simulated time, readably: ``0s``, ``14s``, ``2m 5s``, ``1d 0h 0m 30s``."""
    if seconds < 60:
        return f"{seconds:g}s"
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs + seconds - whole, "s")]
    return " ".join(f"{value:g}{unit}" for value, unit in parts if value)


def _case_line(case: CaseResult, width: int) -> list[str]:
    entry = case.record
    mark = "UPDATED" if case.updated else "PASS" if case.passed else "FAIL"
    facts = ", ".join((
        entry["status"],
        _count(len(entry["path"]), "state"),
        _count(entry["retries"], "retry", "retries"),
        f"{duration_text(entry['duration'])} simulated",
    ))
    lines = [f"  {mark:<7} {entry['name']:<{width}}  {facts}"]
    for failure in entry["failures"]:
        for index, text in enumerate(failure["message"].splitlines()):
            lines.append(f"{'':<10}{'' if index == 0 else '  '}{text.strip() if index else text}")
    return lines


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def render_text(run: TestRun, coverage: bool = False) -> str:
    lines: list[str] = []
    for problem in run.errors:
        lines.append(f"ERROR   {problem}")
    if run.errors:
        lines.append("")
    for suite in run.suites:
        lines.append(f"{suite.suite.file}  ({suite.suite.machine.label})")
        width = max((len(case.case.name) for case in suite.cases), default=0)
        for case in suite.cases:
            lines += _case_line(case, width)
        if not suite.cases:
            lines.append("  (no case selected)")
        lines.append("")
    if not run.suites and not run.errors:
        lines.append("No test suites found (files named *.sfn-test.yaml, *.sfn-test.yml or *.sfn-test.json).")
    counts = summary(run)
    parts = [f"{counts['passed']} passed", f"{counts['failed']} failed"]
    if counts["updated"]:
        parts.append(f"{counts['updated']} updated")
    if counts["errors"]:
        parts.append(f"{counts['errors']} suite problem{'s' if counts['errors'] != 1 else ''}")
    suites = len(run.suites)
    lines.append(f"{counts['cases']} case{'s' if counts['cases'] != 1 else ''} in {suites} "
                 f"suite{'s' if suites != 1 else ''}: {', '.join(parts)} ({counts['seconds']:.2f}s)")
    if coverage:
        lines += _coverage_text(run)
    return "\n".join(lines) + "\n"


def _coverage_text(run: TestRun) -> list[str]:
    data = run.coverage.summary()
    shown = []
    for kind, title in _KIND_TITLES.items():
        part = data[kind]
        percent = f" ({part['percent']:g}%)" if part["total"] else ""
        shown.append(f"{title} {part['covered']}/{part['total']}{percent}")
    lines = ["Coverage: " + ", ".join(shown)]
    for kind, title in _MISSED_TITLES.items():
        if data[kind]["missed"]:
            lines.append(f"  {title}: {', '.join(data[kind]['missed'])}")
    return lines


# --- JUnit -----------------------------------------------------------------------------------------
def render_junit(run: TestRun) -> str:
    """One ``<testsuite>`` per suite file, one ``<testcase>`` per case; a suite that could not run
    is a testsuite with one ``<error>`` case per problem. Counts add up at every level."""
    root = ET.Element("testsuites", name="asl-lint test")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    total_time = 0.0
    for suite in run.suites:
        element = ET.SubElement(root, "testsuite", name=suite.suite.file)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        seconds = 0.0
        for case in suite.cases:
            entry = case.record
            testcase = ET.SubElement(element, "testcase", classname=suite.suite.file, name=entry["name"],
                                     file=suite.suite.file, time=f"{case.seconds:.6f}")
            counts["tests"] += 1
            seconds += case.seconds
            if entry["failures"]:
                counts["failures"] += 1
                failure = ET.SubElement(testcase, "failure", message=one_line(entry["failures"]),
                                        type=entry["failures"][0]["field"])
                failure.text = "\n".join(f["message"] for f in entry["failures"])
            out = {key: entry[key] for key in ("status", "output", "error", "cause", "path", "retries", "duration")}
            ET.SubElement(testcase, "system-out").text = json.dumps(out, indent=2, ensure_ascii=False)
        _set_counts(element, counts, seconds)
        for key in totals:
            totals[key] += counts[key]
        total_time += seconds
    by_file: dict[str, list[Any]] = {}
    for problem in run.errors:
        by_file.setdefault(problem.file, []).append(problem)
    for file, problems in by_file.items():
        element = ET.SubElement(root, "testsuite", name=file)
        for problem in problems:
            testcase = ET.SubElement(element, "testcase", classname=file, name=f"{file}:{problem.line}", file=file,
                                     time="0")
            ET.SubElement(testcase, "error", message=problem.message, type="bad-suite").text = str(problem)
        counts = {"tests": len(problems), "failures": 0, "errors": len(problems)}
        _set_counts(element, counts, 0.0)
        totals["tests"] += counts["tests"]
        totals["errors"] += counts["errors"]
    _set_counts(root, totals, total_time)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _set_counts(element: ET.Element, counts: dict[str, int], seconds: float) -> None:
    for key, value in counts.items():
        element.set(key, str(value))
    element.set("time", f"{seconds:.6f}")


# --- findings: SARIF and GitHub annotations --------------------------------------------------------
def findings(run: TestRun, config: Config, coverage: bool) -> LintResult:
    """Failed cases (ASL801, at the case in the suite) and, with ``coverage``, what no case exercised
    (ASL802–ASL805, at the item in the definition), as lint diagnostics for the lint reporters."""
    from asl_lint.engine.runner import LintResult
    from asl_lint.source.text import LineIndex

    result = LintResult()
    indexes: dict[str, LineIndex] = {}

    def index(file: str, text: str) -> LineIndex:
        if file not in indexes:
            indexes[file] = LineIndex(text)
        return indexes[file]

    result.files = sorted({suite.suite.file for suite in run.suites} | {p.file for p in run.errors})
    result.internal_errors = [str(p) for p in run.errors]
    for case in run.cases:
        if not case.passed:
            text = one_line(case.record["failures"])
            document = case.suite.document
            pointer = case.case.pointer or "/cases"
            result.diagnostics.append(_diagnostic(
                config, "ASL801", f"Case '{case.case.name}' failed: {text}", document.display,
                index(document.display, document.text), document.span(pointer, key=True), pointer, None,
            ))
    if coverage:
        from asl_lint.testing.coverage import CODES

        for machine_coverage, kind, item in run.coverage.uncovered():
            machine = machine_coverage.machine
            node = machine.spans(item.pointer)
            span = _span(node, key=kind in ("states",) or item.pointer.endswith("/Default"))
            result.diagnostics.append(_diagnostic(
                config, CODES[kind], _uncovered_message(kind, item.label), machine.file,
                index(machine.file, machine.text), span, machine.pointer + item.pointer, item.state,
            ))
    result.diagnostics = [d for d in result.diagnostics if d is not None]
    result.diagnostics.sort(key=lambda d: d.sort_key())
    return result


def _uncovered_message(kind: str, label: str) -> str:
    return {
        "states": f"No test case entered state '{label}'",
        "choices": f"No test case took the Choice branch {label}",
        "retriers": f"No test case made the retrier {label} retry",
        "catchers": f"No test case had the catcher {label} catch an error",
    }[kind]


def _span(node: Any, key: bool) -> Any:
    from asl_lint.source.text import Span

    if node is None:
        return Span(0, 0)
    return (node.key or node.value) if key else node.value


def _diagnostic(
    config: Config, code: str, message: str, file: str, index: Any, span: Any, pointer: str, state: str | None
) -> Any:
    from asl_lint.diagnostics import Diagnostic
    from asl_lint.engine.metadata import all_rules

    meta = all_rules()[code]
    if not config.enabled(code, meta.name, file):
        return None
    line, column = index.position(span.start)
    end_line, end_column = index.position(span.end)
    return Diagnostic(
        code=code, name=meta.name, severity=config.severity_for(code, meta.name, meta.severity), message=message,
        file=file, line=line, column=column, end_line=end_line, end_column=end_column, pointer=pointer,
        state=state, start_offset=span.start, end_offset=span.end,
    )
