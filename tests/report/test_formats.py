"""The other CI formats: GitHub workflow annotations, JUnit XML, GitLab Code Quality."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from asl_lint.diagnostics import Diagnostic, Severity
from asl_lint.engine.runner import LintResult
from asl_lint.report import get_reporter
from tests.report.defs import BAD, CLEAN, SUPPRESSED, run, write


def _diag(message: str, file: str = "a.asl.json", code: str = "ASL101", line: int = 3) -> Diagnostic:
    return Diagnostic(code, "unknown-state", Severity.ERROR, message, file, line, 5, line, 9,
                      "/States/A/Next", "A")


def test_github_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "bad.asl.json", BAD)
    code, out = run(["check", "bad.asl.json", "--format", "github"], capsys)
    assert code == 1
    assert out.splitlines() == [
        "::error file=bad.asl.json,line=6,col=15,endLine=6,endColumn=21,title=ASL101 unknown-state::"
        "Next names state 'Shpi', which does not exist; did you mean 'Ship'?",
        "::error file=bad.asl.json,line=8,col=5,endLine=8,endColumn=11,title=ASL102 unreachable-state::"
        "State 'Ship' is unreachable: no path from StartAt 'Pack' leads to it "
        "(AWS rejects definitions with unreachable states)",
    ]


def test_github_escapes_workflow_command_syntax() -> None:
    result = LintResult(files=["dir,x:y.json"],
                        diagnostics=[_diag("50% done\nnext line", file="dir,x:y.json")])
    (line,) = get_reporter("github")(result).splitlines()
    assert line.startswith("::error file=dir%2Cx%3Ay.json,line=3,")
    assert line.endswith("::50%25 done%0Anext line")


def _junit(out: str) -> ET.Element:
    return ET.fromstring(out.split("\n", 1)[1])


def _counts(element: ET.Element) -> tuple[str | None, ...]:
    return tuple(element.get(k) for k in ("tests", "failures", "errors", "skipped"))


def test_junit_one_suite_per_file_one_case_per_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "bad.asl.json", BAD)
    write(tmp_path / "ok.asl.json", CLEAN)
    write(tmp_path / "sup.asl.json", SUPPRESSED)
    code, out = run(["check", ".", "--format", "junit"], capsys)
    assert code == 1
    root = _junit(out)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"./bad.asl.json", "./ok.asl.json", "./sup.asl.json"}
    bad = suites["./bad.asl.json"].findall("testcase")
    assert [(c.get("classname"), c.get("name"), c.get("line")) for c in bad] == [
        ("./bad.asl.json", "ASL101 unknown-state (6:15 /States/Pack/Next)", "6"),
        ("./bad.asl.json", "ASL102 unreachable-state (8:5 /States/Ship)", "8"),
    ]
    failure = bad[0].find("failure")
    assert failure is not None and failure.get("type") == "ASL101 unknown-state (error)"
    assert failure.text == ("./bad.asl.json:6:15: ASL101 [error] Next names state 'Shpi', which does not "
                            "exist; did you mean 'Ship'?")
    (ok,) = suites["./ok.asl.json"].findall("testcase")
    assert ok.get("name") == "no findings" and list(ok) == []
    # The counts are test cases: every failing case has exactly one <failure>.
    assert _counts(suites["./bad.asl.json"]) == ("2", "2", "0", "0")
    assert _counts(suites["./sup.asl.json"]) == ("1", "1", "0", "0")
    assert _counts(root) == ("4", "3", "0", "0")
    assert len(root.findall(".//failure")) == int(root.get("failures") or 0)


def test_junit_respects_fail_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """Findings below --fail-on are skipped test cases, not failures (and the exit code agrees)."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "bad.asl.json", {**BAD, "States": {**BAD["States"], "Pack": {"Type": "Pass", "Next": "Ship"},
                                                        "Loop": {"Type": "Pass", "Next": "Loop"}}})
    code, out = run(["check", "bad.asl.json", "--format", "junit", "--fail-on", "error",
                     "--select", "ASL106"], capsys)
    assert code == 0
    root = _junit(out)
    (case,) = root.iter("testcase")
    skipped = case.find("skipped")
    assert skipped is not None and case.find("failure") is None
    assert (skipped.get("message") or "").startswith("warning, below --fail-on error: ASL106 ")
    assert _counts(root) == ("1", "0", "0", "1")
    code, out = run(["check", "bad.asl.json", "--format", "junit", "--select", "ASL106"], capsys)
    assert code == 1
    assert _counts(_junit(out)) == ("1", "1", "0", "0")


def test_junit_baseline_and_internal_errors() -> None:
    known, new = _diag("old"), _diag("fresh", line=9)
    known.baseline_state, new.baseline_state = "unchanged", "new"
    result = LintResult(files=["a.asl.json"], diagnostics=[new], baselined=[known],
                        internal_errors=["a.asl.json: check ASL104 crashed: ValueError()", "worker died"])
    root = _junit(get_reporter("junit")(result))
    file_suite, general = root.findall("testsuite")
    fresh, crashed = file_suite.findall("testcase")
    assert [f.get("message") for f in fresh.findall("failure")] == ["ASL101 fresh"]
    assert [e.get("message") for e in crashed.findall("error")] == ["check ASL104 crashed: ValueError()"]
    assert "old" not in get_reporter("junit")(result)  # known findings are not listed
    assert general.get("name") == "asl-lint"
    assert general.find("properties/property[@name='baselined']").get("value") == "1"  # type: ignore[union-attr]
    (case,) = general.findall("testcase")
    assert case.find("error") is not None
    assert _counts(root) == ("3", "1", "2", "0")


def test_gitlab_code_quality(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "flows" / "bad.asl.json", BAD)
    code, out = run(["check", str(tmp_path / "flows"), "--format", "gitlab"], capsys)
    assert code == 1
    issues = json.loads(out)
    path = "flows/bad.asl.json"
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("ASL101 unknown-state", "major", {"path": path, "lines": {"begin": 6, "end": 6}}),
        ("ASL102 unreachable-state", "major", {"path": path, "lines": {"begin": 8, "end": 8}}),
    ]
    assert issues[0]["description"].startswith("ASL101 Next names state 'Shpi'")
    assert len({i["fingerprint"] for i in issues}) == 2
    # Stable across reformatting: the same fingerprints after re-indenting.
    write(tmp_path / "flows" / "bad.asl.json", BAD, indent=None)
    _, again = run(["check", str(tmp_path / "flows"), "--format", "gitlab"], capsys)
    assert [i["fingerprint"] for i in json.loads(again)] == [i["fingerprint"] for i in issues]


def test_gitlab_fingerprints_unique_for_equal_findings() -> None:
    result = LintResult(files=["a.asl.json"], diagnostics=[_diag("one"), _diag("two")])
    issues = json.loads(get_reporter("gitlab")(result))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    assert [i["severity"] for i in issues] == ["major", "major"]


def test_github_annotation_paths_are_relative_to_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "flows" / "bad.asl.json", BAD)
    code, out = run(["check", ".", "--format", "github"], capsys)  # found as ./flows/bad.asl.json
    assert code == 1
    assert [line.split(",")[0] for line in out.splitlines()] == ["::error file=flows/bad.asl.json"] * 2
