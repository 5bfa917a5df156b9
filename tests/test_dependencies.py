"""Every runtime requirement in pyproject.toml is imported by asl-lint (no package installed for nothing)."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _requirements() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [re.split(r"[\s<>=!~;\[]", req, maxsplit=1)[0] for req in data["project"]["dependencies"]]


def _top_level_modules(dist_name: str) -> set[str]:
    """The importable names a distribution installs (from its RECORD), e.g. pyyaml -> yaml."""
    try:
        dist = distribution(dist_name)
    except PackageNotFoundError:
        pytest.skip(f"{dist_name} is not installed")
    names: set[str] = set()
    for file in dist.files or []:
        parts = file.parts
        if parts[0].endswith((".dist-info", ".egg-info")) or parts[0] in ("..", "bin") or parts[0].startswith("_"):
            continue
        if len(parts) == 1:
            if parts[0].endswith(".py"):
                names.add(parts[0][:-3])
            continue
        # Namespace packages (ruamel/yaml) import as "ruamel.yaml".
        names.add(parts[0] if (dist.locate_file(parts[0]) / "__init__.py").exists() else f"{parts[0]}.{parts[1]}")
    return names


def _imports() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "asl_lint").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
    return found


@pytest.mark.parametrize("requirement", _requirements())
def test_every_requirement_is_imported(requirement: str) -> None:
    modules = _top_level_modules(requirement)
    imported = _imports()
    used = {m for m in modules if any(i == m or i.startswith(m + ".") for i in imported)}
    assert used, f"{requirement} is required in pyproject.toml but asl_lint imports none of {sorted(modules)}"


def test_jsonpath_is_our_own() -> None:
    # The JSONPath layer is asl-lint's own (Jayway semantics, as AWS evaluates paths): no
    # JSONPath library is a dependency, and docs/architecture.md says why.
    assert not [r for r in _requirements() if "jsonpath" in r.lower()]
    assert "Jayway" in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
