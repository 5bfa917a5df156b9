"""Property tests over generated definitions: no exception, deterministic output, every span
inside the file, and generated-valid machines get no error."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings

from asl_lint.config import Config
from asl_lint.engine.runner import lint_text
from tests.strategies import definitions, mutated_texts, to_yaml

# CI runs a bounded number of examples; a long run sets ASL_LINT_FUZZ_EXAMPLES (see fuzz/README.md).
EXAMPLES = int(os.environ.get("ASL_LINT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _check_spans(text: str, result: object) -> None:
    lines = text.split("\n")
    for diag in result.diagnostics:  # type: ignore[attr-defined]
        assert 1 <= diag.line <= len(lines), diag
        assert 1 <= diag.column <= len(lines[diag.line - 1]) + 1, diag
        assert (diag.end_line, diag.end_column) >= (diag.line, diag.column), diag
        assert diag.end_line <= len(lines), diag


@FUZZ
@given(definitions())
def test_generated_valid_definitions_have_no_errors(definition: dict) -> None:
    for path, text in (("g.asl.json", json.dumps(definition, indent=2)), ("g.asl.yaml", to_yaml(definition))):
        result = lint_text(text, path, Config()).finish()
        errors = [(d.code, d.message) for d in result.diagnostics if d.severity.value == "error"]
        assert errors == [], (path, text)
        assert result.internal_errors == []
        _check_spans(text, result)


@FUZZ
@given(mutated_texts())
def test_mutated_definitions_never_crash_and_are_deterministic(case: tuple[str, str]) -> None:
    path, text = case
    first = lint_text(text, path, Config()).finish()
    assert first.internal_errors == []
    assert not [d for d in first.diagnostics if d.code == "ASL901"]
    _check_spans(text, first)
    second = lint_text(text, path, Config()).finish()
    assert [d.to_dict() for d in first.diagnostics] == [d.to_dict() for d in second.diagnostics]
