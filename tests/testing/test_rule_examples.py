"""The examples of the rules `asl-lint test` reports (rules/ASL801.md … ASL805.md): each bad example, a
definition and a suite, gives its finding; each fixed example gives none, and its definition lints clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from asl_lint.config import Config
from asl_lint.engine.metadata import all_rules
from asl_lint.testing.coverage import TEST_CODES
from asl_lint.testing.report import findings
from asl_lint.testing.runner import run_paths
from tests.helpers import lint, serious
from tests.testing.helpers import write


def _codes(tmp_path: Path, code: str, section: str) -> list[str]:
    examples = all_rules()[code].examples(section)
    assert [lang for lang, _ in examples] == ["json", "yaml"], f"{code}: {section} needs a definition and a suite"
    (_, definition), (_, suite) = examples
    assert [(d.code, d.message) for d in serious(lint(definition))] == [], f"{code}: {section} definition"
    write(tmp_path / "definition.asl.json", definition)
    write(tmp_path / "example.sfn-test.yaml", suite)
    run = run_paths([str(tmp_path)])
    assert run.errors == [], f"{code}: {section}: {run.errors}"
    return [d.code for d in findings(run, Config(), coverage=True).diagnostics]


@pytest.mark.parametrize("code", TEST_CODES)
def test_bad_example_gives_the_finding(code: str, tmp_path: Path) -> None:
    assert code in _codes(tmp_path, code, "Example")


@pytest.mark.parametrize("code", TEST_CODES)
def test_fixed_example_does_not(code: str, tmp_path: Path) -> None:
    codes = _codes(tmp_path, code, "Fixed example")
    assert code not in codes
    assert "ASL801" not in codes  # every case of a fixed example passes
