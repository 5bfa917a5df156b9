"""``--baseline``: only new findings fail the gate; matching survives reformatting and line moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asl_lint.baseline import apply_baseline
from asl_lint.cli import main
from asl_lint.diagnostics import Diagnostic, Severity
from asl_lint.engine.runner import LintResult
from tests.report.defs import BAD, run, write

# BAD plus an unreachable state with an unknown target: one more ASL101 and ASL102.
WORSE = {
    "StartAt": "Pack",
    "States": {
        "Pack": {"Type": "Pass", "Next": "Shpi"},
        "Ship": {"Type": "Succeed"},
        "Extra": {"Type": "Pass", "Next": "Nowhere"},
    },
}


@pytest.fixture(params=["json", "sarif"])
def baseline(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> str:
    """A baseline report of BAD in m.asl.json, in either format."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "m.asl.json", BAD)
    code, _ = run(["check", "m.asl.json", "--format", request.param, "--output", "base.out"], capsys)
    assert code == 1
    return "base.out"


def test_known_findings_do_not_fail_and_are_hidden(baseline: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["check", "m.asl.json", "--format", "json", "--baseline", baseline], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["diagnostics"] == []  # known findings are not listed again
    assert report["summary"] == {"files": 1, "errors": 0, "warnings": 0, "infos": 0, "baselined": 2}


def test_reformatted_and_moved_findings_stay_known(baseline: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    moved = {"Comment": "a\nlonger\nheader", "TimeoutSeconds": 60, **BAD}
    write(tmp_path / "m.asl.json", moved, indent=8)
    assert run(["check", "m.asl.json", "--baseline", baseline], capsys)[0] == 0


def test_new_findings_fail(baseline: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "m.asl.json", WORSE)
    code, out = run(["check", "m.asl.json", "--format", "sarif", "--baseline", baseline], capsys)
    assert code == 1
    states = [(r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
               r["baselineState"]) for r in json.loads(out)["runs"][0]["results"]]
    assert states == [
        ("ASL101", "/States/Pack/Next", "unchanged"),
        ("ASL102", "/States/Ship", "unchanged"),
        ("ASL102", "/States/Extra", "new"),
        ("ASL101", "/States/Extra/Next", "new"),
    ]


def test_unreadable_baseline_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "m.asl.json", BAD)
    (tmp_path / "junk.json").write_text("[1, 2]", encoding="utf-8")
    assert run(["check", "m.asl.json", "--baseline", "junk.json"], capsys)[0] == 2
    assert run(["check", "m.asl.json", "--baseline", "missing.json"], capsys)[0] == 2


def _diag(line: int) -> Diagnostic:
    return Diagnostic("ASL101", "unknown-state", Severity.ERROR, "m", "f.asl.json", line, 1, line, 2,
                      "/States/A/Next")


def test_occurrences_are_counted(tmp_path: Path) -> None:
    """Two findings with one fingerprint against a baseline that had one: one of them is new."""
    base = LintResult(files=["f.asl.json"], diagnostics=[_diag(1)])
    (tmp_path / "b.json").write_text(json.dumps({"diagnostics": [d.to_dict() for d in base.diagnostics]}))
    current = LintResult(files=["f.asl.json"], diagnostics=[_diag(4), _diag(8)])
    apply_baseline(current, str(tmp_path / "b.json"))
    assert [(d.line, d.baseline_state) for d in current.baselined or []] == [(4, "unchanged")]
    assert [(d.line, d.baseline_state) for d in current.diagnostics] == [(8, "new")]


def test_entries_without_fingerprint_use_code_file_pointer(tmp_path: Path) -> None:
    entry = {"code": "ASL101", "file": "f.asl.json", "pointer": "/States/A/Next"}
    (tmp_path / "b.json").write_text(json.dumps({"diagnostics": [entry]}))
    current = LintResult(files=["f.asl.json"], diagnostics=[_diag(2)])
    apply_baseline(current, str(tmp_path / "b.json"))
    assert current.diagnostics == []
    assert [d.baseline_state for d in current.baselined or []] == ["unchanged"]


@pytest.mark.parametrize("fmt", ["text", "github", "gitlab", "junit"])
def test_every_format_hides_known_findings_and_says_how_many(
        baseline: str, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "m.asl.json", WORSE)  # the two known findings, and two new ones
    main(["check", "m.asl.json", "--format", fmt, "--baseline", baseline, "--no-frames", "--select", "ASL1,ASL9"])
    captured = capsys.readouterr()
    out = captured.out
    assert "/States/Extra" in out or "Extra" in out  # the new ones are listed
    assert "Shpi" not in out  # the known ones are not
    assert "'Ship' is unreachable" not in out
    if fmt == "text":
        assert out.splitlines()[-1] == ("Found 2 new problems (2 errors, 0 warnings, 0 info) in 1 file; "
                                        "2 known findings hidden by the baseline")
        assert captured.err == ""
    else:
        assert captured.err == f"asl-lint: 2 known findings hidden by the baseline ({baseline})\n"


def test_text_with_only_known_findings(baseline: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["check", "m.asl.json", "--baseline", baseline], capsys)
    assert code == 0
    assert out == "No new problems (1 file); 2 known findings hidden by the baseline\n"


def test_sarif_keeps_known_findings_with_their_baseline_state(baseline: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["check", "m.asl.json", "--format", "sarif", "--baseline", baseline], capsys)
    assert code == 0
    results = json.loads(out)["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"]) for r in results] == [("ASL101", "unchanged"), ("ASL102", "unchanged")]
