"""ASL JSONPath: grammar, offsets, Jayway evaluation semantics, ResultPath and the Context object."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asl_lint.expr.errors import EvaluationError, ExprSyntaxError
from asl_lint.expr.jsonpath import (
    Child,
    Descendant,
    FilterSeg,
    Function,
    Index,
    PathNotFound,
    Slice,
    Union,
    Wildcard,
    check_context_path,
    evaluate,
    get_value,
    is_definite,
    parse_path,
    set_value,
)
from tests.conftest import shared_path
from tests.helpers import python_calls

STORE: dict[str, Any] = {
    "store": {
        "book": [
            {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
            {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
            {
                "category": "fiction",
                "author": "Herman Melville",
                "title": "Moby Dick",
                "isbn": "0-553",
                "price": 8.99,
            },
            {
                "category": "fiction",
                "author": "J. R. R. Tolkien",
                "title": "LOTR",
                "isbn": "0-395",
                "price": 22.99,
            },
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "expensive": 10,
}


# --- grammar -------------------------------------------------------------------------------------


def test_roots() -> None:
    assert parse_path("$").root == "input" and parse_path("$").segments == ()
    ctx = parse_path("$$.Execution.Input")
    assert (ctx.root, ctx.variable, ctx.member_names()) == ("context", None, ("Execution", "Input"))
    var = parse_path("$myVar.field[2]")
    assert (var.root, var.variable, var.member_names()) == ("variable", "myVar", ("field", 2))
    uni = parse_path("$résumé.x")
    assert (uni.root, uni.variable) == ("variable", "résumé")


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("$.a.b", (Child("a"), Child("b"))),
        ("$['a b']", (Child("a b"),)),
        ('$["x"]', (Child("x"),)),
        ("$.a.['def ghi']", (Child("a"), Child("def ghi"))),
        ("$['it\\'s']", (Child("it\\'s"),)),  # Jayway keeps the backslash (see AWS recording below)
        ('$["it\'s"]', (Child("it's"),)),
        ("$.a[3]", (Child("a"), Index(3))),
        ("$.a[-1]", (Child("a"), Index(-1))),
        ("$.a[*]", (Child("a"), Wildcard())),
        ("$.a.*", (Child("a"), Wildcard())),
        ("$..name", (Descendant(Child("name")),)),
        ("$..*", (Descendant(Wildcard()),)),
        ("$..[0]", (Descendant(Index(0)),)),
        ("$.a[1:3]", (Child("a"), Slice(1, 3))),
        ("$.a[:2]", (Child("a"), Slice(None, 2))),
        ("$.a[-2:]", (Child("a"), Slice(-2, None))),
        ("$.a[0:10:2]", (Child("a"), Slice(0, 10, 2))),
        ("$.a[0,1]", (Child("a"), Union((0, 1)))),
        ("$['a','b']", (Union(("a", "b")),)),
        ("$.a.length()", (Child("a"), Function("length"))),
        ("$.a-b.c:d", (Child("a-b"), Child("c:d"))),
        ("$.a]b.c,d.e'f", (Child("a]b"), Child("c,d"), Child("e'f"))),  # Jayway ends names only at . [ (
    ],
)
def test_segments(text: str, segments: tuple[Any, ...]) -> None:
    assert parse_path(text).segments == segments


def test_segment_offsets() -> None:
    p = parse_path("$.abc['d e'][12]")
    assert [(s.offset, s.end) for s in p.segments] == [(1, 5), (5, 12), (12, 16)]


def test_filter_ast_and_text() -> None:
    p = parse_path("$..book[?(@.price < 10 && @.category == 'fiction')].title")
    seg = p.segments[1]
    assert isinstance(seg, FilterSeg)
    assert seg.expr.to_text() == "(@.price < 10) && (@.category == 'fiction')"
    assert parse_path(p.to_text()) == p


@pytest.mark.parametrize(
    ("text", "message", "offset", "end"),
    [
        ("a.b", "A JSONPath must begin with '$'", 0, 1),
        ("$.", "Expected a property name after '.' but found end of path", 1, 2),
        ("$.a[", "Unterminated '[': expected ']'", 3, 4),
        ("$.a[1", "Expected ']' but found end of path", 5, 6),
        ("$.a['b", "Unterminated quoted property name", 4, 6),
        ("$...", "Expected a property name after '..'", 3, 4),
        ("$['a']]", "Unexpected character ']' in JSONPath", 6, 7),
        ("$.a b", "Use bracket notation ['my prop'] if the property name contains blanks", 1, 4),
        ("$.a .b", "Use bracket notation ['my prop'] if the property name contains blanks", 1, 4),
        ("$.a[x]", "Unexpected character 'x' after '['", 4, 5),
        ("$.a.foo()", "Function 'foo()' is not a JSONPath function", 4, 7),
        ("$.a.length().b", "Function 'length()' must be at the end of the path", 3, 12),
        ("$[?(@.Name== )]", "Expected a value but found ')'", 13, 14),
        ("$.a[1 :2]", "Failed to parse SliceOperation: no blanks are allowed inside a slice", 5, 6),
        ("$.a[:]", "Failed to parse SliceOperation: a slice needs a start or an end", 3, 6),
        (
            "$.a[(@.length-1)]",
            "Script expressions such as [(@.length-1)] are not supported by AWS (Jayway JsonPath); "
            "use [-1] for the last element",
            3,
            5,
        ),
        (
            "$[?(@.a =~ /(/)]",
            "Invalid regular expression: missing ), unterminated subpattern at position 0",
            11,
            14,
        ),
    ],
)
def test_syntax_errors(text: str, message: str, offset: int, end: int) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse_path(text)
    assert (info.value.message, info.value.offset, info.value.end) == (message, offset, end)


def test_backslashes_in_bracket_names_are_verbatim_as_recorded_on_aws() -> None:
    folder = shared_path("conformance", "execution")
    name = "test_base_scenarios.test_escape_sequence_parsing[ESCAPE_SEQUENCES_JSONPATH]"
    name += ".get_execution_history.json"
    case = json.loads((folder / name).read_text())
    text = case["definition"]["States"]["JsonPathEscapeTest"]["Parameters"]["value.$"]
    assert get_value(parse_path(text), case["input"]) == case["expected"]["output"]["value"]


def test_unquoted_filter_word_is_accepted_with_a_warning() -> None:
    # Jayway wants 'Receipt', but AWS's own samples filter on bare words; accept it as a string.
    path = parse_path("$.Labels[?(@.Name==Receipt)].x")
    assert [(w.message, w.offset, w.end) for w in path.warnings] == [
        (
            "Unquoted value Receipt in a filter; write 'Receipt' (Jayway JsonPath, which AWS uses, expects quoted strings)",
            19,
            26,
        )
    ]
    assert evaluate(path, {"Labels": [{"Name": "Receipt", "x": 1}, {"Name": "Other", "x": 2}]}) == [1]
    assert parse_path("$.a[?(@.b == 'c')]").warnings == ()


def test_trailing_blank_is_trimmed_like_jayway() -> None:
    assert parse_path("$$.Execution.Name ").member_names() == ("Execution", "Name")


@pytest.mark.parametrize(
    ("text", "reference", "definite"),
    [
        ("$", True, True),
        ("$.a['b'][0]", True, True),
        ("$.a[*]", False, False),
        ("$..a", False, False),
        ("$.a[0,1]", False, False),
        ("$.a[1:]", False, False),
        ("$.a[?(@.x)]", False, False),
        ("$.a.length()", False, True),
    ],
)
def test_reference_and_definite(text: str, reference: bool, definite: bool) -> None:
    path = parse_path(text)
    assert (path.is_reference, is_definite(path)) == (reference, definite)


def test_member_names_none_for_non_chain() -> None:
    assert parse_path("$.a[*].b").member_names() is None


def test_jayway_form() -> None:
    assert parse_path("$.a.b[0]").jayway() == "$['a']['b'][0]"
    assert parse_path("$..x").jayway() == "$..['x']"


# --- evaluation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.store.book[*].author", ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]),
        ("$..author", ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]),
        ("$.store..price", [8.95, 12.99, 8.99, 22.99, 19.95]),
        ("$..book[2].title", ["Moby Dick"]),
        ("$..book[-1].title", ["LOTR"]),
        ("$..book[0,1].title", ["Sayings", "Sword"]),
        ("$..book[:2].title", ["Sayings", "Sword"]),
        ("$..book[-2:].title", ["Moby Dick", "LOTR"]),
        ("$..book[0:4:2].title", ["Sayings", "Sword", "Moby Dick", "LOTR"]),  # Jayway ignores the step
        ("$..book[-1:].title", ["LOTR"]),
        ("$..book[:-3].title", ["Sayings"]),
        ("$..book[-2:1].title", ["Moby Dick", "LOTR", "Sayings"]),  # Jayway's odd negative start
        ("$..book[3:1].title", []),
        ("$..book[2:99].title", ["Moby Dick", "LOTR"]),
        ("$..book[?(@.isbn)].title", ["Moby Dick", "LOTR"]),
        ("$..book[?(!@.isbn)].title", ["Sayings", "Sword"]),
        ("$..book[?(@.price < 10)].title", ["Sayings", "Moby Dick"]),
        ("$..book[?(@.price <= $.expensive)].title", ["Sayings", "Moby Dick"]),
        ("$..book[?(@.author =~ /.*REES/i)].title", ["Sayings"]),
        ("$..book[?(@.author =~ /Rees/)].title", []),  # Java matches(): whole string
        ("$..book[?(@.category in ['reference'])].title", ["Sayings"]),
        ("$..book[?(@.category nin ['fiction'])].title", ["Sayings"]),
        ("$..book[?(@.price > 20 || @.price < 9)].title", ["Sayings", "Moby Dick", "LOTR"]),
        ("$..book[?(@.price == '8.95')].title", []),  # no string/number coercion
        ("$..book[?(@.title size 4)].title", ["LOTR"]),
        ("$.store.bicycle[?(@.color == 'red')].price", [19.95]),  # filter on an object
        ("$.store['bicycle','nothing']", [{"color": "red", "price": 19.95}]),
        ("$.missing", []),
        ("$.store.*.color", ["red"]),
    ],
)
def test_evaluate(text: str, expected: list[Any]) -> None:
    assert evaluate(parse_path(text), STORE) == expected


def test_functions() -> None:
    assert get_value(parse_path("$.store.book.length()"), STORE) == 4
    assert get_value(parse_path("$..price.max()"), STORE) == 22.99
    assert get_value(parse_path("$..price.min()"), STORE) == 8.95
    assert get_value(parse_path("$.store.bicycle.keys()"), STORE) == ["color", "price"]
    assert get_value(parse_path("$.n.sum()"), {"n": [1, 2, 3]}) == 6.0
    assert get_value(parse_path("$.n.avg()"), {"n": [1, 2, 3]}) == 2.0


def test_get_value_definite_and_indefinite() -> None:
    assert get_value(parse_path("$.store.bicycle.color"), STORE) == "red"
    assert get_value(parse_path("$"), STORE) is STORE
    assert get_value(parse_path("$.a"), {"a": None}) is None
    assert get_value(parse_path("$..nothing"), STORE) == []
    assert get_value(parse_path("$.store.book[*].isbn"), STORE) == ["0-553", "0-395"]


@pytest.mark.parametrize(
    ("text", "data", "cause"),
    [
        (
            "$.NoSuchInputPath",
            {},
            "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
        ),
        ("$.a.b", {}, "Invalid path '$.a.b' : Missing property in path $['a']"),
        ("$.a[5]", {"a": [1]}, "Invalid path '$.a[5]' : No results for path: $['a'][5]"),
        ("$.a[0]", {"a": None}, "Invalid path '$.a[0]' : The path $['a'] is null"),
        (
            "$.a.b",
            {"a": 3},
            "Invalid path '$.a.b' : Expected to find an object with property ['b'] in path $['a'] but found "
            "'java.lang.Integer'. This is not a json object according to the JsonProvider: "
            "'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
        ),
    ],
)
def test_path_not_found(text: str, data: Any, cause: str) -> None:
    with pytest.raises(PathNotFound) as info:
        get_value(parse_path(text), data)
    assert (info.value.error, info.value.cause) == ("States.Runtime", cause)
    assert evaluate(parse_path(text), data) == []


def test_context_and_variables() -> None:
    ctx = {"Execution": {"Input": {"k": 1}, "Name": "run-1"}}
    assert get_value(parse_path("$$.Execution.Input.k"), {}, context=ctx) == 1
    assert get_value(parse_path("$x.y"), {}, variables={"x": {"y": [1, 2]}}) == [1, 2]
    with pytest.raises(PathNotFound) as info:
        get_value(parse_path("$undefinedVar.x"), {}, variables={})
    assert (info.value.error, info.value.cause) == (
        "States.Runtime",
        "Invalid path '$undefinedVar.x' : The variable 'undefinedVar' is not defined",
    )
    assert evaluate(parse_path("$undefinedVar"), {}) == []


def test_evaluate_does_not_mutate_input() -> None:
    data = {"States": {"A": {"Type": "Task"}, "B": {"Type": "Pass"}}}
    evaluate(parse_path("$.States[?(@.Type == 'Task')]"), data)
    assert data == {"States": {"A": {"Type": "Task"}, "B": {"Type": "Pass"}}}


# --- ResultPath ----------------------------------------------------------------------------------


def test_set_value() -> None:
    doc = {"a": {"x": 1}, "l": [0, {"k": 1}]}
    assert set_value(parse_path("$"), doc, 5) == 5
    assert set_value(parse_path("$.a.y"), doc, 2) == {"a": {"x": 1, "y": 2}, "l": [0, {"k": 1}]}
    assert set_value(parse_path("$.n.m.o"), doc, True)["n"] == {"m": {"o": True}}
    assert set_value(parse_path("$.l[1].k"), doc, 9)["l"] == [0, {"k": 9}]
    assert doc == {"a": {"x": 1}, "l": [0, {"k": 1}]}  # input untouched


@pytest.mark.parametrize(
    ("target", "text", "cause"),
    [
        ("abc", "$.x", 'Unable to apply ReferencePath $.x to input "\\"abc\\""'),
        ({"a": 1}, "$.a.b", 'Unable to apply ReferencePath $.a.b to input "{\\"a\\":1}"'),
    ],
)
def test_set_value_failure(target: Any, text: str, cause: str) -> None:
    with pytest.raises(EvaluationError) as info:
        set_value(parse_path(text), target, 1)
    assert (info.value.error, info.value.cause) == ("States.ResultPathMatchFailure", cause)


# --- Context object ------------------------------------------------------------------------------


def test_check_context_path() -> None:
    def check(text: str, **kw: bool) -> str | None:
        opts = {"in_map": False, "in_map_item_selector": False, "callback": False} | kw
        return check_context_path(parse_path(text), **opts)

    assert check("$$.Execution.Input.anything.below") is None
    assert check("$$.State.EnteredTime") is None
    assert check("$$.messages") == "The Context object has no field $$.messages"
    assert check("$$.Excution.Input") == "The Context object has no field $$.Excution; did you mean $$.Execution?"
    assert (
        check("$$.Execution.Inptu")
        == "The Context object has no field $$.Execution.Inptu; did you mean $$.Execution.Input?"
    )
    assert check("$$.Map.Item.Value") == "$$.Map is only available in a Map state's ItemSelector"
    assert check("$$.Map.Item.Value", in_map=True) == (
        "$$.Map.Item is only available in the Map state's ItemSelector, not inside its states"
    )
    assert check("$$.Map.Item.Index", in_map_item_selector=True) is None
    assert check("$$.Task.Token") == "$$.Task.Token is only available in a Task state using .waitForTaskToken"
    assert check("$$.Task.Token", callback=True) is None
    assert check("$.not.context") is None


# --- speed ---------------------------------------------------------------------------------------


def test_parsing_work_grows_linearly() -> None:
    # Counted as Python function calls (the same on every run), not timed: twice the segments or
    # twice the filter terms, twice the work.
    def work(text: str) -> int:
        return python_calls(lambda: parse_path.__wrapped__(text))

    assert work("$" + ".field" * 200) < 2.05 * work("$" + ".field" * 100)
    term = "@.price < 10 && @.category == 'fiction'"
    short, long = (work(f"$..book[?({' && '.join([term] * n)})].title") for n in (20, 40))
    assert long < 2.05 * short


def test_a_path_is_parsed_once() -> None:
    text = "$..book[?(@.price < 10 && @.category == 'fiction')].title"
    parse_path.cache_clear()
    first = parse_path(text)
    assert all(parse_path(text) is first for _ in range(2000))
    info = parse_path.cache_info()
    assert (info.misses, info.hits) == (1, 2000)
