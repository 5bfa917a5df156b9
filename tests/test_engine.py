"""The engine: selection, severities, suppressions, crash isolation, redaction hooks, sorting."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from asl_lint.config import Config
from asl_lint.diagnostics import Finding, Severity
from asl_lint.engine import registry
from asl_lint.engine.context import CheckContext
from asl_lint.engine.runner import lint_bytes
from tests.helpers import findings, lint, lint_result

BROKEN = {
    "StartAt": "A",
    "States": {"A": {"Type": "Pass", "Next": "Nowhere"}},
}


def test_select_ignore_by_code_prefix_and_name() -> None:
    assert findings(lint(BROKEN, config=Config(ignore=("ASL101",))), "ASL101") == []
    assert findings(lint(BROKEN, config=Config(ignore=("ASL1",))), "ASL101") == []
    assert findings(lint(BROKEN, config=Config(ignore=("unknown-state",))), "ASL101") == []
    only = lint(BROKEN, config=Config(select=("ASL101",)))
    assert {d.code for d in only} == {"ASL101"}


def test_severity_override_and_per_file_ignores() -> None:
    [diag] = [d for d in lint(BROKEN, config=Config(severity={"ASL101": Severity.WARNING})) if d.code == "ASL101"]
    assert diag.severity is Severity.WARNING
    config = Config(per_file_ignores={"legacy/*": ("ASL101",)})
    assert findings(lint(BROKEN, path="legacy/a.asl.json", config=config), "ASL101") == []
    assert findings(lint(BROKEN, path="new/a.asl.json", config=config), "ASL101") != []


def test_suppression_in_state_comment() -> None:
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Comment": "asl-lint: ignore[ASL101] migrating", "Next": "Nowhere"}},
    }
    result = lint_result(definition)
    assert findings(result.diagnostics, "ASL101") == []
    [suppressed] = result.suppressed
    assert suppressed.code == "ASL101"
    assert suppressed.suppressed == "migrating"


def test_invalid_and_unused_suppressions() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Comment": "asl-lint: ignore[ASL99X] typo", "Next": "B"},
            "B": {"Type": "Pass", "Comment": "asl-lint: ignore[ASL101] stale", "Next": "C"},
            "C": {"Type": "Pass", "Comment": "asl-lint: ignore no codes", "End": True},
        },
    }
    diags = lint(definition)
    assert [f[4] for f in findings(diags, "ASL902")] == [
        "The suppression names 'ASL99X', which is no rule code, prefix or name",
        "The directive 'ignore' must name the rules it suppresses, e.g. 'asl-lint: ignore[ASL401] reason'",
    ]
    assert [f[4] for f in findings(diags, "ASL903")] == ["This suppression of ASL101 suppressed nothing; remove it"]


def test_yaml_comment_suppression_on_the_line_and_the_line_above() -> None:
    text = """\
    StartAt: A
    States:
      A:
        Type: Pass
        # asl-lint: ignore[ASL101] next line
        Next: Nowhere
      B:
        Type: Pass
        Next: Gone  # asl-lint: ignore[unknown-state] same line
    """
    result = lint_result(text, path="t.asl.yaml")
    assert findings(result.diagnostics, "ASL101") == []
    assert [d.line for d in result.suppressed if d.code == "ASL101"] == [6, 9]


def test_a_crashing_check_becomes_asl901_and_the_others_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(ctx: CheckContext) -> Iterator[Finding]:
        raise ZeroDivisionError("division by zero")
        yield  # pragma: no cover

    spec = registry.CHECKS["ASL106"]
    monkeypatch.setitem(registry.CHECKS, "ASL106", registry.CheckSpec("ASL106", boom, "definition"))
    diags = lint(BROKEN)
    crash = [d for d in diags if d.code == "ASL901"]
    assert len(crash) == 1
    assert crash[0].message.startswith("Check ASL106 (busy-loop) crashed on this file: ZeroDivisionError: division by zero")
    assert findings(diags, "ASL101") != []
    assert spec.code == "ASL106"


def test_findings_are_sorted_and_deterministic() -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"}, "B": {"Type": "Pass", "Next": "Y"}}}'
    first = [d.to_dict() for d in lint(text)]
    second = [d.to_dict() for d in lint(text)]
    assert first == second
    keys = [(d["line"], d["column"], d["code"]) for d in first]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", "The file is not valid UTF-8: byte 0xff at byte offset 0"),
        (b'{"StartAt": "A"\x00}', "The file contains NUL characters: it looks binary, not JSON or YAML"),
        (b"\xef\xbb\xbf{}", "The file starts with a UTF-8 byte order mark; AWS rejects definitions that start with one"),
    ],
)
def test_unreadable_bytes(data: bytes, message: str) -> None:
    result = lint_bytes(data, "x.asl.json", Config()).finish()
    assert message in [d.message for d in result.diagnostics if d.code == "ASL001"]


def test_invalid_utf8_position_is_the_bad_byte() -> None:
    result = lint_bytes(b'{\n  "a": "\xc3\x28"\n}', "x.asl.json", Config()).finish()
    [diag] = [d for d in result.diagnostics if d.code == "ASL001"]
    assert (diag.line, diag.column) == (2, 9)


def test_secret_member_names_are_redacted_in_pointers_of_every_finding() -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    definition = {"StartAt": "S", "States": {"S": {"Type": "Pass", "Parameters": {token: {"x": "$.a"}}, "End": True}}}
    diags = lint(definition)
    assert {d.code for d in diags} >= {"ASL602", "ASL205"}
    for diag in diags:
        assert token not in json.dumps(diag.to_dict())


def test_fingerprints_ignore_how_the_path_was_spelt() -> None:
    from asl_lint.diagnostics import Diagnostic

    def make(file: str) -> Diagnostic:
        return Diagnostic("ASL101", "unknown-state", Severity.ERROR, "m", file, 1, 1, 1, 2, "/States/A/Next")

    assert make("./flows/a.json").fingerprint == make("flows/a.json").fingerprint == make("flows\\a.json").fingerprint
    assert make("flows/a.json").fingerprint != make("flows/b.json").fingerprint


def test_identical_findings_are_reported_once() -> None:
    diags = lint('{"name": "x"}', path="package.json")
    keys = [(d.code, d.line, d.column, d.message) for d in diags]
    assert len(keys) == len(set(keys))
