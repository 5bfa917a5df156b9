"""Intrinsic functions: parser and offsets, static checks, evaluation quirks and failures."""

from __future__ import annotations

import re
from typing import Any

import pytest

from asl_lint.expr.errors import EvaluationError, ExprSyntaxError
from asl_lint.expr.intrinsics import (
    FUNCTIONS,
    Call,
    Literal,
    PathArg,
    Problem,
    check_call,
    evaluate_call,
    iter_paths,
    looks_like_intrinsic,
    parse_intrinsic,
)
from asl_lint.expr.jsonpath import PathNotFound, parse_path


def run(text: str, data: Any = None, **kw: Any) -> Any:
    return evaluate_call(parse_intrinsic(text), data, **kw)


# --- parsing -------------------------------------------------------------------------------------


def test_looks_like_intrinsic() -> None:
    assert looks_like_intrinsic("States.UUID()")
    assert looks_like_intrinsic("  States.Format('x')")
    assert not looks_like_intrinsic("$.States.x")
    assert not looks_like_intrinsic("States.Format")


def test_parse_ast_with_offsets() -> None:
    text = "States.Format('a {} \\'b\\'', $.x, 12, -1.5, true, null, States.UUID())"
    call = parse_intrinsic(text)
    assert call.name == "States.Format" and (call.offset, call.end) == (0, len(text))
    template, path, num, neg, flag, nul, nested = call.args
    assert template == Literal("a {} 'b'") and text[template.offset : template.end] == "'a {} \\'b\\''"
    assert isinstance(path, PathArg) and path.path == parse_path("$.x") and text[path.offset : path.end] == "$.x"
    assert (num.value, neg.value, flag.value, nul.value) == (12, -1.5, True, None)
    assert text[neg.offset : neg.end] == "-1.5" and text[nul.offset : nul.end] == "null"
    assert isinstance(nested, Call) and nested.name == "States.UUID"
    assert text[nested.offset : nested.end] == "States.UUID()"


def test_parse_paths_of_every_root() -> None:
    text = "States.Array($, $$.Execution.Id , $myVar.a['b,c'], $.l[?(@.x == 'a,b')])"
    call = parse_intrinsic(text)
    assert [(a.path.root, text[a.offset : a.end]) for a in call.args if isinstance(a, PathArg)] == [
        ("input", "$"),
        ("context", "$$.Execution.Id"),
        ("variable", "$myVar.a['b,c']"),
        ("input", "$.l[?(@.x == 'a,b')]"),
    ]


def test_path_error_offsets_are_relative_to_the_call() -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse_intrinsic("States.Array(1, $.a..)")
    assert (info.value.offset, info.value.end) == (21, 22)


def test_parse_spacing_and_braces_in_plain_strings() -> None:
    call = parse_intrinsic("States.StringToJson( '{\"a\": 1}' )")
    assert call.args == (Literal('{"a": 1}'),)


@pytest.mark.parametrize(
    ("text", "message", "offset", "end"),
    [
        ("States.Format('abc", "Unterminated string literal: missing closing quote", 14, 18),
        ("States.Array(1, 2", "Missing ')' to close States.Array(", 0, 17),
        ("States.Array(1 2)", "Expected ',' or ')' but found '2'", 15, 16),
        ("States.Array(1,)", "Missing argument", 15, 16),
        ("States.Array(@)", "Unexpected character '@': expected an argument", 13, 14),
        ("States.Array() x", "Unexpected text after the closing ')': 'x'", 15, 16),
        ("States.Array", "Expected '(' after 'States.Array' but found end of text", 12, 13),
        ("States.Format('a\\n')", "Invalid escape sequence: only \\', \\{, \\} and \\\\ are allowed", 16, 18),
        ("States.Array($.a[)", "Unexpected character ')' after '['", 17, 18),
        ("States.Array($.)", "Expected a property name after '.' but found end of path", 14, 15),
    ],
)
def test_syntax_errors(text: str, message: str, offset: int, end: int) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse_intrinsic(text)
    assert (info.value.message, info.value.offset, info.value.end) == (message, offset, end)


# --- static checks -------------------------------------------------------------------------------


def test_all_18_functions_have_signatures() -> None:
    assert len(FUNCTIONS) == 18
    assert FUNCTIONS["States.MathRandom"].min_args == 2 and FUNCTIONS["States.MathRandom"].max_args == 3
    assert FUNCTIONS["States.Format"].max_args is None
    assert FUNCTIONS["States.ArrayContains"].returns == "boolean"


@pytest.mark.parametrize(
    "text",
    [
        "States.Format('Hello {}, welcome to {}!', $.name, $.place)",
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)",
        "States.JsonMerge($.a, $.b, false)",
        "States.Hash($.data, 'SHA-256')",
        "States.ArrayRange(1, 1000, 1)",
        "States.Format('literal \\{\\} braces')",
        "States.MathRandom(1, 10, 3)",
        "States.UUID()",
    ],
)
def test_valid_calls(text: str) -> None:
    assert check_call(parse_intrinsic(text)) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "States.ArrayLenght($.a)",
            Problem("Unknown intrinsic function States.ArrayLenght; did you mean States.ArrayLength?", 0, 18),
        ),
        ("States.Nope()", Problem("Unknown intrinsic function States.Nope", 0, 11)),
        ("States.UUID(1)", Problem("States.UUID takes 0 arguments but 1 was given", 0, 14)),
        ("States.Hash($.a)", Problem("States.Hash takes 2 arguments but 1 was given", 0, 16)),
        ("States.Format()", Problem("States.Format takes at least 1 argument but 0 were given", 0, 15)),
        ("States.MathRandom(1)", Problem("States.MathRandom takes 2 to 3 arguments but 1 was given", 0, 20)),
        (
            "States.ArrayLength('abc')",
            Problem("Argument 1 of States.ArrayLength must be an array, not a string", 19, 24),
        ),
        (
            "States.MathAdd(1, true)",
            Problem("Argument 2 of States.MathAdd must be a number, not a boolean", 18, 22),
        ),
        (
            "States.ArrayLength(States.UUID())",
            Problem("Argument 1 of States.ArrayLength must be an array, not a string", 19, 32),
        ),
        ("States.JsonToString('x')", Problem("States.JsonToString expects a path argument", 20, 23)),
        (
            "States.Format('{} and {}', $.a)",
            Problem("States.Format template has 2 placeholder(s) but 1 value argument(s) were given", 0, 31),
        ),
        (
            "States.Hash($.a, 'SHA-2')",
            Problem("Unsupported hash algorithm 'SHA-2'; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512", 17, 24),
        ),
        (
            "States.JsonMerge($.a, $.b, true)",
            Problem("States.JsonMerge supports only a shallow merge: the third argument must be false", 27, 31),
        ),
        (
            "States.ArrayRange(0, 1000, 1)",
            Problem("States.ArrayRange would produce 1001 items; the limit is 1000", 0, 29),
        ),
        ("States.ArrayRange(0, 10, 0)", Problem("States.ArrayRange step must not be 0", 25, 26)),
        (
            "States.ArrayPartition($.a, 0)",
            Problem("States.ArrayPartition chunk size must be positive", 27, 28),
        ),
        ("States.ArrayGetItem($.a, -1)", Problem("States.ArrayGetItem index must not be negative", 25, 27)),
        (
            "States.MathAdd(2147483648, 1)",
            Problem("States.MathAdd arguments must be between -2147483648 and 2147483647", 15, 25),
        ),
        ("States.MathRandom(5, 5)", Problem("States.MathRandom start must be less than end", 0, 23)),
        (
            "States.Base64Encode('" + "x" * 10_001 + "')",
            Problem("States.Base64Encode input is limited to 10000 characters", 20, 10_023),
        ),
    ],
)
def test_problems(text: str, problem: Problem) -> None:
    assert check_call(parse_intrinsic(text)) == [problem]


def test_nesting_limit_counts_every_call() -> None:
    # AWS's own example (9 calls, 5 deep) is valid
    example = (
        "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit("
        "States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))"
    )
    # (the example itself has 3 placeholders for 2 values, which we do report)
    assert parse_intrinsic(example).count() == 9
    assert [p.message for p in check_call(parse_intrinsic(example))] == [
        "States.Format template has 3 placeholder(s) but 2 value argument(s) were given"
    ]
    ten = "States.Array(" * 10 + ")" * 10
    assert check_call(parse_intrinsic(ten)) == []
    eleven = "States.Array(" * 11 + ")" * 11
    assert check_call(parse_intrinsic(eleven)) == [
        Problem("A field can nest at most 10 intrinsic functions (found 11)", 0, len(eleven))
    ]
    wide = "States.Array(" + ", ".join(["States.UUID()"] * 10) + ")"
    assert check_call(parse_intrinsic(wide)) == [
        Problem("A field can nest at most 10 intrinsic functions (found 11)", 0, len(wide))
    ]


def test_nested_problems_are_reported_with_their_offsets() -> None:
    problems = check_call(parse_intrinsic("States.Array(States.Hash($.a, 'CRC32'))"))
    assert problems == [
        Problem("Unsupported hash algorithm 'CRC32'; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512", 30, 37)
    ]


# --- evaluation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        ("States.Array()", None, []),
        ("States.Array($.a, 'x', 1, null)", {"a": {"k": 1}}, [{"k": 1}, "x", 1, None]),
        (
            "States.Format('{} {} {} {}', $.s, $.n, $.f, $.z)",
            {"s": "a", "n": 1, "f": 1.1, "z": None},
            "a 1 1.1 null",
        ),
        ("States.Format('{}', $.o)", {"o": {"Arg1": 1, "Arg2": []}}, "{Arg1=1, Arg2=[]}"),
        ("States.Format('{}', $.l)", {"l": ["a", 2.0, True, {"k": None}]}, "[a, 2.0, true, {k=null}]"),
        ("States.Format('{}', $.big)", {"big": 12345678.9}, "1.23456789E7"),
        ("States.Format('{}', $.small)", {"small": 0.0001}, "1.0E-4"),
        ("States.Format('\\{\\} {}', 'x')", None, "{} x"),
        ("States.Format($.t, 'v')", {"t": "<{}>"}, "<v>"),
        ("States.StringToJson($.s)", {"s": ""}, None),
        ("States.StringToJson($.s)", {"s": "  "}, None),
        ("States.StringToJson($.s)", {"s": "-0"}, 0),
        ("States.StringToJson($.s)", {"s": '{"a": [1, 1.5]}'}, {"a": [1, 1.5]}),
        (
            "States.JsonToString($.o)",
            {"o": {"Arg1": 1, "Arg2": [], "é": "ü"}},
            '{"Arg1":1,"Arg2":[],"é":"ü"}',
        ),
        (
            "States.JsonToString($.o)",
            {"o": {"f": [1.0, 1e20, 0.5, "a\nb"]}},
            '{"f":[1.0,1.0E20,0.5,"a\\nb"]}',
        ),
        ("States.ArrayPartition($.a, 2)", {"a": [1, 2, 3, 4, 5]}, [[1, 2], [3, 4], [5]]),
        ("States.ArrayPartition($.a, 1.5)", {"a": [1, 2, 3]}, [[1, 2], [3]]),
        ("States.ArrayContains($.a, $.v)", {"a": [[1, 2, 3], 2], "v": [1, 2, 3]}, True),
        ("States.ArrayContains($.a, $.v)", {"a": [{"k": [1]}], "v": {"k": [1]}}, True),
        ("States.ArrayContains($.a, 1)", {"a": [1.0]}, False),
        ("States.ArrayRange(0, 10, 3)", None, [0, 3, 6, 9]),
        ("States.ArrayRange(10, 0, -4)", None, [10, 6, 2]),
        ("States.ArrayRange(1, 0, 1)", None, []),
        ("States.ArrayRange(0.5, 2.5, 1)", None, [1, 2, 3]),
        ("States.ArrayGetItem($.a, 1)", {"a": ["x", "y"]}, "y"),
        ("States.ArrayLength($.a)", {"a": [1, None]}, 2),
        (
            "States.ArrayUnique($.a)",
            {"a": [1, 1, "1", [1], [1], {"a": 1}, {"a": 1}, None, None]},
            [1, "1", [1], {"a": 1}, None],
        ),
        ("States.Base64Encode('Data to encode')", None, "RGF0YSB0byBlbmNvZGU="),
        ("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", None, "Data to encode"),
        ("States.Hash('input data', 'MD5')", None, "812f45842bc6d66ee14572ce20db8e86"),
        (
            "States.JsonMerge($.a, $.b, false)",
            {"a": {"x": {"p": 1}, "y": 1}, "b": {"x": {"q": 2}}},
            {"x": {"q": 2}, "y": 1},
        ),
        ("States.MathAdd(1.49, 1.5)", None, 3),
        ("States.MathAdd(-0.5, 0.5)", None, 1),
        ("States.MathAdd(-2.5, 0)", None, -2),
        ("States.MathAdd(-1.51, 0)", None, -2),
        ("States.MathAdd(2147483646, 1)", None, 2147483647),
        ("States.StringSplit($.s, ',')", {"s": ", , ,"}, [" ", " "]),
        ("States.StringSplit($.s, ',')", {"s": ",,,,"}, []),
        (
            "States.StringSplit($.s, '.+,=')",
            {"s": "This.is+a,test=string"},
            ["This", "is", "a", "test", "string"],
        ),
        ("States.StringSplit('abc', '')", None, ["abc"]),
        ("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 1)", None, "b"),
        ("States.Format('{}', $who)", None, "me"),
    ],
)
def test_evaluate(text: str, data: Any, expected: Any) -> None:
    context = {"StateMachine": {"Name": "a-b-c"}}
    result = run(text, data, context=context, variables={"who": "me"})
    assert result == expected and type(result) is type(expected)


def test_math_random() -> None:
    values = {run("States.MathRandom(1, 4)") for _ in range(200)}
    assert values == {1, 2, 3}
    seeded = [run("States.MathRandom(0, 1000, 7)") for _ in range(3)]
    assert len(set(seeded)) == 1 and 0 <= seeded[0] < 1000


def test_uuid_v4() -> None:
    value = run("States.UUID()")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value)
    assert value != run("States.UUID()")


@pytest.mark.parametrize(
    ("text", "data", "cause"),
    [
        (
            "States.Format('{} {}', 1)",
            None,
            "the number of arguments does not match the number of placeholders",
        ),
        (
            "States.Format('{}', 1, 2)",
            None,
            "the number of arguments does not match the number of placeholders",
        ),
        ("States.StringToJson($.s)", {"s": "{bad"}, "the string is not valid JSON: {bad"),
        ("States.StringToJson($.s)", {"s": 5}, "argument 1 must be of type string but was number: 5"),
        ("States.ArrayPartition($.a, 0)", {"a": [1]}, "the chunk size must be greater than 0 but was 0"),
        ("States.ArrayRange(0, 1000, 1)", None, "the result would have 1001 items; the maximum is 1000"),
        ("States.ArrayRange(0, 10, 0)", None, "the step must not be 0"),
        ("States.ArrayGetItem($.a, 2)", {"a": [1]}, "index 2 is out of bounds for an array of length 1"),
        (
            "States.ArrayLength($.a)",
            {"a": {"k": 1}},
            "argument 1 must be of type array but was object: {k=1}",
        ),
        (
            "States.Base64Encode($.s)",
            {"s": "x" * 10_001},
            "the input exceeds the maximum of 10000 characters",
        ),
        ("States.Base64Decode('***')", None, "the input is not valid Base64: ***"),
        (
            "States.Hash('x', 'SHA-2')",
            None,
            "unsupported algorithm 'SHA-2'; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
        ),
        (
            "States.JsonMerge($.a, $.a, true)",
            {"a": {}},
            "deep merging is not supported; the third argument must be false",
        ),
        ("States.JsonMerge($.a, 1, false)", {"a": {}}, "argument 2 must be of type object but was number: 1"),
        ("States.MathAdd(2147483647, 1)", None, "the result 2147483648 is outside the integer range"),
        ("States.MathAdd($.n, 1)", {"n": 2**31}, "argument 1 (2147483648) is outside the integer range"),
        ("States.MathRandom(5, 5)", None, "start (5) must be less than end (5)"),
    ],
)
def test_failures(text: str, data: Any, cause: str) -> None:
    call = parse_intrinsic(text)
    with pytest.raises(EvaluationError) as info:
        evaluate_call(call, data)
    assert (info.value.error, info.value.cause) == (
        "States.IntrinsicFailure",
        f"Invalid arguments in {call.name}: {cause}",
    )


def test_missing_path_argument_is_a_runtime_error() -> None:
    with pytest.raises(PathNotFound) as info:
        run("States.ArrayLength($.missing)", {})
    assert (info.value.error, info.value.cause) == (
        "States.Runtime",
        "Invalid path '$.missing' : No results for path: $['missing']",
    )


def test_unknown_function_fails_at_run_time() -> None:
    with pytest.raises(EvaluationError) as info:
        run("States.Nope()")
    assert (info.value.error, info.value.cause) == (
        "States.IntrinsicFailure",
        "Unknown intrinsic function States.Nope",
    )


def test_iter_paths_in_source_order() -> None:
    call = parse_intrinsic("States.Format('{} {} {}', $.a, States.Array($$.Execution.Id, $v.x), 'lit')")
    assert [p.path.text for p in iter_paths(call)] == ["$.a", "$$.Execution.Id", "$v.x"]
