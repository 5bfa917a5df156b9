"""Running suites: finding them, running every case, checking expectations, summing coverage.

The result of each case is also kept as the JSON report's entry (``CaseResult.record``), with the
secrets written inline in the definition masked, so no report format can print them.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asl_lint.testing.api import Execution, execute
from asl_lint.testing.coverage import Coverage
from asl_lint.testing.document import Problem, SuiteError
from asl_lint.testing.expect import Failure, check
from asl_lint.testing.suite import Case, Suite, is_suite_file, load_suite


@dataclass
class CaseResult:
    suite: Suite
    case: Case
    execution: Execution
    failures: list[Failure]
    seconds: float  # wall-clock time of the run
    record: dict[str, Any] = field(default_factory=dict)  # the JSON report's entry, secrets masked
    updated: bool = False  # --update rewrote its expectations

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class SuiteResult:
    suite: Suite
    cases: list[CaseResult] = field(default_factory=list)


@dataclass
class TestRun:
    """Everything ``asl-lint test`` found: results per suite, suites that could not run, coverage."""

    __test__ = False  # not a pytest test class despite the name

    suites: list[SuiteResult] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # problems of suites that could not run
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def cases(self) -> list[CaseResult]:
        return [case for suite in self.suites for case in suite.cases]

    @property
    def exit_code(self) -> int:
        """2 when a suite could not run, else 1 when a case failed, else 0."""
        if self.errors:
            return 2
        return 1 if any(not case.passed for case in self.cases) else 0


def discover(paths: Iterable[str]) -> list[str]:
    """Suite files under ``paths`` (files named explicitly are always taken), in a stable order."""
    from asl_lint.sources.project import SKIP_DIRS

    found: list[str] = []
    for given in paths:
        if not os.path.isdir(given):
            found.append(given)
            continue
        for root, dirs, files in os.walk(given):
            dirs[:] = sorted(
                d for d in dirs if d not in SKIP_DIRS and not os.path.exists(os.path.join(root, d, "pyvenv.cfg"))
            )
            found += [os.path.join(root, name) for name in sorted(files) if is_suite_file(name)]
    return list(dict.fromkeys(found))


def run_paths(paths: Iterable[str], *, cases: list[str] | None = None) -> TestRun:
    """Load and run every suite under ``paths``; ``cases`` keeps only cases matching these patterns."""
    run = TestRun()
    for file in discover(paths):
        try:
            suite = load_suite(Path(file), file)
        except SuiteError as exc:
            run.errors.extend(exc.problems)
            continue
        run.suites.append(run_suite(suite, run.coverage, cases=cases))
    return run


def run_suite(suite: Suite, coverage: Coverage | None = None, *, cases: list[str] | None = None) -> SuiteResult:
    from asl_lint.eval.api import inline_secrets

    result = SuiteResult(suite)
    secrets = inline_secrets(suite.machine.definition)
    machine_coverage = coverage.of(suite.machine) if coverage is not None else None
    for case in suite.cases:
        if cases and not any(fnmatch.fnmatchcase(case.name, pattern) for pattern in cases):
            continue
        case_result = run_case(suite, case, secrets)
        if machine_coverage is not None:
            machine_coverage.add(case_result.execution.marks)
        result.cases.append(case_result)
    return result


def run_case(suite: Suite, case: Case, secrets: list[str] | None = None) -> CaseResult:
    began = time.perf_counter()
    machine = suite.machine
    execution = execute(
        machine.definition,
        case.input,
        case.responses,
        case=case.test_case or case.name,
        item_readers=case.item_readers,
        machine_type=machine.machine_type,
        start_time=case.start_time,
        execution_name=case.execution_name or case.name,
        machine_name=machine.name,
        history=False,  # no report shows it
    )
    failures = check(case.expect, execution)
    result = CaseResult(suite, case, execution, failures, time.perf_counter() - began)
    result.record = record(result, secrets or [])
    return result


def record(result: CaseResult, secrets: list[str]) -> dict[str, Any]:
    """The case's entry of the JSON report (also what the text and JUnit reports show)."""
    from asl_lint.eval.api import redact_value

    execution = result.execution
    entry = {
        "suite": result.suite.file,
        "name": result.case.name,
        "stateMachine": result.suite.machine.label,
        "status": execution.status,
        "output": execution.output,
        "error": execution.error,
        "cause": execution.cause,
        "path": execution.path,
        "retries": execution.retries,
        "duration": execution.duration,
        "passed": result.passed,
        "failures": [failure.to_dict() for failure in result.failures],
    }
    return redact_value(entry, secrets) if secrets else entry
