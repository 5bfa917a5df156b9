"""pytest plugin (entry point ``pytest11: asl-lint``): workflow test suites run inside pytest.

Every ``*.sfn-test.yaml|yml|json`` file pytest collects becomes a test file with one test per case
(``pytest -k HappyPath`` selects cases by name); a failing case shows the same diff as
``asl-lint test``, a suite that cannot be run fails with its problems and their positions.
``--asl-coverage`` adds the coverage of the cases run to the terminal summary; set the ini option
``asl_lint_suites = false`` to stop collecting suite files.

Kept cheap to import: pytest loads it in every session of every project that has asl-lint installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from asl_lint.testing.coverage import Coverage
    from asl_lint.testing.runner import CaseResult

_COVERAGE: pytest.StashKey[Coverage] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("asl-lint", "workflow test suites (asl-lint)")
    group.addoption("--asl-coverage", action="store_true", default=False,
                    help="print the coverage (states, Choice branches, retriers, catchers) of the workflow "
                    "test cases run")
    parser.addini("asl_lint_suites", "collect *.sfn-test.yaml|yml|json workflow test suites", type="bool",
                  default=True)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if not parent.config.getini("asl_lint_suites"):
        return None
    from asl_lint.testing.suite import is_suite_file

    if is_suite_file(file_path.name):
        return SuiteFile.from_parent(parent, path=file_path)
    return None


class SuiteFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from asl_lint.testing.document import SuiteError
        from asl_lint.testing.suite import load_suite

        try:
            suite = load_suite(self.path, _display(self.path, self.config))
        except SuiteError as exc:
            yield BadSuite.from_parent(self, name="suite", problems=[str(p) for p in exc.problems])
            return
        for case in suite.cases:
            yield CaseItem.from_parent(self, name=case.name, suite=suite, case=case)


class SuiteProblems(Exception):
    pass


class CaseFailed(Exception):
    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.case.name)
        self.result = result


class _Item(pytest.Item):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Plugins that wrap pytest_runtest_call may expect every item to have fixtures (pytest-lsp
        # stops without yielding otherwise); these items have none.
        self.funcargs: dict[str, Any] = {}


class CaseItem(_Item):
    def __init__(self, *, suite: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite
        self.case = case

    def runtest(self) -> None:
        from asl_lint.eval.api import inline_secrets
        from asl_lint.testing.coverage import Coverage
        from asl_lint.testing.runner import run_case

        result = run_case(self.suite, self.case, inline_secrets(self.suite.machine.definition))
        coverage = self.config.stash.setdefault(_COVERAGE, Coverage())
        coverage.of(self.suite.machine).add(result.execution.marks)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CaseFailed):
            entry = excinfo.value.result.record
            lines = [f"case '{entry['name']}' of {entry['suite']} ({entry['status']}):"]
            lines += [f"  {line}" for failure in entry["failures"] for line in failure["message"].splitlines()]
            return "\n".join(lines)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = None
        if self.case.pointer:
            start = self.suite.document.span(self.case.pointer, key=True).start
            line = self.suite.document.text.count("\n", 0, start)
        return self.path, line, self.case.name


class BadSuite(_Item):
    def __init__(self, *, problems: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems = problems

    def runtest(self) -> None:
        raise SuiteProblems("\n".join(self.problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        return "the suite cannot be run:\n" + "\n".join(f"  {p}" for p in self.problems)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, "suite"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    coverage = config.stash.get(_COVERAGE, None)
    if not config.getoption("asl_coverage") or coverage is None:
        return
    terminalreporter.section("asl-lint workflow coverage")
    data = coverage.summary()
    for kind in ("states", "choices", "retriers", "catchers"):
        part = data[kind]
        missed = f"  missed: {', '.join(part['missed'])}" if part["missed"] else ""
        terminalreporter.write_line(f"{kind:<9} {part['covered']}/{part['total']}{missed}")


def _display(path: Path, config: pytest.Config) -> str:
    try:
        return str(path.relative_to(config.rootpath))
    except ValueError:
        return str(path)
