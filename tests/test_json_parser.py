"""The positioned JSON parser: values, spans, duplicate keys, syntax errors with positions."""

from __future__ import annotations

import json
import sys

import pytest

from asl_lint.source.json_parser import MAX_DEPTH, parse_json
from asl_lint.source.text import LineIndex, Span


def test_values_match_the_standard_library() -> None:
    text = '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {"c": {}}, "d": []}'
    result = parse_json(text)
    assert not result.problems
    assert result.value == json.loads(text)


def test_spans_of_keys_and_values() -> None:
    text = '{\n  "States": {"A": {"Type": "Pass"}},\n  "n": 12\n}'
    spans = parse_json(text).spans
    assert text[spans["/States/A/Type"].value.start : spans["/States/A/Type"].value.end] == '"Pass"'
    assert text[spans["/States/A/Type"].key.start : spans["/States/A/Type"].key.end] == '"Type"'  # type: ignore[union-attr]
    assert text[spans["/States/A"].value.start : spans["/States/A"].value.end] == '{"Type": "Pass"}'
    assert text[spans["/n"].value.start : spans["/n"].value.end] == "12"
    assert spans[""].value == Span(0, len(text))


def test_pointer_escaping_in_spans() -> None:
    spans = parse_json('{"a/b": {"c~d": 1}}').spans
    assert "/a~1b/c~0d" in spans


def test_duplicate_keys_are_reported_with_both_places() -> None:
    text = '{\n  "A": 1,\n  "A": 2\n}'
    result = parse_json(text)
    assert result.value == {"A": 2}
    [problem] = result.problems
    assert problem.code == "ASL002"
    assert problem.pointer == "/A"
    assert LineIndex(text).position(problem.span.start) == (3, 3)
    assert problem.message == "Duplicate key 'A': already defined at line 2, column 3; only the last value would be kept"


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("", "The file is empty: expected a JSON object", 1, 1),
        ("   \n  ", "The file is empty: expected a JSON object", 1, 1),
        ('{"a": 1,}', "Trailing comma before '}'", 1, 8),
        ("[1, 2,]", "Trailing comma before ']'", 1, 6),
        ('{"a": NaN}', "NaN is not valid JSON (use null or a string)", 1, 7),
        ('{"a": -Infinity}', "-Infinity is not valid JSON (use null or a string)", 1, 7),
        ('{\n  "a": {\n', "Unexpected end of file: the object opened at line 2, column 8 is not closed", 3, 1),
        ('{"a": "abc', "Unterminated string", 1, 7),
        ("{'a': 1}", "Object keys must use double quotes, not single quotes", 1, 2),
        ('{"a" 1}', "Expected ':' after object key 'a'", 1, 6),
        ('{"a": 1 "b": 2}', "Expected ',' or '}' but found '\"'", 1, 9),
        ('{"a": tru}', "Unexpected token 'tru': expected a JSON value (strings need double quotes)", 1, 7),
        ('{"a": 01}', "Invalid number '01'", 1, 7),
        ("{} {}", "Unexpected '{' after the top-level value", 1, 4),
        ('{"a": "\\x"}', "Invalid string: Invalid \\escape", 1, 8),
    ],
)
def test_syntax_errors_have_positions(text: str, message: str, line: int, column: int) -> None:
    result = parse_json(text)
    assert result.fatal
    [problem] = result.problems
    assert problem.code == "ASL001"
    assert problem.message == message
    assert LineIndex(text).position(problem.span.start) == (line, column)


def test_deep_nesting_is_bounded_without_recursion() -> None:
    text = "[" * 100_000 + "]" * 100_000
    result = parse_json(text)
    assert result.fatal
    assert result.problems[0].message == f"Nesting deeper than {MAX_DEPTH} levels"


def test_nesting_below_the_limit_parses() -> None:
    depth = MAX_DEPTH - 1
    assert parse_json("[" * depth + "]" * depth).value is not None


def test_non_ascii_positions_count_code_points() -> None:
    text = '{"é😀": {"Next": "x"}}'
    spans = parse_json(text).spans
    start = spans["/é😀/Next"].value.start
    assert text[start] == '"'
    assert LineIndex(text).position(start) == (1, 17)


# --- json.loads first, positions when asked for ------------------------------------------------
VALID = [
    '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}',
    '{"a": [1, -0, 2.5e3, {"b": "c\\u00e9\\n"}, [], {}], "d": null, "e": false}',
    '  \n{"key with / and ~": {"x.$": "$.y"}}\n',
    "[1, 2, 3]",
    '"just a string"',
]


@pytest.mark.parametrize("text", VALID)
def test_a_text_json_loads_reads_gets_the_same_value_and_spans(text: str) -> None:
    from asl_lint.source.json_parser import LazySpans, _positional

    fast, full = parse_json(text), _positional(text)
    assert isinstance(fast.spans, LazySpans) and fast.spans._text is not None  # nothing computed yet
    assert (fast.value, fast.problems, fast.fatal) == (full.value, full.problems, full.fatal)
    assert fast.spans == full.spans and list(fast.spans.items()) == list(full.spans.items())


def test_lazy_spans_are_computed_once_by_any_other_read_and_copy_as_plain_dicts() -> None:
    import copy
    import pickle

    from asl_lint.source.json_parser import _positional

    text = VALID[1]
    full = _positional(text).spans
    reads = [lambda s: len(s), lambda s: list(s), lambda s: dict(s), lambda s: {**s}, lambda s: s == full,
             lambda s: list(s.items())]
    for read in reads:
        spans = parse_json(text).spans
        read(spans)
        assert spans._text is None and dict.__len__(spans) == len(full)  # type: ignore[attr-defined]
    for clone in (pickle.loads(pickle.dumps(parse_json(text).spans)), copy.deepcopy(parse_json(text).spans)):
        assert type(clone) is dict and clone == full


KEYS = '{"a/b": {"~x": [0, {"": 1}]}, "c": [[], {}, [1, [2, "3"]]], "d\\u00e9": {"e": "f"}}'


@pytest.mark.parametrize("text", [*VALID, KEYS])
def test_one_pointer_is_located_alone_exactly_where_the_parser_puts_it(text: str) -> None:
    """``get``, ``[]`` and ``in`` walk down to one node (members skipped by the C scanner): the same
    span as our parser's, None where it has no node, and nothing else computed."""
    from asl_lint.source.json_parser import _positional

    full = _positional(text).spans
    absent = [p + suffix for p in full for suffix in ("/zz", "/0", "/01", "/-1", "/", "/9")] + ["x", "/~2"]
    for pointer in [*full, *absent]:
        spans = parse_json(text).spans
        assert spans.get(pointer) == full.get(pointer), pointer
        assert (pointer in spans) == (pointer in full)
        if pointer in full:
            assert spans[pointer] == full[pointer]
        else:
            with pytest.raises(KeyError):
                spans[pointer]
        assert spans._text is not None and dict.__len__(spans) == 0  # type: ignore[attr-defined]


def test_past_the_locate_limit_every_span_is_computed_once() -> None:
    from asl_lint.source.json_parser import LOCATE_LIMIT, _positional

    text = json.dumps({"States": {f"S{i}": {"Type": "Pass", "End": True} for i in range(LOCATE_LIMIT + 5)}})
    full, spans = _positional(text).spans, parse_json(text).spans
    pointers = [f"/States/S{i}" for i in range(LOCATE_LIMIT + 5)]
    for pointer in pointers[:LOCATE_LIMIT]:
        assert spans[pointer] == full[pointer]
    assert spans._text is not None  # type: ignore[attr-defined]
    assert spans.get(pointers[LOCATE_LIMIT]) == full[pointers[LOCATE_LIMIT]]
    assert spans._text is None and dict(spans) == full  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", [
    '{"a": 1, "a": 2}',  # a duplicate key: ASL002, with both places
    '{"a": NaN}', '{"a": Infinity}',  # json.loads takes them, JSON does not
    '{"a": 01}', "{", "", "\ufeff{}",
    "[" * 1200 + "]" * 1200,  # our nesting limit, not a RecursionError
])
def test_what_json_loads_refuses_or_would_take_wrongly_is_parsed_by_ours(text: str) -> None:
    from asl_lint.source.json_parser import _positional

    result, expected = parse_json(text), _positional(text)
    assert type(result.spans) is dict
    assert (result.value, result.fatal, [(p.code, p.message, p.span) for p in result.problems]) == (
        expected.value, expected.fatal, [(p.code, p.message, p.span) for p in expected.problems])
    assert result.problems  # each of these is reported


def test_positions_now_when_asked_for() -> None:
    assert type(parse_json(VALID[0], positions=True).spans) is dict


def test_the_nesting_limit_is_ours_even_where_json_loads_would_go_deeper() -> None:
    import sys

    from asl_lint.source.json_parser import LazySpans

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10 * MAX_DEPTH)  # json.loads now reads what our parser refuses
    try:
        deep = parse_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
        at_limit = parse_json("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    finally:
        sys.setrecursionlimit(limit)
    assert deep.fatal and "Nesting deeper than" in deep.problems[0].message
    assert not at_limit.problems and isinstance(at_limit.spans, LazySpans)
    wide = "[" + ", ".join(["[1]"] * (2 * MAX_DEPTH)) + "]"  # many brackets, nested two deep
    assert isinstance(parse_json(wide).spans, LazySpans)


def test_an_integer_too_long_to_read_is_a_parse_problem_at_the_number() -> None:
    digits = sys.get_int_max_str_digits() + 1
    text = '{"Result": ' + "7" * digits + "}"
    result = parse_json(text)
    assert result.fatal and [p.code for p in result.problems] == ["ASL001"]
    problem = result.problems[0]
    assert problem.span == Span(11, 11 + digits)
    assert problem.message == (f"The integer 777777777777… has {digits:,} digits, more than can be read"
                               f" ({digits - 1:,}); write it as a string")
