"""Choice rules: every comparator, *Path variants, Is* tests, StringMatches, timestamps, combinators."""

from __future__ import annotations

from typing import Any

import pytest

from asl_lint.eval.choice import bracket_path, compare, evaluate_rule, type_test
from asl_lint.eval.errors import RUNTIME, StatesError
from asl_lint.eval.timestamps import is_timestamp, parse_timestamp


def _resolver(data: dict[str, Any]):  # type: ignore[no-untyped-def]
    def resolve(path: str) -> tuple[bool, Any]:
        key = path[2:]
        return (key in data, data.get(key))

    return resolve


@pytest.mark.parametrize(
    ("operator", "value", "operand", "expected"),
    [
        ("StringEquals", "abc", "abc", True),
        ("StringEquals", "abc", "abd", False),
        ("StringEquals", 1, "1", False),
        ("StringLessThan", "abc", "abd", True),
        ("StringLessThan", "abd", "abc", False),
        ("StringGreaterThan", "b", "a", True),
        ("StringLessThanEquals", "a", "a", True),
        ("StringGreaterThanEquals", "a", "b", False),
        # Java orders by UTF-16 code units: U+FFFD sorts after a supplementary-plane character.
        ("StringGreaterThan", "\ufffd", "\U0001f600", True),
        ("NumericEquals", 1, 1.0, True),
        ("NumericEquals", True, 1, False),
        ("NumericEquals", "1", 1, False),
        ("NumericEquals", None, 0, False),
        ("NumericLessThan", 1, 2, True),
        ("NumericGreaterThan", 2.5, 2, True),
        ("NumericLessThanEquals", 2, 2, True),
        ("NumericGreaterThanEquals", 1, 2, False),
        ("BooleanEquals", True, True, True),
        ("BooleanEquals", 1, True, False),
        ("BooleanEquals", False, True, False),
        ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
        ("TimestampEquals", "2012-10-09T20:00:55+01:00", "2012-10-09T19:00:55Z", True),
        ("TimestampEquals", "2012-10-09T19:00:55.000Z", "2012-10-09T19:00:55Z", True),
        ("TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", True),
        ("TimestampGreaterThan", "2012-10-09T19:00:55.5Z", "2012-10-09T19:00:55.25Z", True),
        ("TimestampLessThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
        ("TimestampGreaterThanEquals", "2012-10-09T19:00:54Z", "2012-10-09T19:00:55Z", False),
        ("TimestampEquals", "2012-10-09t19:00:55z", "2012-10-09T19:00:55Z", False),
        ("TimestampEquals", 0, "2012-10-09T19:00:55Z", False),
        ("StringMatches", "log-2024.txt", "log-*.txt", True),
        ("StringMatches", "log-2024.csv", "log-*.txt", False),
        ("StringMatches", "a*b", "a\\*b", True),
        ("StringMatches", "axb", "a\\*b", False),
        ("StringMatches", "a\\b", "a\\\\b", True),
        ("StringMatches", "anything", "*", True),
        ("StringMatches", "a.c", "a.c", True),
        ("StringMatches", "abc", "a.c", False),
        ("StringMatches", 5, "*", False),
    ],
)
def test_compare(operator: str, value: Any, operand: Any, expected: bool) -> None:
    assert compare(operator, value, operand) is expected


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("IsNull", None, True),
        ("IsNull", 0, False),
        ("IsNumeric", 1.5, True),
        ("IsNumeric", True, False),
        ("IsNumeric", "1", False),
        ("IsString", "", True),
        ("IsString", None, False),
        ("IsBoolean", False, True),
        ("IsBoolean", 0, False),
        ("IsTimestamp", "2016-03-14T01:59:00Z", True),
        ("IsTimestamp", "2016-03-14 01:59:00Z", False),
        ("IsTimestamp", "2016-03-14T01:59:00", False),
    ],
)
def test_type_tests(operator: str, value: Any, expected: bool) -> None:
    assert type_test(operator, value) is expected


def test_is_present_true_even_for_null_and_false_when_missing() -> None:
    resolve = _resolver({"a": None})
    assert evaluate_rule({"Variable": "$.a", "IsPresent": True}, resolve) is True
    assert evaluate_rule({"Variable": "$.b", "IsPresent": True}, resolve) is False
    assert evaluate_rule({"Variable": "$.b", "IsPresent": False}, resolve) is True


def test_is_tests_compare_with_the_given_boolean() -> None:
    resolve = _resolver({"a": "x"})
    assert evaluate_rule({"Variable": "$.a", "IsString": False}, resolve) is False
    assert evaluate_rule({"Variable": "$.a", "IsNumeric": False}, resolve) is True


def test_path_variants_read_the_second_operand() -> None:
    resolve = _resolver({"a": 3, "b": 3, "s": "x", "t": "y"})
    assert evaluate_rule({"Variable": "$.a", "NumericEqualsPath": "$.b"}, resolve) is True
    assert evaluate_rule({"Variable": "$.s", "StringLessThanPath": "$.t"}, resolve) is True
    assert evaluate_rule({"Variable": "$.s", "StringEqualsPath": "$.a"}, resolve) is False


def test_missing_variable_is_states_runtime() -> None:
    with pytest.raises(StatesError) as info:
        evaluate_rule({"Variable": "$.missing", "NumericEquals": 1}, _resolver({}))
    assert info.value.error == RUNTIME
    assert info.value.cause == "Invalid path '$.missing' : No results for path: $['missing']"
    assert not info.value.catchable


def test_missing_path_operand_is_states_runtime() -> None:
    with pytest.raises(StatesError) as info:
        evaluate_rule({"Variable": "$.a", "NumericEqualsPath": "$.nope"}, _resolver({"a": 1}))
    assert info.value.error == RUNTIME


def test_combinators() -> None:
    resolve = _resolver({"v": 22, "t": "Private"})
    in_twenties = {
        "And": [
            {"Variable": "$.v", "NumericGreaterThanEquals": 20},
            {"Variable": "$.v", "NumericLessThan": 30},
        ]
    }
    assert evaluate_rule(in_twenties, resolve) is True
    assert evaluate_rule({"Not": {"Variable": "$.t", "StringEquals": "Private"}}, resolve) is False
    either = {"Or": [{"Variable": "$.v", "NumericEquals": 1}, {"Variable": "$.t", "StringEquals": "Private"}]}
    assert evaluate_rule(either, resolve) is True
    # And stops at the first false member, so IsPresent can guard a later comparison.
    guarded = {"And": [{"Variable": "$.x", "IsPresent": True}, {"Variable": "$.x", "NumericEquals": 1}]}
    assert evaluate_rule(guarded, resolve) is False


def test_timestamps() -> None:
    assert parse_timestamp("1970-01-01T00:00:01Z") == 1
    assert parse_timestamp("1970-01-01T01:00:00+01:00") == 0
    assert float(parse_timestamp("1970-01-01T00:00:00.125Z") or 0) == 0.125
    assert not is_timestamp("2016-13-05T21:29:29Z")
    assert not is_timestamp("2016-12-05T25:29:29Z")
    assert not is_timestamp("05-12-2016T21:29:29Z")
    assert not is_timestamp(20161205)


def test_bracket_path() -> None:
    assert bracket_path("$.a.b[0]") == "$['a']['b'][0]"
    assert bracket_path("$") == "$"
