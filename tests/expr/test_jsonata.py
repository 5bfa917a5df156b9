"""JSONata: wrappers, parsing, static restrictions, variables read, evaluation (+ AWS recordings)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from asl_lint.expr.errors import EvaluationError, ExprSyntaxError
from asl_lint.expr.jsonata import (
    UNDEFINED,
    Problem,
    check_restrictions,
    context_references,
    evaluate_jsonata,
    parse_jsonata,
    split_wrapper,
    variable_references,
    variables_read,
    wrapper_problem,
)
from tests.conftest import shared_path

# --- wrappers ------------------------------------------------------------------------------------


def test_split_wrapper() -> None:
    assert split_wrapper("{% $states.input %}") == " $states.input "
    assert split_wrapper("{%1%}") == "1"
    assert split_wrapper(" {% 1 %}") is None
    assert split_wrapper("{% 1 %} ") is None
    assert split_wrapper("{%}") is None
    assert split_wrapper("plain") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% 1 %}", None),
        ("hello", None),
        (
            " {% states.input %} ",
            "This string is padded with whitespace around {% %}, so Step Functions treats it as a plain "
            "string, not a JSONata expression",
        ),
        ("{% $x", "The JSONata expression opens with {% but does not end with %}"),
        (
            "Hello {% $name %}",
            "The JSONata expression ends with %} but does not start with {%; an expression must be the "
            "whole string (use & to concatenate)",
        ),
        ("Discount {50%}", None),
        ("{%  %}", "The JSONata expression between {% and %} is empty"),
    ],
)
def test_wrapper_problem(text: str, message: str | None) -> None:
    assert wrapper_problem(text) == message


# --- parsing -------------------------------------------------------------------------------------


def test_parse_is_cached() -> None:
    assert parse_jsonata("$states.input.a") is parse_jsonata("$states.input.a")


@pytest.mark.parametrize(
    ("expr", "message", "offset", "end"),
    [
        ("$foo(", "S0203: Expected ) before end of expression", 4, 5),
        ("1 +", "S0207: Unexpected end of expression", 2, 3),
        ("{'a': }", "S0211: The symbol } cannot be used as a unary operator", 6, 7),
        ("$x := 1; 2", "S0201: Syntax error: ;", 7, 8),
    ],
)
def test_parse_errors(expr: str, message: str, offset: int, end: int) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse_jsonata(expr)
    assert (info.value.message, info.value.offset, info.value.end) == (message, offset, end)


def _jsonata_strings(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _jsonata_strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _jsonata_strings(v, out)
    elif isinstance(value, str) and (inner := split_wrapper(value)) is not None:
        out.add(inner)


def test_every_expression_aws_accepted_parses() -> None:
    """Conformance definitions AWS ran (not rejected) and corpus files not named invalid-*."""
    exprs: set[str] = set()
    for file in Path(shared_path("conformance")).glob("*/*.json"):
        case = json.loads(file.read_text())
        if "Error" not in case.get("expected", {}):
            _jsonata_strings(case.get("definition"), exprs)
    corpus = shared_path("corpus")
    listed = subprocess.run(["grep", "-rl", "JSONata", str(corpus)], capture_output=True, text=True).stdout
    for name in listed.split():
        if "invalid" in Path(name).name or not name.endswith(".json"):
            continue
        try:
            _jsonata_strings(json.loads(Path(name).read_text()), exprs)
        except ValueError:
            continue
    assert len(exprs) > 150
    failures = []
    for expr in sorted(exprs):
        try:
            parse_jsonata(expr)
        except ExprSyntaxError as exc:
            failures.append((expr, exc.message))
    assert failures == []


# --- restrictions --------------------------------------------------------------------------------

ALWAYS = frozenset({"input", "context"})


def test_restrictions_states_members() -> None:
    expr = "$states.result.x & $states.errorOutput.Cause & $states.inptu"
    problems = check_restrictions(expr, field="Output", states_members=ALWAYS)
    assert problems == [
        Problem(
            "$states.result is not available in Output: it exists only in the Output and Assign of Task, "
            "Map and Parallel states",
            8,
            14,
        ),
        Problem(
            "$states.errorOutput is not available in Output: it exists only in a Catch's Output and Assign",
            27,
            38,
        ),
        Problem(
            "$states has no member 'inptu' (known: $states.input, $states.result, $states.errorOutput, "
            "$states.context); did you mean $states.input?",
            55,
            60,
        ),
    ]
    assert check_restrictions(expr[:16], field="Output", states_members=ALWAYS | {"result"}) == []


def test_restrictions_eval() -> None:
    assert check_restrictions("$eval('1 + 1')", field="Output", states_members=ALWAYS) == [
        Problem("$eval is not available in Step Functions; use $parse to read JSON text", 0, 5)
    ]
    assert check_restrictions("($eval := function($x){$x}; $eval(1))", field="Output", states_members=ALWAYS) == []


def test_restrictions_in_both_branches_of_a_condition() -> None:
    # jsonata-python keeps the else branch as ``_else``: it was once skipped with the private names.
    for expr in ("$x ? $eval('1') : 2", "$x ? 2 : $eval('1')", "$x ? 2 : ($y ? 3 : $eval('1'))"):
        (problem,) = check_restrictions(expr, field="Output", states_members=ALWAYS)
        assert expr[problem.offset : problem.end] == "$eval"


def test_restrictions_inside_lambda_and_nested() -> None:
    expr = "$map([1,2], function($v){ $v + $states.result.n })"
    (problem,) = check_restrictions(expr, field="Arguments", states_members=ALWAYS)
    assert (problem.offset, problem.end, expr[problem.offset : problem.end]) == (39, 45, "result")


def test_the_builtin_function_list_is_jsonata_pythons() -> None:
    """The names written out in ``JSONATA_FUNCTIONS`` (so that checking calls imports nothing) are
    exactly those the installed jsonata-python binds: a new version that adds or drops one fails here."""
    import jsonata

    from asl_lint.expr.jsonata import JSONATA_FUNCTIONS, builtin_functions

    bound = {name for name in jsonata.Jsonata.static_frame.bindings if not name.startswith("__")}
    assert bound == JSONATA_FUNCTIONS
    assert builtin_functions() == JSONATA_FUNCTIONS | {"partition", "range", "hash", "random", "uuid", "parse"}
    unknown = check_restrictions("$uppercas($states.input.name)", field="Output", states_members=frozenset({"input"}))
    assert [p.message for p in unknown] == [
        "$uppercas is not a JSONata or Step Functions function; did you mean $uppercase?"]


# --- variables read ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("$states.input.a & $x", {"x"}),
        ("$sum($values) + $count($other.items)", {"values", "other"}),
        ("($a := 1; $a + $b)", {"b"}),
        ("($a := $a + 1; $a)", {"a"}),  # read before bound
        ("$map($list, function($v, $i){ $v * $i * $k })", {"list", "k"}),
        ("$states.context.Execution.Id", set()),
        ("$uuid() & $partition($arr, 2)", {"arr"}),
        ("$items[$.price > $limit]", {"items", "limit"}),
        ("{'k': $obj.field}", {"obj"}),
        ("$ok ? $then : $otherwise", {"ok", "then", "otherwise"}),
    ],
)
def test_variables_read(expr: str, expected: set[str]) -> None:
    assert variables_read(expr) == expected


# --- evaluation ----------------------------------------------------------------------------------

STATES = {"input": {"a": 1, "n": None, "arr": [3, 1, 2], "s": "x"}, "context": {"State": {"Name": "S"}}}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("$states.input.a + 1", 2),
        ("$states.input.n", None),
        ("$states.input.arr[0]", 3),
        ("$sort($states.input.arr)", [1, 2, 3]),
        ("4 / 2", 2),
        ("5 / 2", 2.5),
        ("{'a': null, 'b': $nothing}", {"a": None}),
        ("$var.deep", [1]),
        ("$nullVar", None),
        ("$partition([1,2,3,4,5], 2)", [[1, 2], [3, 4], [5]]),
        ("$partition(7, 2)", [[7]]),  # a single value is a one-item array in JSONata signatures
        ("$range(0, 2)", [0, 1, 2]),
        ("$parse('null')", None),
        ("$range(0, 10, 3)", [0, 3, 6, 9]),
        ("$range(1, 9, 9)", 1),  # a one-item sequence collapses, as recorded on AWS
        ("$range(10, 0, -5)", [10, 5, 0]),
        ("$hash('input data', 'SHA-1')", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("$parse('{\"k\": [1, null]}')", {"k": [1, None]}),
        ("$parse('-0')", 0),
        ("$random(7) = $random(7)", True),
        ("$random() < 1", True),
        ("$states.context.State.Name", "S"),
    ],
)
def test_evaluate(expr: str, expected: Any) -> None:
    result = evaluate_jsonata(expr, {"states": STATES, "var": {"deep": [1]}, "nullVar": None})
    assert result == expected and type(result) is type(expected)


def test_evaluate_uuid() -> None:
    value = evaluate_jsonata("$uuid()", {})
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value)


def test_undefined_is_distinguishable() -> None:
    assert evaluate_jsonata("$states.input.missing", {"states": STATES}) is UNDEFINED
    assert evaluate_jsonata("$notBound", {}) is UNDEFINED
    assert evaluate_jsonata("null", {}) is None


@pytest.mark.parametrize(
    ("expr", "cause"),
    [
        ("$randomSeeded(1)", "T1006: Attempted to invoke a non-function"),
        ("$eval('1 + 1')", "T1006: Attempted to invoke a non-function"),
        ("'a' + 1", "T2001: The left side of the + operator must evaluate to a number"),
        (
            "$hash('x', 'SHA-2')",
            "D3040: Unsupported hash algorithm SHA-2; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
        ),
        (
            "$parse('{')",
            "D3040: Unable to parse JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        ("function($x){$x}", "The JSONata expression returned an unsupported result type."),
        ("$partition([1, 2])", 'T0410: Argument 2 of function "partition" does not match function signature'),
        ("$partition([1], 'a')", 'T0410: Argument 2 of function "partition" does not match function signature'),
        ("$partition([1], 0)", "D3040: The size argument of $partition must be a positive integer"),
        ("$range(0, 5, 0)", "D3040: The step argument of $range must not be 0"),
        ("$hash(1, 'MD5')", 'T0410: Argument 1 of function "hash" does not match function signature'),
        ("$uuid(1)", 'T0410: Argument 1 of function "uuid" does not match function signature'),
        ("$foo(", "S0203: Expected ) before end of expression"),
    ],
)
def test_evaluation_errors(expr: str, cause: str) -> None:
    with pytest.raises(EvaluationError) as info:
        evaluate_jsonata(expr, {"states": STATES})
    assert (info.value.error, info.value.cause) == ("States.QueryEvaluationError", cause)


def test_runaway_expression_is_stopped() -> None:
    with pytest.raises(EvaluationError) as info:
        evaluate_jsonata("($f := function($n){ $f($n + 1) }; $f(0))", {})
    assert info.value.cause.startswith("D1012: Evaluation timeout after 1000 milliseconds")


# --- AWS recordings ------------------------------------------------------------------------------


def _output(template: Any, bindings: dict[str, Any]) -> Any:
    if isinstance(template, dict):
        return {k: _output(v, bindings) for k, v in template.items()}
    if isinstance(template, list):
        return [_output(v, bindings) for v in template]
    if isinstance(template, str) and (inner := split_wrapper(template)) is not None:
        value = evaluate_jsonata(inner, bindings)
        if value is UNDEFINED:  # the state evaluator turns this into the error AWS reports
            raise EvaluationError("States.QueryEvaluationError", "returned nothing (undefined)")
        return value
    return template


def test_jsonata_conformance_single_pass_output(capsys: pytest.CaptureFixture[str]) -> None:
    """Machines of one JSONata Pass state with only ``Output``: compare with AWS's result."""
    cases = []
    for file in sorted(Path(shared_path("conformance", "execution")).glob("*.json")):
        case = json.loads(file.read_text())
        definition = case["definition"]
        states = definition["States"]
        if len(states) != 1 or case.get("maskedInExpected"):
            continue
        (state,) = states.values()
        language = state.get("QueryLanguage", definition.get("QueryLanguage"))
        if (
            language == "JSONata"
            and state["Type"] == "Pass"
            and set(state) <= {"Type", "QueryLanguage", "Output", "End"}
        ):
            cases.append((file.stem, state, case))
    assert len(cases) >= 30
    failures = []
    for name, state, case in cases:
        bindings = {"states": {"input": case["input"], "context": {}}}
        expected = case["expected"]
        try:
            got = _output(state.get("Output", "{% $states.input %}"), bindings)
        except EvaluationError as exc:
            ok = expected["status"] == "FAILED" and exc.cause in expected.get("cause", "")
            if not ok:
                failures.append((name, f"raised {exc.cause}"))
            continue
        if expected["status"] != "SUCCEEDED" or got != expected["output"]:
            failures.append((name, f"got {got!r}, expected {expected}"))
    with capsys.disabled():
        print(f"\njsonata conformance: {len(cases) - len(failures)}/{len(cases)}")
        for name, why in failures:
            print(f"  FAIL {name}: {why}")
    assert len(failures) / len(cases) <= 0.05


_WITH_RESULT = {"Task", "Map", "Parallel"}


def _state_expressions(states: dict[str, Any]) -> list[tuple[str, str, frozenset[str]]]:
    """(expression, field, $states members available) for every JSONata string in the states."""
    found: list[tuple[str, str, frozenset[str]]] = []
    for state in states.values():
        for key, value in state.items():
            if key in ("Branches", "ItemProcessor", "Iterator"):
                for machine in value if isinstance(value, list) else [value]:
                    found.extend(_state_expressions(machine.get("States", {})))
                continue
            if key == "Catch":
                for catcher in value:
                    for field in ("Output", "Assign"):
                        exprs: set[str] = set()
                        _jsonata_strings(catcher.get(field), exprs)
                        found.extend((e, field, ALWAYS | {"errorOutput"}) for e in exprs)
                continue
            members = ALWAYS | {"result"} if key in ("Output", "Assign") and state["Type"] in _WITH_RESULT else ALWAYS
            exprs = set()
            _jsonata_strings(value, exprs)
            found.extend((e, key, members) for e in exprs)
    return found


def test_no_restriction_problems_in_definitions_aws_ran() -> None:
    checked = 0
    for folder in ("execution", "test-state"):
        for file in Path(shared_path("conformance", folder)).glob("*.json"):
            case = json.loads(file.read_text())
            definition = case.get("definition") or {}
            if "Error" in case.get("expected", {}) or not isinstance(definition, dict):
                continue
            if "T1006" in str(case["expected"].get("cause")):  # AWS failed it: calls a non-function
                continue
            states = definition.get("States") or ({"S": definition} if "Type" in definition else {})
            for expr, field, members in _state_expressions(states):
                assert check_restrictions(expr, field=field, states_members=members) == [], (file.name, expr)
                checked += 1
    assert checked > 100


def test_context_references_and_chain_check() -> None:
    from asl_lint.expr.context import check_context_chain

    expr = "$states.context.Execution.Inptu & $states.input.x & $states.context.Map.Item.Value.k[0]"
    refs = context_references(expr)
    assert [(chain, expr[a:b]) for chain, a, b in refs] == [
        (("Execution", "Inptu"), "$states.context.Execution.Inptu"),
        (("Map", "Item", "Value", "k"), "$states.context.Map.Item.Value.k"),
    ]
    messages = [
        check_context_chain(chain, in_map=False, in_map_item_selector=True, callback=False, prefix="$states.context")
        for chain, _, _ in refs
    ]
    assert messages == [
        "The Context object has no field $states.context.Execution.Inptu; did you mean "
        "$states.context.Execution.Input?",
        None,
    ]


def test_variable_references_spans() -> None:
    expr = "($a := $x + 1; $f := function($p){ $p + $y }; $f($a) & $x & $items[$.p > $limit])"
    refs = variable_references(expr)
    assert [(name, expr[a:b]) for name, a, b in refs] == [
        ("x", "$x"),
        ("y", "$y"),
        ("x", "$x"),
        ("items", "$items"),
        ("limit", "$limit"),
    ]
    assert [a for _, a, _ in refs] == [7, 40, 55, 60, 73]


def test_unknown_function_is_flagged_like_the_aws_failure() -> None:
    folder = shared_path("conformance", "execution")
    case = json.loads(
        (folder / "test_math_operations_jsonata.test_math_random_seeded.exec_hist_resp_0.json").read_text()
    )
    expr = split_wrapper(case["definition"]["States"]["State_0"]["Output"]["FunctionResult"])
    assert expr is not None and "T1006: Attempted to invoke a non-function" in case["expected"]["cause"]
    assert check_restrictions(expr, field="Output", states_members=ALWAYS) == [
        Problem("$randomSeeded is not a JSONata or Step Functions function; did you mean $random?", 1, 14)
    ]
    assert check_restrictions("$x ~> $lenght()", field="Output", states_members=ALWAYS) == [
        Problem("$lenght is not a JSONata or Step Functions function; did you mean $length?", 6, 13)
    ]
    assert check_restrictions("($f := function($v){$v}; $f(1) & $uuid())", field="Output", states_members=ALWAYS) == []


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("@~", "S0201: Syntax error (KeyError: '~')"),
        ("/", "S0201: Syntax error (IndexError: string index out of range)"),
        ("/9`%\\25/#7;", "S0201: Syntax error (error: invalid group reference 25 at position 4)"),
    ],
)
def test_library_crashes_become_syntax_errors(expr: str, message: str) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse_jsonata(expr)
    assert (info.value.message, info.value.offset, info.value.end) == (message, 0, len(expr))


def test_library_debug_prints_are_silenced(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(EvaluationError) as info:
        evaluate_jsonata("(23)()", {})
    assert info.value.cause == "T1006: Attempted to invoke a non-function"
    assert capsys.readouterr().out == ""
