"""SARIF 2.1.0: schema-valid, complete for GitHub code scanning, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asl_lint.diagnostics import Finding, Severity
from asl_lint.engine.metadata import RuleMeta, all_rules
from asl_lint.engine.registry import CHECKS, CheckSpec, load_checks
from asl_lint.report.sarif_report import build_sarif
from tests.conftest import shared_path
from tests.helpers import lint_result
from tests.report.defs import BAD, CLEAN, SUPPRESSED, run, write


def _validator() -> Any:
    from jsonschema import Draft4Validator

    schema = json.loads(shared_path("reference", "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def _crash(ctx: Any) -> list[Finding]:
    raise RuntimeError("boom")


@pytest.fixture
def full_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """SARIF of a run with findings, a suppression, an internal error and a baseline."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "flows" / "suppressed.asl.json", SUPPRESSED)
    write(tmp_path / "flows" / "bad.asl.json", BAD)
    code, _ = run(["check", "flows", "--format", "json", "--output", "base.json"], capsys)
    assert code == 1
    # A new finding after the baseline, and a check that crashes.
    write(tmp_path / "flows" / "new.asl.json", BAD)
    load_checks()
    monkeypatch.setitem(CHECKS, "ASL103", CheckSpec("ASL103", _crash, "definition"))
    code, out = run(["check", "flows", "--format", "sarif", "--baseline", "base.json"], capsys)
    assert code == 1  # new findings
    return json.loads(out)


def test_full_run_validates_against_the_schema(full_run: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(full_run), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_every_field_github_reads_is_present(full_run: dict[str, Any]) -> None:
    assert full_run["version"] == "2.1.0" and full_run["$schema"]
    (run_,) = full_run["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "asl-lint" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(all_rules())
    for rule in rules:
        meta = all_rules()[rule["id"]]
        assert rule["name"] == meta.name
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"] == meta.markdown
        assert rule["helpUri"].endswith(f"/rules/{meta.code}.md")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert isinstance(rule["properties"]["tags"], list)
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["automationDetails"]["id"].startswith("asl-lint/")
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    assert run_["results"]
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["artifactLocation"]["uri"].startswith("flows/")
        assert set(physical["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert location["logicalLocations"][0]["fullyQualifiedName"].startswith("/")
        assert len(result["partialFingerprints"]["primaryLocationLineHash"]) > 32


def test_baseline_suppressions_and_internal_errors(full_run: dict[str, Any]) -> None:
    (run_,) = full_run["runs"]
    by_file: dict[str, list[tuple[str, str | None]]] = {}
    for result in run_["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        by_file.setdefault(uri, []).append((result["ruleId"], result.get("baselineState")))
    # The crash is reported as an ASL901 finding too, which the baseline did not have.
    assert by_file["flows/bad.asl.json"] == [
        ("ASL901", "new"), ("ASL101", "unchanged"), ("ASL102", "unchanged")]
    assert ("ASL101", "new") in by_file["flows/new.asl.json"]
    suppressed = [r for r in run_["results"] if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["ruleId"] == "ASL101"
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "justification": "renamed next sprint"}]
    assert suppressed[0]["baselineState"] == "unchanged"  # it was suppressed in the baseline too
    assert all("baselineState" in r for r in run_["results"])
    (invocation,) = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert len(notes) == 3  # ASL103 crashed once per file
    assert all(n["level"] == "error" and "ASL103" in n["message"]["text"] for n in notes)


def test_clean_run_is_successful_and_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "ok.asl.json", CLEAN)
    code, out = run(["check", "ok.asl.json", "--format", "sarif"], capsys)
    log = json.loads(out)
    assert code == 0
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    assert not list(_validator().iter_errors(log))


def _fingerprints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, int]]:
    code, out = run(["check", "m.asl.json", "--format", "sarif"], capsys)
    assert code == 1
    return [(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in json.loads(out)["runs"][0]["results"]]


def test_fingerprints_survive_reindenting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "m.asl.json", BAD, indent=2)
    before = _fingerprints(tmp_path, capsys)
    write(tmp_path / "m.asl.json", {"Comment": "moved\nlines", **BAD}, indent=None)
    after = _fingerprints(tmp_path, capsys)
    assert [(c, f) for c, f, _ in before] == [(c, f) for c, f, _ in after]
    assert [line for *_, line in before] != [line for *_, line in after]  # the lines did move


def test_security_severity_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = lint_result(BAD, path=str(tmp_path / "sub" / "abs.asl.json"))
    rules = dict(all_rules())
    rules["ASL102"] = RuleMeta("ASL102", "unreachable-state", Severity.WARNING, "A summary.",
                               tags=("secrets",), security_severity=7.5, body="# x")
    log = build_sarif(result, rules)
    descriptor = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "ASL102")
    assert descriptor["properties"]["security-severity"] == "7.5"
    assert descriptor["properties"]["tags"] == ["secrets", "security"]
    assert descriptor["defaultConfiguration"]["level"] == "warning"
    locations = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                 for r in log["runs"][0]["results"]}
    assert locations == {"sub/abs.asl.json"}  # absolute path under the root: made relative
    outside = build_sarif(lint_result(BAD, path="/elsewhere/x y.asl.json"), rules)
    artifact = outside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "file:///elsewhere/x%20y.asl.json"}


def test_output_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.asl.json", SUPPRESSED)
    write(tmp_path / "b.asl.json", BAD)
    first = run(["check", ".", "--format", "sarif"], capsys)
    second = run(["check", ".", "--format", "sarif", "--jobs", "2"], capsys)
    assert first == second


def test_corpus_sarif_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every real-world file of the shared corpus in one log: still schema-valid SARIF."""
    corpus = shared_path("corpus")
    monkeypatch.chdir(corpus)
    from asl_lint.config import Config
    from asl_lint.engine.runner import lint_paths

    log = build_sarif(lint_paths(["."], Config()))
    errors = list(_validator().iter_errors(log))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    results = log["runs"][0]["results"]
    assert len(results) > 100
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
               for r in results)
