"""The Python API of the contract: one path or several, ``asl_lint.Config``, docstrings that stand alone."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

import asl_lint
from asl_lint.diagnostics import Diagnostic
from tests.conftest import PROJECT_ROOT

BAD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Shpi"}, "Ship": {"Type": "Succeed"}}}


@pytest.fixture
def flows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "order.asl.json").write_text(json.dumps(BAD, indent=2))
    return tmp_path / "flows" / "order.asl.json"


def _where(diags: list[Diagnostic]) -> list[tuple[str, str, int]]:
    return [(d.code, d.file, d.line) for d in diags]


def test_lint_paths_takes_one_path(flows: Path) -> None:
    expected = [("ASL101", "flows/order.asl.json", 6), ("ASL102", "flows/order.asl.json", 8)]
    assert _where(asl_lint.lint_paths("flows/order.asl.json")) == expected  # not its characters
    assert _where(asl_lint.lint_paths(Path("flows/order.asl.json"))) == expected
    assert _where(asl_lint.lint_paths(["flows/order.asl.json"])) == expected
    assert _where(asl_lint.lint_paths("flows")) == expected
    assert _where(asl_lint.lint_paths(p for p in [Path("flows")])) == expected


def test_config_is_exported(flows: Path) -> None:
    assert "Config" in asl_lint.__all__
    from asl_lint import Config

    assert Config is asl_lint.Config
    only_graph = Config(select=("ASL102",))
    assert _where(asl_lint.lint_paths("flows", only_graph)) == [("ASL102", "flows/order.asl.json", 8)]


def test_docstrings_point_inside_the_repository() -> None:
    """A clone has no ../shared: the public API's documentation must stand alone."""
    for name in asl_lint.__all__:
        doc = inspect.getdoc(getattr(asl_lint, name)) or ""
        assert "shared/" not in doc and "CONTRACT.md" not in doc, name
    assert "shared/" not in (asl_lint.__doc__ or "")


def _anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_the_code_explains_itself_without_outside_files() -> None:
    """Facts the code relies on are stated in docs/sources.md with public sources; no file points a
    reader at ../shared or at reference notes a clone does not have."""
    sources = (PROJECT_ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    anchors = {_anchor(line.lstrip("#")) for line in sources.splitlines() if line.startswith("## ")}
    outside = re.compile(r"\.\./shared|/shared/|reference/[\w-]+\.md|[\w-]+\.md §|reference [\w-]+\.md")
    offenders, dangling = [], []
    for path in sorted((PROJECT_ROOT / "asl_lint").rglob("*")):
        if path.suffix not in (".py", ".json") or "__pycache__" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(PROJECT_ROOT))
        offenders += [f"{where}: {m.group(0)}" for m in outside.finditer(text)]
        dangling += [f"{where}: #{a}" for a in re.findall(r"docs/sources\.md#([\w-]+)", text) if a not in anchors]
    assert offenders == []
    assert dangling == []
    sections = sources.split("\n## ")[1:]
    assert sections and all("https://" in section for section in sections)  # each names its public pages
