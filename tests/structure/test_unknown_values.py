"""A ${...} placeholder in place of any value never causes an ASL003–ASL005 error."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import lint

FIXTURES = Path(__file__).parent / "fixtures"
# Type selects the schema and StartAt/Next/Default name states: those are not values a
# substitution stands for in practice, and ASL101 judges names.
NOT_VALUES = {"Type", "StartAt", "Next", "Default", "QueryLanguage"}


def _values(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every value, containers included (a whole object can be a placeholder too)."""
    if path:
        yield path
    if isinstance(node, dict):
        for key, child in node.items():
            if key not in NOT_VALUES:
                yield from _values(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _values(child, (*path, index))


def _replace(document: Any, path: tuple[str | int, ...], value: Any) -> Any:
    changed = copy.deepcopy(document)
    node = changed
    for token in path[:-1]:
        node = node[token]
    node[path[-1]] = value
    return changed


@pytest.mark.parametrize("name", ["every-state-jsonpath.asl.json", "every-state-jsonata.asl.yaml"])
def test_a_placeholder_anywhere_is_never_a_structure_error(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    document = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    paths = [p for p in _values(document) if p != ("States",)]
    assert len(paths) > 60
    for path in paths:
        diags = lint(json.dumps(_replace(document, path, "${Unknown}"), indent=1))
        errors = [d for d in diags if d.code in ("ASL003", "ASL004", "ASL005") and d.severity.value == "error"]
        assert errors == [], (path, [d.message for d in errors])
