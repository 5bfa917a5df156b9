"""rules/*.md is the one source of rule metadata: every document has one check and vice versa,
and the examples in each document behave as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asl_lint.config import Config
from asl_lint.config_schema import validate
from asl_lint.diagnostics import Diagnostic
from asl_lint.engine.metadata import SECTIONS, all_rules
from asl_lint.engine.registry import load_checks
from asl_lint.engine.runner import ENGINE_CODES, lint_paths
from asl_lint.testing.coverage import TEST_CODES
from tests.conftest import shared_path
from tests.helpers import lint, serious

RULES = all_rules()
# ASL8xx come from `asl-lint test`: their examples are a definition and a suite, run by
# tests/testing/test_rule_examples.py instead of linted here.
LINTED = {code: meta for code, meta in RULES.items() if code not in TEST_CODES}


def test_every_rule_has_one_check_and_every_check_a_rule() -> None:
    checks = load_checks()
    documented = set(RULES)
    checked = set(checks) | set(ENGINE_CODES) | set(TEST_CODES)
    assert documented - checked == set(), "rules without a check"
    assert checked - documented == set(), "checks without a rule document"


def test_catalogue_codes_are_all_documented_with_their_names() -> None:
    catalogue = shared_path("RULE-CATALOGUE.md").read_text(encoding="utf-8")
    expected = dict(re.findall(r"^\| (ASL\d{3}) \| ([a-z0-9-]+) \|", catalogue, re.M))
    assert expected, "catalogue table not found"
    missing = sorted(set(expected) - set(RULES))
    assert missing == []
    for code, name in expected.items():
        assert RULES[code].name == name


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_document_has_the_fixed_sections(code: str) -> None:
    meta = RULES[code]
    assert re.fullmatch(r"ASL\d{3}", meta.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta.name)
    for section in SECTIONS:
        assert meta.sections.get(section), f"{code}: section '{section}' missing or empty"
    assert meta.summary


def _doc_config(code: str) -> Config | None:
    """The config a rule's Options section shows (```toml), applied to its examples (e.g. ASL308's allow-list)."""
    import tomllib

    blocks = [text for lang, text in RULES[code].examples("Options") if lang == "toml"]
    if not blocks:
        return None
    data = tomllib.loads(blocks[0])
    return validate(data.get("tool", {}).get("asl-lint", data), source=f"rules/{code}.md", root=".")


def _example_path(lang: str) -> str:
    return "example.asl.yaml" if lang in ("yaml", "yml") else "example.asl.json"


_FENCE = re.compile(r"```(\w+)?\n(.*?)```", re.S)
_FILE_NAME = re.compile(r"^`([\w./-]+)`:\s*$")


def _examples(code: str, section: str) -> list[list[tuple[str | None, str, str]]]:
    """The examples of a section, each a list of (file name, language, text). A block is a file of a
    project when the line before it names the file (`` `main.tf`: ``); the files named one after the
    other form one project, and a name seen again starts the next one. Other blocks stand alone."""
    examples: list[list[tuple[str | None, str, str]]] = []
    text = RULES[code].sections.get(section, "")
    end = 0
    project: list[tuple[str | None, str, str]] | None = None
    for match in _FENCE.finditer(text):
        before = [line for line in text[end:match.start()].splitlines() if line.strip()]
        named = _FILE_NAME.match(before[-1]) if before else None
        lang, body = match.group(1) or "json", match.group(2)
        end = match.end()
        if named is None:
            examples.append([(None, lang, body)])
            project = None
            continue
        if project is None or any(name == named.group(1) for name, _, _ in project):
            project = []
            examples.append(project)
        project.append((named.group(1), lang, body))
    return examples


def _lint_example(code: str, files: list[tuple[str | None, str, str]], tmp_path: Path) -> list[Diagnostic]:
    """A block alone is linted as the file it shows; a project is written to a folder and linted whole."""
    config = _doc_config(code)
    if len(files) == 1 and files[0][0] is None:
        _, lang, text = files[0]
        path = "template.yaml" if "Resources" in text and lang == "yaml" else _example_path(lang)
        return lint(text, path=path, config=config)
    folder = tmp_path / f"example-{len(list(tmp_path.iterdir()))}"
    (folder / ".git").mkdir(parents=True)  # the project's root
    for name, _, text in files:
        assert name is not None
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return lint_paths([str(folder)], config or Config()).finish().diagnostics


def test_examples_named_by_file_form_projects() -> None:
    assert [[(name, lang) for name, lang, _ in files] for files in _examples("ASL007", "Fixed example")] == [
        [(None, "yaml")], [("main.tf", "hcl"), ("terraform.tfvars", "hcl"), ("orders.asl.json", "json")]]
    assert [[name for name, _, _ in files] for files in _examples("ASL007", "Example")] == [
        [None], ["main.tf"], ["main.tf", "orders.asl.json"]]


@pytest.mark.parametrize("code", sorted(c for c in LINTED if RULES[c].examples("Example")))
def test_bad_example_triggers_the_rule(code: str, tmp_path: Path) -> None:
    for files in _examples(code, "Example"):
        codes = [d.code for d in _lint_example(code, files, tmp_path)]
        assert code in codes, f"{code}: the bad example {[n for n, _, _ in files]} does not trigger it (got {codes})"


@pytest.mark.parametrize("code", sorted(c for c in LINTED if RULES[c].examples("Fixed example")))
def test_fixed_example_is_silent(code: str, tmp_path: Path) -> None:
    for files in _examples(code, "Fixed example"):
        diags = _lint_example(code, files, tmp_path)
        assert [d.code for d in diags if d.code == code] == [], f"{code}: the fixed example triggers it"
        assert [(d.code, d.message) for d in serious(diags)] == [], f"{code}: the fixed example has findings"


def test_readme_rule_table_is_generated_from_the_rule_documents() -> None:
    from pathlib import Path

    from asl_lint.docs import END, START, rule_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(START) + len(START) : readme.index(END)].strip()
    assert block == rule_table(), "README's rule table is stale: run `python -m asl_lint.docs`"


def test_packaged_rules_link_points_at_the_rules_folder() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    assert (root / "asl_lint" / "_rules").resolve() == (root / "rules").resolve()
