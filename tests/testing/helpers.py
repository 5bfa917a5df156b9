"""Shared helpers of the workflow-test tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from asl_lint.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def copy_fixture(name: str, tmp_path: Path) -> Path:
    """A fixture folder copied where a test may change it."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["test", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = cli(capsys, *args, "--format", "json")
    return code, json.loads(out)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def machine(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def task(resource: str = "arn:aws:states:::lambda:invoke", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"Type": "Task", "Resource": resource}
    body.update(fields)
    if "Next" not in body:
        body["End"] = True
    return body
