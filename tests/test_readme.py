"""The README's examples are true: every ``asl-lint`` command of its shell blocks runs as written
(from a copy of the repository's ``examples/``), and its Python blocks run and give what they say."""

from __future__ import annotations

import ast
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def _blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README) if lang == language]


def _commands() -> list[str]:
    """Every ``asl-lint ...`` line of the README's sh blocks, without its trailing comment."""
    found = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            if line.startswith("asl-lint "):
                found.append(line.split("  #")[0].strip())  # a comment starts after two spaces
    return found


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "examples", tmp_path / "examples")
    return tmp_path


def test_the_usage_block_covers_every_command() -> None:
    from asl_lint.cli import COMMANDS

    used = {shlex.split(c)[1] for c in _commands()}
    assert set(COMMANDS) <= used


@pytest.mark.parametrize("command", _commands())
def test_readme_command_runs_as_written(command: str, workspace: Path) -> None:
    argv = shlex.split(command)
    done = subprocess.run([sys.executable, "-m", "asl_lint", *argv[1:]], cwd=workspace, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, check=False)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    # The bundled examples hold mistakes on purpose (the README says so): check finds them.
    expected = 1 if argv[1] == "check" else 0
    assert done.returncode == expected, done.stdout + done.stderr
    if argv[1] in ("run", "test-state"):
        assert json.loads(done.stdout)["status"] == "SUCCEEDED"
    if "-o" in argv:
        assert json.loads((workspace / argv[argv.index("-o") + 1]).read_text())["version"] == "2.1.0"


def _claims(block: str) -> list[tuple[int, Any]]:
    """(line of a statement, the value its ``# -> VALUE`` comment on the next line says it returns)."""
    lines = block.splitlines()
    return [(number, ast.literal_eval(lines[number][len("# -> "):]))
            for number in range(len(lines)) if lines[number].startswith("# -> ")]


@pytest.mark.parametrize("block", _blocks("python"))
def test_readme_python_runs_and_returns_what_it_says(block: str, workspace: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(workspace)
    tree = ast.parse(block)
    namespace: dict[str, Any] = {}
    claims = dict(_claims(block))  # keyed by the 0-based line of the comment
    checked = 0
    for statement in tree.body:
        end = statement.end_lineno or statement.lineno  # 1-based: the comment's 0-based line is `end`
        if isinstance(statement, ast.Expr) and end in claims:
            value = eval(compile(ast.Expression(statement.value), "README.md", "eval"), namespace)
            expected = claims[end]
            assert {k: value.get(k) for k in expected} == expected  # the README may leave fields out
            checked += 1
        else:
            exec(compile(ast.Module([statement], type_ignores=[]), "README.md", "exec"), namespace)
    assert checked == len(claims)
    capsys.readouterr()


def test_readme_python_api_lints_one_path(workspace: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(workspace)
    (block,) = [b for b in _blocks("python") if "lint_paths" in b]
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed and all(line.startswith("examples/order-fulfilment.asl.json:") for line in printed)


def test_readme_yaml_blocks_parse() -> None:
    from asl_lint.sources.detect import parse_text

    for block in _blocks("yaml"):  # CloudFormation short tags (!GetAtt) included
        assert not parse_text(block, "yaml").fatal, block
    workflow = next(yaml.safe_load(b) for b in _blocks("yaml") if "asl-lint/asl-lint@" in b)
    step = next(s for s in workflow["jobs"]["asl-lint"]["steps"] if str(s.get("uses", "")).startswith("asl-lint/"))
    action = yaml.safe_load((PROJECT_ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(step["with"]) <= set(action["inputs"])
