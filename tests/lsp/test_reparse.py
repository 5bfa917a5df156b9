"""The language server's re-parse of an edit gives exactly what parsing the whole new text gives."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from asl_lint.lsp.reparse import changed_region, reparse
from asl_lint.source.json_parser import parse_json

BASE = json.dumps({
    "Comment": "an example",
    "StartAt": "A",
    "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B",
              "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}]},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "C"}], "Default": "C"},
        "C": {"Type": "Pass", "Result": {"list": [1, 2, {"deep": [True, None]}]}, "End": True},
    },
}, indent=2)


def same(a: Any, b: Any) -> None:
    assert a.fatal == b.fatal
    assert json.dumps(a.value) == json.dumps(b.value)  # member order too
    assert a.spans == b.spans  # (no reader iterates the spans: their order is free)
    assert a.problems == b.problems


@settings(max_examples=400, deadline=None)
@given(at=st.integers(0, len(BASE)), cut=st.integers(0, 6),
       insert=st.sampled_from(["", "x", "1", '"', "{", "}", "[", "]", ",", ":", " ", "\n", '"k": 1, ', '"Next"',
                               '"A": {}, ', "é🚀", "\\"]))
def test_random_edits(at: int, cut: int, insert: str) -> None:
    old = parse_json(BASE)
    new_text = BASE[:at] + insert + BASE[at + cut:]
    again = reparse(BASE, old, new_text)
    if again is not None:
        same(again, parse_json(new_text))


def test_an_edit_inside_a_state_reparses_only_that_state() -> None:
    old = parse_json(BASE)
    new_text = BASE.replace('"Next": "B"', '"Next": "Bx"')
    again = reparse(BASE, old, new_text)
    assert again is not None
    same(again, parse_json(new_text))
    # What the edit did not touch is the previous parse's very objects.
    assert again.value["States"]["C"] is old.value["States"]["C"]
    assert again.value["States"]["A"] is not old.value["States"]["A"]


def test_sequences_of_edits_stay_exact() -> None:
    text, parsed = BASE, parse_json(BASE)
    for old, new in [('"Next": "B"', '"Next": "Bee"'), ("MaxAttempts", "MaxAttempt"), ('"deep"', '"deeper"'),
                     ('[1, 2,', '[1, 2, 3,'), ('"Default": "C"', '"Default": "C", "Comment": "x"')]:
        new_text = text.replace(old, new, 1)
        again = reparse(text, parsed, new_text)
        assert again is not None
        same(again, parse_json(new_text))
        text, parsed = new_text, again


def test_broken_or_duplicate_is_left_to_the_whole_parse() -> None:
    old = parse_json(BASE)
    assert reparse(BASE, old, BASE.replace('"Next": "B"', '"Next": "B",')) is None  # trailing comma
    assert reparse(BASE, old, BASE.replace('"Next": "B"', '"Next": "B", "Next": "C"')) is None  # duplicate
    assert reparse(BASE, old, "x" + BASE) is None  # outside the root object


def test_changed_region() -> None:
    assert changed_region("abcdef", "abXdef") == (2, 3, 3)
    assert changed_region("abc", "abc") == (3, 3, 3)
    assert changed_region("aaaa", "aaaaa") == (4, 4, 5)
    long = "x" * 10000
    assert changed_region(long + "a" + long, long + "bb" + long) == (10000, 10001, 10002)
