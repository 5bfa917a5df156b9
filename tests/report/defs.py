"""Definitions and helpers shared by the CI-gate tests (reports, baseline, graph, cache)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from asl_lint.cli import main

# ASL101 on Pack/Next (suppressed by the Comment), ASL102 on the unreachable Ship.
SUPPRESSED: dict[str, Any] = {
    "StartAt": "Pack",
    "States": {
        "Pack": {"Type": "Pass", "Comment": "asl-lint: ignore[ASL101] renamed next sprint", "Next": "Shpi"},
        "Ship": {"Type": "Succeed"},
    },
}

# ASL101 on Pack/Next and ASL102 on Ship.
BAD: dict[str, Any] = {
    "StartAt": "Pack",
    "States": {"Pack": {"Type": "Pass", "Next": "Shpi"}, "Ship": {"Type": "Succeed"}},
}

CLEAN: dict[str, Any] = {
    "StartAt": "Pack",
    "States": {"Pack": {"Type": "Pass", "Next": "Ship"}, "Ship": {"Type": "Succeed"}},
}


def write(path: Path, definition: dict[str, Any], indent: int | None = 2) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(definition, indent=indent) + "\n", encoding="utf-8")
    return path


def run(argv: list[str], capsys: Any) -> tuple[int, str]:
    """``asl-lint ARGV`` in process: (exit code, stdout).

    ``check`` runs only the graph and engine rules (ASL1, ASL9) unless told otherwise, so the
    exact findings these tests assert do not change when rules of other areas are added.
    """
    if argv and argv[0] == "check" and "--select" not in argv:
        argv = [*argv, "--select", "ASL1,ASL9"]
    code = main(argv)
    return code, capsys.readouterr().out
