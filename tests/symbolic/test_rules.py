"""ASL701–ASL706 on small machines: exact positions and messages; counterexamples re-checked with
the concrete evaluator; silent fixtures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from asl_lint.eval import run_execution
from tests.conftest import PROJECT_ROOT
from tests.helpers import findings, lint, serious


def _asl7(d: dict[str, Any]) -> list[tuple[str, str, int, int, int, int, str]]:
    return [(x.code, x.severity.value, x.line, x.column, x.end_line, x.end_column, x.message)
            for x in lint(d) if x.code.startswith("ASL7")]


def _choice(rules: list[dict[str, Any]], default: bool = True, jsonata: bool = False) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Choice", "Choices": [dict(r, Next="A") for r in rules]}
    if default:
        state["Default"] = "A"
    d: dict[str, Any] = {"StartAt": "R", "States": {"R": state, "A": {"Type": "Succeed"}}}
    if jsonata:
        d["QueryLanguage"] = "JSONata"
    return d


def test_701_contradictory_and() -> None:
    d = _choice([{"And": [{"Variable": "$.n", "NumericGreaterThan": 100}, {"Variable": "$.n", "NumericLessThan": 10}]}])
    got = findings(lint(d), "ASL701")
    assert got == [(7, 9, 19, 10, "Choices[0] can never match: no input satisfies it (given what earlier states"
                                  " produce); fix or remove it")]


def test_701_jsonata() -> None:
    d = _choice([{"Condition": "{% $states.input.n > 5 and $states.input.n < 2 %}"}], jsonata=True)
    assert _asl7(d) == [("ASL701", "warning", 7, 9, 10, 10, "Choices[0] can never match: no input satisfies it"
                         " (given what earlier states produce); fix or remove it")]


def test_702_shadowed_jsonpath_and_jsonata() -> None:
    d = _choice([{"Variable": "$.a", "NumericGreaterThan": 100}, {"Variable": "$.a", "NumericGreaterThan": 1000}])
    message = ("Choices[1] is never taken: every input it matches is taken by an earlier rule (Choices[0]) or fails"
               " in one; reorder the rules or remove it")
    assert findings(lint(d), "ASL702") == [(12, 9, 16, 10, message)]
    j = _choice([{"Condition": "{% $states.input.k = 'a' or $states.input.k = 'b' %}"},
                 {"Condition": "{% $states.input.k = 'b' %}"}], jsonata=True)
    assert findings(lint(j), "ASL702") == [(11, 9, 14, 10, message)]


def _witness(message: str) -> Any:
    match = re.search(r"the input (.*): the execution then fails", message)
    assert match
    return json.loads(match.group(1))


def test_703_counterexample_really_fails_jsonpath() -> None:
    d = _choice([{"Variable": "$.status", "StringEquals": "OK"}, {"Variable": "$.status", "StringEquals": "FAILED"}],
                default=False)
    (line, col, end_line, end_col, message), = findings(lint(d), "ASL703")
    assert (line, col, end_line, end_col) == (6, 7, 6, 16)
    assert message.startswith("Choice state 'R' has no Default and some inputs match no rule, e.g. the input ")
    result = run_execution(d, _witness(message))
    assert (result["status"], result["error"]) == ("FAILED", "States.NoChoiceMatched")


def test_703_counterexample_really_fails_jsonata() -> None:
    d = _choice([{"Condition": "{% $states.input.n = 1 %}"}, {"Condition": "{% $states.input.n = 2 %}"}],
                default=False, jsonata=True)
    (_l, _c, _el, _ec, message), = findings(lint(d), "ASL703")
    result = run_execution(d, _witness(message))
    assert (result["status"], result["error"]) == ("FAILED", "States.NoChoiceMatched")


def test_703_silent_when_every_input_matches_or_fails() -> None:
    total = _choice([{"Variable": "$.n", "NumericGreaterThanEquals": 10}, {"Variable": "$.n", "NumericLessThan": 10},
                     {"Not": {"Variable": "$.n", "IsNumeric": True}}], default=False)
    assert _asl7(total) == []
    j = _choice([{"Condition": "{% $states.input.n >= 10 %}"}, {"Condition": "{% $states.input.n < 10 %}"}],
                default=False, jsonata=True)
    assert _asl7(j) == []


def test_703_respects_constants_set_upstream() -> None:
    d = _choice([{"Variable": "$.mode", "StringEquals": "fast"}], default=False)
    d["StartAt"] = "Init"
    d["States"]["Init"] = {"Type": "Pass", "Result": {"mode": "fast"}, "Next": "R"}
    assert _asl7(d) == []


def test_704_type_mismatch() -> None:
    d = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"count": "5"}, "ResultPath": "$.meta", "Next": "R"},
        "R": {"Type": "Choice", "Choices": [{"Variable": "$.meta.count", "NumericEquals": 5, "Next": "Done"}],
              "Default": "Done"},
        "Done": {"Type": "Succeed"}}}
    assert findings(lint(d), "ASL704") == [(17, 11, 17, 26, "NumericEquals needs a number, but '$.meta.count' is"
                                            " always string (\"5\") here (set by the states upstream), so this"
                                            " comparison is always false; compare with the matching operator")]


def test_705_error_and_warning() -> None:
    sure = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"a": 1}, "Next": "R"},
        "R": {"Type": "Choice", "Choices": [{"Variable": "$.b", "NumericEquals": 1, "Next": "Done"}], "Default": "Done"},
        "Done": {"Type": "Succeed"}}}
    assert ("ASL705", "error", 15, 23, 15, 28, "'$.b' is never present here (no state upstream sets it), so this"
            " Choice always fails with States.Runtime; read a field that exists or test it with IsPresent first") \
        in _asl7(sure)
    some = {"StartAt": "Split", "States": {
        "Split": {"Type": "Choice", "Choices": [{"Variable": "$.fast", "BooleanEquals": True, "Next": "Fast"}],
                  "Default": "Slow"},
        "Fast": {"Type": "Pass", "Result": {"id": 1}, "ResultPath": "$.order", "Next": "Ship"},
        "Slow": {"Type": "Pass", "Result": {"note": "x"}, "Next": "Ship"},
        "Ship": {"Type": "Pass", "Parameters": {"id.$": "$.order.id"}, "End": True}}}
    assert _asl7(some) == [("ASL705", "warning", 33, 17, 33, 29, "Parameters.id.$ reads '$.order.id', which is absent"
                            " when the state is entered from 'Slow': the state then fails with States.Runtime; set it"
                            " on every path or guard it with a Choice IsPresent test")]
    result = run_execution(some, {"fast": False})
    assert result["error"] == "States.Runtime"


def test_705_silent_for_execution_input_and_guarded_reads() -> None:
    d = {"StartAt": "R", "States": {
        "R": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.x", "IsPresent": True},
                                                     {"Variable": "$.x", "StringEquals": "a"}], "Next": "Use"}],
              "Default": "Done"},
        "Use": {"Type": "Pass", "Parameters": {"x.$": "$.x", "y.$": "$.y"}, "End": True},
        "Done": {"Type": "Succeed"}}}
    assert _asl7(d) == []


def test_706_failures() -> None:
    d = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": "text", "Next": "Put"},
        "Put": {"Type": "Pass", "Result": 1, "ResultPath": "$.n", "End": True}}}
    assert _asl7(d) == [("ASL706", "error", 12, 21, 12, 26, "ResultPath '$.n' cannot be applied: the state input is"
                         " always a string here, so the state fails with States.ResultPathMatchFailure; write into"
                         " an object")]
    assert run_execution(d)["error"] == "States.ResultPathMatchFailure"
    j = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Output": {"x": "{% 1 + 'a' %}"}, "End": True}}}
    assert _asl7(j) == [("ASL706", "error", 8, 14, 8, 29, "Output: the expression '1 + 'a'' always fails with"
                         " States.QueryEvaluationError: T2002: The right side of the + operator must evaluate to a"
                         " number")]
    assert run_execution(j)["error"] == "States.QueryEvaluationError"


def test_706_constant_expressions_literal_or_not() -> None:
    # A bare literal is its own value (no finding, nothing evaluated); the same literal with a
    # predicate that selects nothing always returns nothing, as AWS evaluates it.
    state: dict[str, Any] = {"Type": "Pass", "End": True, "Output": {
        "a": "{% 'abc' %}", "b": "{% 'abc'[1] %}", "c": "{% 'abc'[0] %}", "d": "{% null %}", "e": "{% -1.5 %}"}}
    j = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": state}}
    assert _asl7(j) == [("ASL706", "error", 10, 14, 10, 30, "Output: the expression ''abc'[1]' always returns nothing"
                         " (undefined), so it fails with States.QueryEvaluationError")]
    assert run_execution(j)["error"] == "States.QueryEvaluationError"
    del state["Output"]["b"]
    assert _asl7(j) == []
    assert json.loads(run_execution(j)["output"]) == {"a": "abc", "c": "abc", "d": None, "e": -1.5}


def test_placeholders_silence_everything() -> None:
    d = _choice([{"Variable": "$.n", "StringEquals": "${Mode}"}], default=False)
    assert _asl7(d) == []


def test_clean_machine_is_silent() -> None:
    d = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"n": 3}, "ResultPath": "$.cfg", "Next": "R"},
        "R": {"Type": "Choice", "Choices": [{"Variable": "$.cfg.n", "NumericGreaterThan": 2, "Next": "Big"}],
              "Default": "Small"},
        "Big": {"Type": "Pass", "Parameters": {"n.$": "$.cfg.n"}, "End": True},
        "Small": {"Type": "Succeed"}}}
    diags = lint(d)
    assert [x for x in diags if x.code.startswith("ASL7")] == []
    assert serious(diags) == []


def test_hundred_rule_choice_takes_two_questions_a_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # The work, counted (not timed): one "can it match?" and one "is it shadowed?" question per
    # rule plus one "does anything match nothing?", each far inside the solver's step limit.
    from asl_lint.symbolic import choice

    asked: list[int] = []  # z3's resource units of each question
    check = choice._Solver.check

    def counted(self: Any, *formulas: Any, assumptions: tuple[Any, ...] = ()) -> str:
        before = self.counted
        try:
            return check(self, *formulas, assumptions=assumptions)
        finally:
            asked.append(self.counted - before)

    monkeypatch.setattr(choice._Solver, "check", counted)
    rules = [{"Variable": "$.n", "NumericEquals": i} for i in range(100)]
    rules.append({"Variable": "$.n", "NumericEquals": 50})
    got = _asl7(_choice(rules, default=False))
    assert sorted(g[0] for g in got) == ["ASL702", "ASL703"]
    assert len(asked) == 2 * len(rules) + 1
    assert max(asked) < choice.CHECK_LIMIT // 100
    assert sum(asked) < choice.CHOICE_LIMIT // 10


def test_z3_not_imported_without_choice() -> None:
    code = ("import sys, json; from asl_lint.config import Config; from asl_lint.engine.runner import lint_text;"
            "lint_text(json.dumps({'StartAt':'P','States':{'P':{'Type':'Pass','End':True}}}), 'x.asl.json', Config());"
            "print('z3' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_input_schema_makes_optional_fields_reportable(tmp_path: Any) -> None:
    from asl_lint.config import Config

    schema = tmp_path / "input.json"
    schema.write_text(json.dumps({"type": "object", "required": ["orderId"],
                                  "properties": {"orderId": {"type": "string"}, "coupon": {"type": "string"}}}))
    d = {"StartAt": "Use", "States": {"Use": {"Type": "Pass", "Parameters": {"id.$": "$.orderId", "c.$": "$.coupon"},
                                              "End": True}}}
    assert findings(lint(d), "ASL705") == []
    got = findings(lint(d, config=Config(input_schema=str(schema))), "ASL705")
    assert got == [(8, 16, 8, 26, "Parameters.c.$ reads '$.coupon', which is absent when the state is entered from"
                    " the start (the input schema makes it optional): the state then fails with States.Runtime;"
                    " set it on every path or guard it with a Choice IsPresent test")]
    choice = _choice([{"Variable": "$.coupon", "StringEquals": "X"}])
    (_l, _c, _el, _ec, message), = findings(lint(choice, config=Config(input_schema=str(schema))), "ASL705")
    witness = json.loads(re.search(r"e\.g\. with the input (.*), and this Choice", message).group(1))  # type: ignore[union-attr]
    assert run_execution(choice, witness)["error"] == "States.Runtime"


def test_hostile_nesting_is_unknown_not_a_crash() -> None:
    # Written out by hand: json.dumps would itself recurse 3000 deep (whatever the recursion limit
    # the tests that ran before in this process left).
    rule = '{"Not": ' * 3000 + '{"Variable": "$.n", "NumericEquals": 1}' + "}" * 3000
    text = ('{"StartAt": "R", "States": {"R": {"Type": "Choice", "Choices": [{"Next": "A", "Not": '
            + rule + '}]}, "A": {"Type": "Succeed"}}}')
    diags = lint(text)
    assert [x.code for x in diags if x.code == "ASL901"] == []


def test_placeholder_values_set_upstream_are_unknown() -> None:
    d = _choice([{"Variable": "$.mode", "StringEquals": "prod"}, {"Variable": "$.mode", "StringEquals": "dev"}])
    d["StartAt"] = "Init"
    d["States"]["Init"] = {"Type": "Pass", "Result": {"mode": "${Mode}", "${Key}": 1}, "Next": "Use"}
    d["States"]["Use"] = {"Type": "Pass", "Parameters": {"mode.$": "$.mode", "other.$": "$.other"}, "Next": "R"}
    assert _asl7(d) == []


def test_706_jsonata_reads_a_field_upstream_never_sets() -> None:
    d = {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Output": {"a": {"b": 1}}, "Next": "Use"},
        "Use": {"Type": "Pass", "Output": {"x": "{% $states.input.a.c %}", "y": "{% $states.input.a.b %}"},
                "End": True}}}
    assert _asl7(d) == [("ASL706", "error", 17, 14, 17, 39, "Output: '$states.input.a.c' selects a field no input"
                         " here has (the states upstream never set it), so it returns nothing and the state fails"
                         " with States.QueryEvaluationError")]
    assert run_execution(d)["error"] == "States.QueryEvaluationError"
    unknown = {"QueryLanguage": "JSONata", "StartAt": "Use", "States": {
        "Use": {"Type": "Pass", "Output": {"x": "{% $states.input.a.c %}"}, "End": True}}}
    assert _asl7(unknown) == []


def test_704_jsonata() -> None:
    d = {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Output": {"count": 5}, "Next": "R"},
        "R": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.count = '5' %}", "Next": "A"}],
              "Default": "A"},
        "A": {"Type": "Succeed"}}}
    assert findings(lint(d), "ASL704") == [(16, 24, 16, 57, "'$states.input.count = \"5\"' compares a string with"
                                            " '$states.input.count', which is always number here (set by the states"
                                            " upstream), so the comparison is always false; compare with a value of"
                                            " its type")]


def test_parallel_results_come_from_the_branches() -> None:
    d = {"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Next": "Merge", "Branches": [
            {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Result": {"a": 1}, "End": True}}},
            {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "Result": {"b": "x"}, "Next": "B3"},
                                         "B3": {"Type": "Succeed"}}}]},
        "Merge": {"Type": "Pass", "Parameters": {"a.$": "$[0].a", "c.$": "$[1].c"}, "End": True}}}
    assert [(code, message) for code, _s, _l, _c, _el, _ec, message in _asl7(d)] == [
        ("ASL705", "Parameters.c.$ reads '$[1].c', which is never present here (no state upstream sets it): the"
                   " state always fails with States.Runtime; read a path that exists")]
    assert run_execution(d)["error"] == "States.Runtime"


def test_placeholder_paths_are_unknown() -> None:
    d = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"a": 1}, "Next": "Put"},
        "Put": {"Type": "Pass", "Result": 2, "ResultPath": "$.${Key}", "Next": "Use"},
        "Use": {"Type": "Pass", "Parameters": {"v.$": "$.b"}, "End": True}}}
    assert _asl7(d) == []


def test_map_items_known_upstream() -> None:
    d = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": [{"a": 1}, {"b": 2}], "Next": "M"},
        "M": {"Type": "Map", "End": True, "ItemProcessor": {"StartAt": "Use", "States": {
            "Use": {"Type": "Pass", "Parameters": {"a.$": "$.a", "c.$": "$.c"}, "End": True}}}}}}
    got = [(code, severity, message) for code, severity, _l, _c, _el, _ec, message in _asl7(d)]
    assert got == [
        ("ASL705", "warning", "Parameters.a.$ reads '$.a', which is absent in some of the data reaching this state:"
                              " the state then fails with States.Runtime; set it on every path or guard it with a"
                              " Choice IsPresent test"),
        ("ASL705", "error", "Parameters.c.$ reads '$.c', which is never present here (no state upstream sets it):"
                            " the state always fails with States.Runtime; read a path that exists")]
    assert run_execution(d)["error"] == "States.Runtime"


def test_counterexamples_are_deterministic() -> None:
    d = _choice([{"Variable": "$.a.b", "StringMatches": "x*"}, {"Variable": "$.n", "NumericLessThan": 3}],
                default=False)
    first = findings(lint(d), "ASL703")
    lint(_choice([{"Variable": "$.z", "StringEquals": "q"}], default=False))  # other solving in between
    assert findings(lint(d), "ASL703") == first
    code = ("import json, sys; from tests.helpers import lint, findings;"
            "print(findings(lint(json.loads(sys.argv[1])), 'ASL703'))")
    outputs = {subprocess.run([sys.executable, "-c", code, json.dumps(d)], capture_output=True, text=True,
                              check=True, env={"PYTHONHASHSEED": seed, "PATH": ""}, cwd=PROJECT_ROOT).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1 and str(first) in outputs.pop()


def test_upstream_choice_conditions_are_known_downstream() -> None:
    chained = {"StartAt": "First", "States": {
        "First": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Second"}],
                  "Default": "Done"},
        "Second": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Done"},
                                                 {"Variable": "$.n", "NumericLessThan": 3, "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}}
    # Only n > 10 reaches Second: its first rule always matches, so no ASL703, and the second never does.
    assert [(c, m) for c, _s, _l, _co, _el, _ec, m in _asl7(chained)] == [
        ("ASL701", "Choices[1] can never match: no input satisfies it (given what earlier states produce); fix or"
                   " remove it")]
    jsonata = {"QueryLanguage": "JSONata", "StartAt": "First", "States": {
        "First": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.s = 'COMPLETED' %}",
                                                 "Next": "Second"}], "Default": "Done"},
        "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Second"},
        "Second": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.s = 'COMPLETED' %}",
                                                  "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}}
    assert _asl7(jsonata) == []


def test_writes_keep_only_the_facts_they_do_not_touch() -> None:
    d = {"StartAt": "First", "States": {
        "First": {"Type": "Choice", "Choices": [{"Variable": "$.s", "StringEquals": "OK", "Next": "Call"}],
                  "Default": "Done"},
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.s", "Next": "Second"},
        "Second": {"Type": "Choice", "Choices": [{"Variable": "$.s", "StringEquals": "OK", "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}}
    # The Task overwrote $.s: Second can see anything there again.
    assert [c for c, *_ in _asl7(d)] == ["ASL703"]


def test_values_a_branch_allows_survive_copies() -> None:
    d = {"StartAt": "C1", "States": {
        "C1": {"Type": "Choice", "Choices": [{"Or": [{"Variable": "$.s", "StringEquals": "A"},
                                                     {"Variable": "$.s", "StringEquals": "B"}], "Next": "Copy"}],
               "Default": "Done"},
        "Copy": {"Type": "Pass", "Parameters": {"kind.$": "$.s"}, "Next": "C2"},
        "C2": {"Type": "Choice", "Choices": [{"Variable": "$.kind", "StringEquals": "A", "Next": "Done"},
                                             {"Variable": "$.kind", "StringEquals": "B", "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}}
    assert _asl7(d) == []


def test_706_names_the_value_that_is_no_object() -> None:
    d = {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"a": "text"}, "Next": "Put"},
        "Put": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": True}}}
    assert [m for c, *_, m in _asl7(d)] == [
        "ResultPath '$.a.b' cannot be applied: '$.a' is always a string here, so the state fails with"
        " States.ResultPathMatchFailure; write into an object"]
    assert run_execution(d)["error"] == "States.ResultPathMatchFailure"
