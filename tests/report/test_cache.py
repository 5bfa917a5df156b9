"""``check --cache``: a warm cache gives byte-identical reports and does not lint again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asl_lint import cache
from asl_lint.config import Config
from asl_lint.diagnostics import Diagnostic, Severity
from asl_lint.engine import runner
from asl_lint.engine.runner import LintResult
from asl_lint.sources.project import Unit
from tests.report.defs import BAD, CLEAN, SUPPRESSED, run, write

YAML_BAD = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Gone  # a comment\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "flows" / "bad.asl.json", BAD)
    write(tmp_path / "flows" / "ok.asl.json", CLEAN)
    write(tmp_path / "flows" / "sup.asl.json", SUPPRESSED)
    (tmp_path / "flows" / "y.asl.yaml").write_text(YAML_BAD, encoding="utf-8")
    (tmp_path / "flows" / "package.json").write_text('{"name": "not a definition"}', encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "junit"])
def test_cold_and_warm_cache_match_an_uncached_run(project: Path, fmt: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "flows", "--format", fmt, "--select", "ALL"]
    plain = run(args, capsys)
    cold = run([*args, "--cache"], capsys)
    warm = run([*args, "--cache"], capsys)
    assert plain[0] == 1
    assert plain == cold == warm
    assert (project / ".asl-lint-cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_warm_cache_does_not_lint(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config()
    first = cache.lint_paths_cached(["flows"], config)

    def fail(args: Any) -> None:
        raise AssertionError(f"linted {args[0]} again")

    monkeypatch.setattr(runner, "_lint_one", fail)
    second = cache.lint_paths_cached(["flows"], config)
    assert [d.to_dict() for d in second.diagnostics] == [d.to_dict() for d in first.diagnostics]
    assert second.files == first.files and second.texts == first.texts
    assert (second.definitions, second.unparsable) == (first.definitions, first.unparsable)


def test_changes_invalidate(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config()
    cache.lint_paths_cached(["flows"], config)
    linted: list[str] = []
    original = runner._lint_one

    def spy(args: tuple[Unit, Config]) -> LintResult | None:
        linted.append(args[0].files[0].file)
        return original(args)

    monkeypatch.setattr(runner, "_lint_one", spy)
    write(project / "flows" / "ok.asl.json", BAD)  # content changed
    result = cache.lint_paths_cached(["flows"], config)
    assert linted == ["flows/ok.asl.json"]
    assert {d.file for d in result.diagnostics if d.code == "ASL101"} >= {"flows/ok.asl.json"}
    linted.clear()
    cache.lint_paths_cached(["flows"], config.with_overrides(ignore=("ASL102",)))  # config changed
    assert len(linted) == 5
    (project / "policy.json").write_text("{}", encoding="utf-8")
    with_policy = config.with_overrides(iam=type(config.iam)(policies=("policy.json",)))
    before = cache.config_fingerprint(with_policy)
    (project / "policy.json").write_text('{"Version": "2012-10-17"}', encoding="utf-8")
    assert cache.config_fingerprint(with_policy) != before  # a named file's content is part of the key


def test_damaged_entries_are_relinted(project: Path) -> None:
    config = Config()
    first = cache.lint_paths_cached(["flows"], config)
    for entry in (project / ".asl-lint-cache").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    again = cache.lint_paths_cached(["flows"], config)
    assert [d.to_dict() for d in again.diagnostics] == [d.to_dict() for d in first.diagnostics]


def test_secrets_are_stored_as_positions_not_values() -> None:
    secret = "ghp_R7dK2pX9mQ4vL8nT3wY6zB1cF5hJ0sA2eG7k"
    text = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"token": secret}}}})
    diag = Diagnostic("ASL601", "inline-secret", Severity.ERROR, "A token gh…7k is inline", "f.asl.json",
                      1, 70, 1, 110, "/States/A/Parameters/token", "A", secrets=(secret,))
    result = LintResult(files=["f.asl.json"], diagnostics=[diag], secrets={secret}, definitions=1)
    entry = cache.to_entry(result, {"f.asl.json": text})
    assert secret not in json.dumps(entry)
    restored = cache.from_entry(json.loads(json.dumps(entry)), {"f.asl.json": text})
    assert restored is not None
    assert restored.secrets == {secret} and restored.diagnostics[0].secrets == (secret,)
    assert restored.diagnostics[0].to_dict() == diag.to_dict()
    with pytest.raises(cache._Uncacheable):  # an escaped spelling cannot be stored as a position
        cache.to_entry(result, {"f.asl.json": text.replace("ghp_", "ghp\\u005f")})


def test_a_definition_file_is_cached_with_the_template_that_gives_its_context(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The template's content is part of the key of its definition files: changing a substitution
    in the template lints the definition file again, with the new value."""
    monkeypatch.chdir(tmp_path)
    definition = ('{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "${Next}"},\n'
                  '  "Done": {"Type": "Succeed"}}}\n')
    (tmp_path / "statemachine").mkdir()
    (tmp_path / "statemachine" / "flow.asl.json").write_text(definition, encoding="utf-8")
    template = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n"
                "    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n"
                "      DefinitionSubstitutions:\n        Next: {}\n      Policies: []\n")
    (tmp_path / "template.yaml").write_text(template.format("Done"), encoding="utf-8")
    args = ["check", ".", "--format", "json"]
    plain = run(args, capsys)
    assert plain[0] == 0
    assert run([*args, "--cache"], capsys) == run([*args, "--cache"], capsys) == plain
    (tmp_path / "template.yaml").write_text(template.format("Gone"), encoding="utf-8")
    code, out = run([*args, "--cache"], capsys)
    assert code == 1
    assert [(d["code"], d["file"], d["line"], d["column"]) for d in json.loads(out)["diagnostics"]] == [
        ("ASL101", "./statemachine/flow.asl.json", 1, 73), ("ASL102", "./statemachine/flow.asl.json", 2, 3)]


def test_parallel_cached_run_matches(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "flows", "--format", "json"]
    plain = run(args, capsys)
    assert run([*args, "--cache", "--jobs", "2"], capsys) == plain  # cold, linted in two processes
    assert run([*args, "--cache", "--jobs", "2"], capsys) == plain  # warm


def test_the_cache_folder_is_never_linted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Entries mention 'StartAt'; linting `.` next to the cache must not pick them up."""
    args = ["check", ".", "--format", "json"]
    cold = run([*args, "--cache"], capsys)
    assert any((project / ".asl-lint-cache").rglob("*.json"))
    warm = run([*args, "--cache"], capsys)
    plain = run(args, capsys)
    assert cold == warm == plain
    assert ".asl-lint-cache" not in plain[1]
