"""Valid definitions with every state type, in both query languages and both formats: no error or
warning from any rule, and nothing at all from ASL003–ASL005."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.helpers import lint, serious

FIXTURES = Path(__file__).parent / "fixtures"
CASES = ["every-state-jsonpath.asl.json", "every-state-jsonata.asl.yaml"]


def _load(name: str) -> object:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_valid_definitions_are_silent(name: str, fmt: str) -> None:
    value = _load(name)
    if fmt == "json":
        text, path = json.dumps(value, indent=2), "flow.asl.json"
    else:
        text, path = yaml.safe_dump(value, sort_keys=False), "flow.asl.yaml"
    diags = lint(text, path=path)
    assert serious(diags) == []
    assert [d for d in diags if d.code in ("ASL003", "ASL004", "ASL005")] == []
