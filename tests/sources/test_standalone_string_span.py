"""Standalone definitions also map parts of strings exactly through escapes and folding."""

from __future__ import annotations

from tests.sources.helpers import located


def test_json_escapes() -> None:
    result, text = located('{"Comment": "caf\\u00e9 \\"x\\" tok", "StartAt": "A", "States": {}}\n',
                           path="flow.asl.json")
    (machine,) = result.definitions
    assert machine.string_span is not None
    comment = machine.definition["Comment"]
    start = comment.index('"x"')
    span = machine.string_span("/Comment", start, start + 3)
    assert span is not None and text[span.start:span.end] == '\\"x\\"'
    assert machine.string_span("/StartAt/0", 0, 1) is None


def test_yaml_folded_double_quoted() -> None:
    result, text = located(
        """
        Comment: "first line
          second \\t token"
        StartAt: A
        States: {}
        """,
        path="flow.asl.yaml",
    )
    (machine,) = result.definitions
    assert machine.definition["Comment"] == "first line second \t token"
    assert machine.string_span is not None
    span = machine.string_span("/Comment", 6, 17)
    assert span is not None and text[span.start:span.end] == "line\n  second"
    span = machine.string_span("/Comment", 20, 25)
    assert span is not None and text[span.start:span.end] == "token"
