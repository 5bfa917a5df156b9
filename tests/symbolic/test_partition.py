"""symbolic/partition.py proves ASL701/ASL702 and a cleared ASL703 without z3: its verdicts must be
exactly the solver's (the finding, its message and the earlier rules it names) whenever it gives one."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl_lint.symbolic import fast, partition
from asl_lint.symbolic.domain import AVal, Bounds, Guard, Member, of_value, typed
from asl_lint.symbolic.fast import Verdict
from tests.helpers import lint
from tests.symbolic.test_fast import analyse, assert_same_as_solver
from tests.symbolic.test_fast import effective as common_effective

PATHS = ["$.a", "$.b.c", "$.b", "$.d[0]", "$.d[1].e", "$"]
STRINGS = ["", "a", "b", "~"]
NUMBERS = [0, 1, -1, 2.5, 0.5, 3]
FRAGMENT = ["StringEquals", "StringMatches", "NumericEquals", "NumericLessThan", "NumericGreaterThan",
            "NumericLessThanEquals", "NumericGreaterThanEquals", "BooleanEquals", "IsPresent", "IsNull",
            "IsString", "IsNumeric", "IsBoolean"]


@st.composite
def comparison(draw: Any, paths: list[str]) -> dict[str, Any]:
    operator = draw(st.sampled_from(FRAGMENT))
    if operator.startswith(("Is", "Boolean")):
        operand: Any = draw(st.booleans())
    elif operator.startswith("Numeric"):
        operand = draw(st.sampled_from(NUMBERS))
    else:
        operand = draw(st.sampled_from(STRINGS))
    return {"Variable": draw(st.sampled_from(paths)), operator: operand}


@st.composite
def rule(draw: Any, paths: list[str], depth: int = 2) -> dict[str, Any]:
    kind = draw(st.sampled_from(["plain", "plain", "plain", "or", "and", "not"] if depth else ["plain"]))
    if kind == "plain":
        return draw(comparison(paths))
    if kind == "not":
        return {"Not": draw(rule(paths, depth - 1))}
    members = draw(st.lists(rule(paths, depth - 1), min_size=1, max_size=3))
    return {"Or" if kind == "or" else "And": members}


@st.composite
def effective(draw: Any, paths: list[str]) -> AVal | None:
    """test_fast's kinds of incoming data (none, any, an object, constants, a closed object, a
    guard), and what this proof reads besides: options, numeric bounds, guards in the fragment."""
    kind = draw(st.sampled_from(["common", "common", "common", "common", "options", "bounds", "guarded"]))
    if kind == "common":
        return draw(common_effective())
    if kind == "options":
        options = tuple(draw(st.lists(st.sampled_from(["a", "b", 1, 3, True]), min_size=1, max_size=3, unique=True)))
        return AVal(frozenset({"object"}), members={"a": Member("yes", AVal(options=options))})
    if kind == "bounds":
        low, high = sorted(draw(st.lists(st.sampled_from(NUMBERS), min_size=2, max_size=2)))
        bounds = Bounds(low, draw(st.booleans()), high, draw(st.booleans()))
        return AVal(frozenset({"object"}), members={"a": Member("yes", AVal(bounds=bounds))})
    guards = tuple(Guard(i, draw(st.booleans()), draw(rule(paths, 1)), paths=()) for i in range(draw(st.integers(1, 2))))
    return AVal(frozenset({"object"}), guards=guards)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_same_findings_as_the_solver(data: Any) -> None:
    assert_same_as_solver(data, PATHS, rule, effective)


A_IS_X: dict[str, Any] = {"Variable": "$.a", "StringEquals": "x"}


@pytest.mark.parametrize(("rules", "default", "value", "verdicts"), [
    # Real workflows: a flag an earlier Pass state set to true, compared with false.
    ([{"Variable": "$.ok", "BooleanEquals": True}, {"Variable": "$.ok", "BooleanEquals": False}], True,
     of_value({"ok": True}), [Verdict("ASL701", 1)]),
    # "Not completed" first takes every "failed" (its one earlier rule names it).
    ([{"Not": {"Variable": "$.s", "StringEquals": "completed"}}, {"Variable": "$.s", "StringEquals": "failed"}],
     True, None, [Verdict("ASL702", 1, (0,))]),
    # No Default, but an upstream Choice established the status: every input matches a rule.
    ([{"Not": {"Variable": "$.n", "NumericEquals": 0}}, {"Variable": "$.s", "StringEquals": "DONE"}], False,
     AVal(frozenset({"object"}), guards=(Guard(1, True, {"Variable": "$.s", "StringEquals": "DONE"}),)), []),
    # A number strictly between two constants is a class of its own.
    ([{"Variable": "$.n", "NumericLessThan": 1}, {"Variable": "$.n", "NumericGreaterThan": 2},
      {"Variable": "$.n", "IsNumeric": True}], True, of_value({"n": 1.5}), [Verdict("ASL701", 0), Verdict("ASL701", 1)]),
    # Only a number strictly between 0 and 1 reaches the third rule.
    ([{"Variable": "$.n", "NumericLessThanEquals": 0}, {"Variable": "$.n", "NumericGreaterThanEquals": 1},
      {"Variable": "$.n", "IsNumeric": True}], True, None, []),
    ([A_IS_X], True, of_value({"a": "y"}), [Verdict("ASL701", 0)]),
    ([A_IS_X, {"Variable": "$.a", "IsPresent": True}], True, typed("object"), []),
])
def test_proofs_without_the_solver(rules: list[dict[str, Any]], default: bool, value: AVal | None,
                                   verdicts: list[Verdict]) -> None:
    assert partition.decide(rules, value, default) == verdicts
    assert analyse(rules, default, value, True) == analyse(rules, default, value, False)


@pytest.mark.parametrize(("rules", "value"), [
    # Two earlier rules take the third's inputs, either of them alone: which z3's core names is z3's.
    ([A_IS_X, A_IS_X, A_IS_X], None),
    # Operators outside the fragment, and a guard outside it.
    ([{"Variable": "$.a", "StringLessThan": "x"}, A_IS_X], None),
    ([{"Variable": "$.a", "StringMatches": "x*"}, A_IS_X], None),
    ([{"Variable": "$.a", "NumericEqualsPath": "$.b"}], None),
    ([A_IS_X], AVal(frozenset({"object"}), guards=(Guard(1, True, {"Variable": "$.a", "IsTimestamp": True}),))),
    # No float strictly between two constants (z3's reals have one).
    ([{"Variable": "$.n", "NumericGreaterThan": 1.0}, {"Variable": "$.n", "NumericLessThan": 1.0000000000000002}], None),
    # Two items of one array: z3 lets the second be there without the first (so the second rule
    # can be taken), which no JSON array does.
    ([{"Variable": "$.d[0]", "IsPresent": True}, {"Variable": "$.d[1].e", "StringEquals": ""}], None),
    # A malformed rule: the encoding's fresh variables, not the evaluator's error.
    ([{"Variable": "$.a", "StringEquals": 1}], None), ([{"And": []}], None),
])
def test_what_it_cannot_prove_is_left_to_the_solver(rules: list[dict[str, Any]], value: AVal | None) -> None:
    assert partition.decide(rules, value, True) is None


def test_inputs_that_match_no_rule_need_the_solvers_example() -> None:
    # Several numbers compared for equality: z3's pick for "none of them" is not predictable.
    rules: list[dict[str, Any]] = [{"Variable": "$.x", "NumericEquals": n} for n in (0, 1, 2)]
    assert partition.decide(rules, None, False) is None
    # One string: z3 gives "", as fast.solver_counterexample knows; the proof reports it with ASL702.
    rules = [A_IS_X, A_IS_X]
    assert partition.decide(rules, None, False) == [Verdict("ASL702", 1, (0,)), Verdict("ASL703", witness={"a": ""})]
    assert analyse(rules, False, None, True) == analyse(rules, False, None, False)


def test_too_much_work_is_left_to_the_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [{"Variable": f"$.p{i}", "StringEquals": "x"} for i in range(3)] + [A_IS_X]
    assert partition.decide(rules, None, True) == []
    # 3 classes a path (absent, "x", another string): 81 inputs with the root an object, 1 without.
    monkeypatch.setattr(partition, "MAX_EVALUATIONS", 82 * 4)
    assert partition.decide(rules, None, True) == []
    monkeypatch.setattr(partition, "MAX_EVALUATIONS", 82 * 4 - 1)
    assert partition.decide(rules, None, True) is None


def test_integers_beyond_any_float_are_compared_exactly() -> None:
    # JSON integers have no limit; a float cannot hold this one (the search and the proof crashed
    # the check with an OverflowError, an ASL901). The search tries its whole neighbours; the proof
    # leaves it to the solver, which compares exactly.
    big = 10**400
    rules: list[dict[str, Any]] = [{"Variable": "$.x", "NumericGreaterThan": big},
                                   {"Variable": "$.x", "NumericGreaterThan": big + 2}]
    assert partition.decide(rules, None, False) is None
    assert fast.decide(False, True, [{"Variable": "$.x", "NumericEquals": big}], None) == []
    definition = {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [dict(r, Next="E") for r in rules]},
                                             "E": {"Type": "Succeed"}}}
    assert [(d.code, d.line, d.column, d.end_line, d.end_column, d.message) for d in lint(definition)] == [
        ("ASL703", 6, 7, 6, 16, "Choice state 'C' has no Default and some inputs match no rule, e.g. the input"
         ' {"x":0}: the execution then fails with States.NoChoiceMatched; add a Default (or a rule for that case)'),
        ("ASL702", 12, 9, 16, 10, "Choices[1] is never taken: every input it matches is taken by an earlier rule"
         " (Choices[0]) or fails in one; reorder the rules or remove it")]
