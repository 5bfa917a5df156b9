"""Decoding string scalars with an exact map back into the file, and the safe fallback."""

from __future__ import annotations

import pytest

from asl_lint.source.json_parser import parse_json
from asl_lint.source.text import Span
from asl_lint.source.yaml_loader import parse_yaml
from asl_lint.sources.offsets import MappedText
from asl_lint.sources.scalars import map_scalar
from asl_lint.sources.substitute import quote_bare_placeholders, substitute


def _yaml(text: str) -> tuple[MappedText, str]:
    parsed = parse_yaml(text)
    value = parsed.value["a"]
    pointer = "/a"
    if isinstance(value, dict):  # a tagged scalar: !Sub
        value, pointer = value["Fn::Sub"], "/a/Fn::Sub"
    return map_scalar(text, parsed.spans[pointer].value, value, json_file=False), value


def _place(mapped: MappedText, text: str, needle: str) -> str:
    """The file text a piece of the decoded value maps to."""
    start = mapped.text.index(needle)
    span = mapped.map_span(Span(start, start + len(needle)))
    return text[span.start:span.end]


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ('a: |\n  {"x": 1,\n     "y": "é"}\n\n  z\nb: 1\n', '"y": "é"', '"y": "é"'),
        ("a: |-\n    one\n    two\r\n    three\n", "two\nthree", "two\r\n    three"),
        ("a: !Sub |+\n  keep ${X}\n\n\nb: 1\n", "${X}", "${X}"),
        ("a: >\n  one\n  two\n\n  three\n", "one two", "one\n  two"),
        ("a: 'it''s\n   folded'\n", "it's folded", "it''s\n   folded"),
        ('a: "q \\" \\u00e9 \\x41 t\\\n   joined"\n', "é A tjoined", '\\u00e9 \\x41 t\\\n   joined'),
        ("a: plain text\n  continued\n", "text continued", "text\n  continued"),
    ],
)
def test_yaml_scalar_styles_map_exactly(text: str, needle: str, expected: str) -> None:
    mapped, value = _yaml(text)
    assert mapped.text == value
    assert _place(mapped, text, needle) == expected


def test_explicit_indentation_indicator() -> None:
    text = "a: |2\n    indented\n   x\n"
    mapped, value = _yaml(text)
    assert value == "  indented\n x\n"
    assert _place(mapped, text, " x") == " x"
    assert _place(mapped, text, "  indented") == "  indented"


def test_unmodelled_yaml_falls_back_to_the_whole_scalar() -> None:
    text = "- k: |1\n     indented\n    x\n"  # the parent indentation is not the line's
    parsed = parse_yaml(text)
    value = parsed.value[0]["k"]
    mapped = map_scalar(text, parsed.spans["/0/k"].value, value, json_file=False)
    assert value == "  indented\n x\n"
    assert mapped.text == value
    span = mapped.map_span(Span(value.index("x"), value.index("x") + 1))
    assert (span.start, span.end) == (5, len(text) - 1)


def test_json_literal_with_escapes_and_surrogate_pair() -> None:
    text = '{"a": "x\\"y\\n\\u00e9\\ud83d\\ude00z"}'
    parsed = parse_json(text)
    value = parsed.value["a"]
    mapped = map_scalar(text, parsed.spans["/a"].value, value, json_file=True)
    assert mapped.text == value == 'x"y\né\U0001f600z'
    assert _place(mapped, text, "\U0001f600z") == "\\ud83d\\ude00z"
    assert _place(mapped, text, '"y') == '\\"y'


def test_substitution_maps_replaced_text_to_the_placeholder() -> None:
    text = 'a: |\n  {"T": ${T}, "R": "arn:${P}:x", "U": ${U}}\n'
    mapped, _ = _yaml(text)
    done = quote_bare_placeholders(substitute(mapped, {"T": "300"}.get, fn_sub=True))
    assert done.text == '{"T": 300, "R": "arn:${P}:x", "U": "${U}"}\n'
    assert _place(done, text, "300") == "${T}"
    assert _place(done, text, '"${U}"') == "${U}"
    assert _place(done, text, '"R": "arn:${P}:x"') == '"R": "arn:${P}:x"'


def test_offset_map_exact_and_opaque_segments() -> None:
    mapped = MappedText()
    mapped.add_exact("ab", 10)
    mapped.add_exact("c", 12)  # adjacent verbatim runs merge
    mapped.add_opaque('"', 13, 15)  # an escape: 1 character for 2 in the file
    mapped.add_exact("d", 15)
    assert mapped.text == 'abc"d' and len(mapped.segments) == 3
    assert mapped.map_span(Span(1, 3)) == Span(11, 13)
    assert mapped.map_span(Span(3, 4)) == Span(13, 15)
    assert mapped.map_span(Span(2, 5)) == Span(12, 16)
    assert mapped.map_span(Span(5, 5)) == Span(16, 16)
    copy = MappedText()
    copy.extend_slice(mapped, 1, 4)
    assert copy.text == 'bc"' and copy.map_span(Span(0, 3)) == Span(11, 15)
    assert mapped.consistent_with("x" * 10 + 'abc\\"d') and not mapped.consistent_with("x" * 16)
