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


def test_junit_one_case_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "bad.asl.json", BAD)
    write(tmp_path / "ok.asl.json", CLEAN)
    write(tmp_path / "sup.asl.json", SUPPRESSED)
    code, out = run(["check", ".", "--format", "junit"], capsys)
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"./bad.asl.json", "./ok.asl.json", "./sup.asl.json"}
    failures = cases["./bad.asl.json"].findall("failure")
    assert [f.get("type") for f in failures] == [
        "ASL101 unknown-state (error)", "ASL102 unreachable-state (error)"]
    assert failures[0].text == ("./bad.asl.json:6:15: ASL101 [error] Next names state 'Shpi', which does not "
                                "exist; did you mean 'Ship'?")
    assert cases["./ok.asl.json"].findall("failure") == []
    suppressed = cases["./sup.asl.json"].findall("failure")
    assert [f.get("type") for f in suppressed] == ["ASL102 unreachable-state (error)"]
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == ("3", "3", "0")


def test_junit_baseline_and_internal_errors() -> None:
    known, new = _diag("old"), _diag("fresh", line=9)
    known.baseline_state, new.baseline_state = "unchanged", "new"
    result = LintResult(files=["a.asl.json"], diagnostics=[known, new],
                        internal_errors=["a.asl.json: check ASL104 crashed: ValueError()", "worker died"])
    root = ET.fromstring(get_reporter("junit")(result).split("\n", 1)[1])
    case, general = root.iter("testcase")
    assert [f.get("message") for f in case.findall("failure")] == ["ASL101 fresh"]
    assert "a.asl.json:3:5: ASL101 [error] old" in (case.findtext("system-out") or "")
    assert [e.get("message") for e in case.findall("error")] == ["check ASL104 crashed: ValueError()"]
    assert general.get("name") == "asl-lint" and general.find("error") is not None
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "1", "2")


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
