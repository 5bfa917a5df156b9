"""Hostile or unusual real-world definitions never crash the evaluator (../shared/corpus/standalone)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from asl_lint.eval import TestStateRequestError, run_execution
from asl_lint.eval import test_state as offline_test_state
from asl_lint.eval.request import walk_states
from tests.conftest import shared_path


def _definitions(root: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
            value = json.loads(text) if path.suffix in (".json", ".asl") else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(value, dict) and isinstance(value.get("States"), dict):
            found.append(value)
    return found


def _mock_for(state: dict[str, Any]) -> dict[str, str] | None:
    kind = state.get("Type")
    if kind == "Parallel":
        return {"result": json.dumps([{}] * len(state.get("Branches") or []))}
    if kind == "Map":
        return {"result": "[]"}
    return {"result": "{}"} if kind == "Task" else None


def test_every_corpus_definition_runs_to_a_result() -> None:
    definitions = _definitions(shared_path("corpus", "standalone"))
    assert len(definitions) > 200
    statuses = {"SUCCEEDED": 0, "FAILED": 0}
    tested_states = 0
    for definition in definitions:
        statuses[run_execution(definition, {})["status"]] += 1
        for name, _, state in walk_states(definition["States"], ""):
            try:
                response = offline_test_state(
                    definition, {}, state_name=name, mock=_mock_for(state), inspection_level="DEBUG"
                )
            except TestStateRequestError:
                continue
            assert response["status"] in ("SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR")
            tested_states += 1
    assert statuses["SUCCEEDED"] >= 5
    assert tested_states > 1000
