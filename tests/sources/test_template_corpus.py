"""Every real template in the shared corpus: the right machines, no parse errors, exact keys."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from asl_lint.engine.runner import decode, detect_format, parse_text
from asl_lint.model import build_model
from asl_lint.source.pointer import escape
from asl_lint.sources import LocatedDefinition, locate
from asl_lint.sources.cloudformation import KINDS
from tests.conftest import shared_path


def _rows() -> list[dict[str, str]]:
    corpus = shared_path("corpus")
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == "template"]


def _machines(template: Any) -> int:
    resources = template.get("Resources", {}) if isinstance(template, dict) else {}
    return sum(1 for r in resources.values() if isinstance(r, dict) and r.get("Type") in KINDS)


def _keys_land_on_keys(machine: LocatedDefinition, text: str) -> int:
    """Check every object key of an embedded definition maps onto that very key; return the count."""
    count = 0
    stack: list[tuple[Any, str]] = [(machine.definition, "")]
    while stack:
        node, pointer = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            child_pointer = f"{pointer}/{escape(key)}"
            if isinstance(node, dict):
                span = machine.spans(child_pointer)
                assert span is not None and span.key is not None
                assert text[span.key.start:span.key.end] == json.dumps(key, ensure_ascii=False), child_pointer
                count += 1
            stack.append((child, child_pointer))
    return count


def test_corpus_templates() -> None:
    corpus = shared_path("corpus")
    rows = _rows()
    assert len(rows) == 42
    embedded = 0
    for row in rows:
        path = corpus / row["file"]
        text, problems, unreadable = decode(path.read_bytes())
        assert not problems and not unreadable
        parsed = parse_text(text, detect_format(str(path), text))
        result = locate(parsed, Path(path), text)
        assert result.is_template, row["file"]
        assert result.problems == [], row["file"]
        assert len(result.definitions) == _machines(parsed.value), row["file"]
        states = sum(len(build_model(m.definition).states) for m in result.definitions)
        assert str(states) == row["n_states"], row["file"]
        for machine in result.definitions:
            assert machine.size > 0 and machine.resource
            if machine.embedded_string:
                embedded += 1
                assert _keys_land_on_keys(machine, text) > 0
    assert embedded == 12  # every DefinitionString in the corpus maps exactly


@pytest.mark.parametrize("name", ["static__resources__module_3.yml"])
def test_sub_variable_map_in_flow_style(name: str) -> None:
    path = shared_path("corpus", "templates", "aws-samples__the-aws-step-functions-workshop", name)
    text = path.read_text(encoding="utf-8")
    result = locate(parse_text(text, "yaml"), path, text)
    (machine,) = result.definitions
    params = machine.definition["States"]["Submit Batch Job"]["Parameters"]
    assert params["JobQueue"] == "${jobQueueArn}"  # a !Ref: unknown
    assert {p.name for p in machine.placeholders} == {"AWS::Partition", "jobQueueArn", "jobDefinitionArn",
                                                      "snsTopicArn"}
