"""The real ``pre-commit try-repo`` against this repository's hooks (slow: pre-commit pip-installs it).

``try-repo`` uses the repository's committed HEAD plus uncommitted changes of tracked files, so
these tests exercise what a user would get from ``repo:`` in their ``.pre-commit-config.yaml``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.report.defs import BAD, CLEAN, write

HOOKS = PROJECT_ROOT / ".pre-commit-hooks.yaml"

SAM_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrderFlow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Pack
        States:
          Pack:
            Type: Pass
            Next: {target}
          Ship:
            Type: Succeed
"""


def _pre_commit() -> str:
    found = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(found).exists():
        pytest.skip("pre-commit is not installed")
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout")
    return found


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit home for the module, so hook environments are reused where pre-commit can."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A user's repository: definitions, SAM templates, a config that excludes legacy/."""
    root = tmp_path / "user-repo"
    write(root / "flows" / "bad.asl.json", BAD)
    write(root / "flows" / "good.asl.json", CLEAN)
    write(root / "legacy" / "old.asl.json", BAD)
    (root / "pyproject.toml").write_text('[tool.asl-lint]\nexclude = ["legacy"]\n', encoding="utf-8")
    (root / "template.yaml").write_text(SAM_TEMPLATE.format(target="Shpi"), encoding="utf-8")
    (root / "ok").mkdir()
    (root / "ok" / "template.yaml").write_text(SAM_TEMPLATE.format(target="Ship"), encoding="utf-8")
    for command in (["init", "-q"], ["add", "."]):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)
    return root


def try_repo(repo: Path, store: Path, hook: str, *files: str) -> tuple[int, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(store), "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        [_pre_commit(), "try-repo", str(PROJECT_ROOT), hook, "--files", *files],
        cwd=repo, env=env, capture_output=True, text=True, timeout=300,
    )
    return proc.returncode, proc.stdout + proc.stderr


def _hooks() -> dict[str, dict[str, object]]:
    import yaml

    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}


def test_manifest_is_valid() -> None:
    proc = subprocess.run([_pre_commit(), "validate-manifest", str(HOOKS)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hooks = _hooks()
    assert hooks["asl-lint"]["entry"] == "asl-lint check --force-exclude"
    # Template names also match other JSON/YAML files: those without a state machine are skipped.
    assert hooks["asl-lint-templates"]["entry"] == "asl-lint check --force-exclude --only-state-machines"
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["require_serial"] is False
        assert hook.get("pass_filenames", True) is True


@pytest.mark.parametrize(("hook", "path", "matches"), [
    ("asl-lint", "flows/order.asl.json", True),
    ("asl-lint", "order.asl.yaml", True),
    ("asl-lint", "a/b/order.asl.yml", True),
    ("asl-lint", "order.json", False),
    ("asl-lint", "template.yaml", False),
    ("asl-lint-templates", "template.yaml", True),
    ("asl-lint-templates", "sam-app/template.yml", True),
    ("asl-lint-templates", "cdk.out/OrdersStack.template.json", True),
    ("asl-lint-templates", "infra/orders.cfn.yaml", True),
    ("asl-lint-templates", "infra/orders.sam.json", True),
    ("asl-lint-templates", "package.json", False),
    ("asl-lint-templates", "email_template.json", False),
    ("asl-lint-templates", "templates/index.html", False),
])
def test_file_patterns(hook: str, path: str, matches: bool) -> None:
    assert bool(re.search(str(_hooks()[hook]["files"]), path)) is matches


@pytest.mark.slow
def test_definition_hook_fails_on_bad_and_passes_on_clean(repo: Path, store: Path) -> None:
    code, out = try_repo(repo, store, "asl-lint", "flows/bad.asl.json")
    assert code == 1, out
    assert "flows/bad.asl.json:6:15: ASL101 [error] Next names state 'Shpi'" in out
    assert "Failed" in out
    # Many files per run; configured excludes apply to named files (--force-exclude).
    files = ("flows/good.asl.json", "legacy/old.asl.json", "template.yaml")
    code, out = try_repo(repo, store, "asl-lint", *files)
    assert code == 0, out
    assert "Passed" in out and "ASL1" not in out


@pytest.mark.slow
def test_template_hook_on_a_sam_template(repo: Path, store: Path) -> None:
    code, out = try_repo(repo, store, "asl-lint-templates", "template.yaml", "ok/template.yaml")
    assert code == 1, out
    assert "template.yaml:12:19: ASL101 [error] Next names state 'Shpi'" in out
    assert "ok/template.yaml" not in out  # the clean template has no finding
    code, out = try_repo(repo, store, "asl-lint-templates", "ok/template.yaml", "flows/good.asl.json")
    assert code == 0, out
    assert "Passed" in out
