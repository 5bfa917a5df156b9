"""The GitHub Action (``action.yml``): its inputs, and its steps run by hand the way the runner runs them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

ACTION = PROJECT_ROOT / "action.yml"
DOCUMENTED_INPUTS = {"paths", "args", "format", "output", "upload-sarif", "sarif-file", "python-version"}


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return data


def _step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in action["runs"]["steps"] if s.get("id") == step_id)
    return step


def test_action_parses_with_the_documented_inputs(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == DOCUMENTED_INPUTS
    for name, spec in action["inputs"].items():
        assert spec["description"].strip(), name
        assert isinstance(spec["default"], str), name  # every input has a default: `uses:` alone works
    assert action["inputs"]["paths"]["default"] == "."
    assert action["inputs"]["upload-sarif"]["default"] == "false"
    # Installed from the action's own checkout (the pinned ref), not from a registry.
    install = _step(action, "install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert 'pip install --quiet --disable-pip-version-check "$ACTION_PATH"' in install["run"]
    assert "asl_lint check" in _step(action, "check")["run"]
    for doc in (PROJECT_ROOT / "README.md", PROJECT_ROOT / "docs" / "ci.md"):
        text = doc.read_text(encoding="utf-8")
        assert "uses: asl-lint/asl-lint@" in text, doc
        assert all(f"`{name}`" in text for name in ("paths", "args", "format", "upload-sarif")), doc


def _expand(value: str, inputs: dict[str, str], python: str) -> str:
    """The runner's ${{ }} expressions, for the ones the check step uses."""
    def one(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression.startswith("inputs."):
            return inputs[expression[len("inputs."):]]
        if expression == "steps.install.outputs.python":
            return python
        raise AssertionError(f"unexpected expression {expression}")

    return re.sub(r"\$\{\{(.*?)\}\}", one, value)


def _run_check_step(action: dict[str, Any], workspace: Path, **overrides: str) -> tuple[subprocess.CompletedProcess[str],
                                                                                       dict[str, str]]:
    inputs = {name: spec["default"] for name, spec in action["inputs"].items()} | overrides
    step = _step(action, "check")
    outputs = workspace / "github-output.txt"
    outputs.write_text("")
    env = {key: _expand(str(value), inputs, sys.executable) for key, value in step["env"].items()}
    env |= {"GITHUB_OUTPUT": str(outputs), "PATH": "/usr/bin:/bin", "HOME": str(workspace)}
    done = subprocess.run(["bash", "-c", step["run"]], cwd=workspace, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return done, values


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "examples", tmp_path / "examples")
    return tmp_path


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps run in bash")
def test_check_step_with_its_defaults(action: dict[str, Any], workspace: Path) -> None:
    done, outputs = _run_check_step(action, workspace)
    assert outputs == {"exit-code": "1", "sarif-file": ""}  # the examples hold mistakes on purpose
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert annotations and all(re.match(r"::(error|warning|notice) file=examples/", a) for a in annotations)
    assert "::error file=examples/template.yaml," in done.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps run in bash")
def test_check_step_with_sarif_and_quoted_arguments(action: dict[str, Any], workspace: Path) -> None:
    (workspace / "my flows").mkdir()
    shutil.copy(workspace / "examples" / "clean.asl.yaml", workspace / "my flows" / "clean.asl.yaml")
    done, outputs = _run_check_step(action, workspace, paths="'my flows'\nexamples/clean.asl.yaml",
                                    args="--fail-on error --select 'ASL1,ASL4'", format="json",
                                    **{"upload-sarif": "true"})
    assert outputs == {"exit-code": "0", "sarif-file": "asl-lint.sarif"}
    report = json.loads(done.stdout)
    assert report["summary"]["files"] == 2
    sarif = json.loads((workspace / "asl-lint.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    done, outputs = _run_check_step(action, workspace, paths="no-such-dir")
    assert outputs["exit-code"] == "2"
    assert "asl-lint: error: no such file or directory: no-such-dir" in done.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps run in bash")
def test_last_step_fails_the_job_with_asl_lints_exit_code(action: dict[str, Any]) -> None:
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Fail the step on findings")
    assert step["if"] == "steps.check.outputs.exit-code != '0'"
    done = subprocess.run(["bash", "-c", step["run"]], env={"EXIT_CODE": "1"}, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1
