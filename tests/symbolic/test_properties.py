"""Property tests: on random Choice states (and a constant Pass before them) and random inputs,
no claim of ASL701/ASL702/ASL703 contradicts the concrete evaluator. (Whether ASL703 is *found*
depends on the solver's time budget, so only its counterexample is checked.)"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl_lint.symbolic.witness import jsonpath_outcome
from tests.helpers import lint

FIELDS = ["a", "b", "c"]
STRINGS = st.sampled_from(["", "A", "AB", "b", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00+01:00", "x*"])
NUMBERS = st.sampled_from([-1, 0, 1, 1.5, 10, 2 ** 40])
SCALARS = st.one_of(STRINGS, NUMBERS, st.booleans(), st.none())
OPS = ["StringEquals", "StringLessThan", "StringGreaterThanEquals", "StringMatches", "NumericEquals",
       "NumericLessThan", "NumericGreaterThan", "BooleanEquals", "TimestampLessThan", "TimestampEquals",
       "IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp", "IsPresent"]


@st.composite
def leaf(draw: Any) -> dict[str, Any]:
    op = draw(st.sampled_from([*OPS, "NumericEqualsPath", "StringEqualsPath"]))
    variable = "$." + draw(st.sampled_from(FIELDS))
    if op.startswith("Is"):
        return {"Variable": variable, op: draw(st.booleans())}
    if op.endswith("Path"):
        return {"Variable": variable, op: "$." + draw(st.sampled_from(FIELDS))}
    if op.startswith(("String", "Timestamp")):
        return {"Variable": variable, op: draw(STRINGS)}
    if op.startswith("Numeric"):
        return {"Variable": variable, op: draw(NUMBERS)}
    return {"Variable": variable, op: draw(st.booleans())}


def rule(depth: int = 2) -> Any:
    if depth == 0:
        return leaf()
    inner = rule(depth - 1)
    return st.one_of(leaf(), st.builds(lambda r: {"Not": r}, inner),
                     st.lists(inner, min_size=1, max_size=3).map(lambda rs: {"And": rs}),
                     st.lists(inner, min_size=1, max_size=3).map(lambda rs: {"Or": rs}))


INPUTS = st.dictionaries(st.sampled_from(FIELDS), SCALARS, max_size=3)


@st.composite
def machines(draw: Any) -> dict[str, Any]:
    rules = draw(st.lists(rule(), min_size=1, max_size=4))
    choice: dict[str, Any] = {"Type": "Choice", "Choices": [dict(r, Next="End") for r in rules]}
    if draw(st.booleans()):
        choice["Default"] = "End"
    states: dict[str, Any] = {"R": choice, "End": {"Type": "Succeed"}}
    start = "R"
    if draw(st.booleans()):
        states["Init"] = {"Type": "Pass", "Result": draw(INPUTS), "Next": "R"}
        start = "Init"
    return {"StartAt": start, "States": states}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(machines(), st.lists(INPUTS, min_size=1, max_size=6))
def test_choice_claims_agree_with_the_evaluator(machine: dict[str, Any], inputs: list[dict[str, Any]]) -> None:
    diags = [d for d in lint(machine) if d.code in ("ASL701", "ASL702", "ASL703")]
    dead = {d.pointer for d in diags if d.code in ("ASL701", "ASL702")}
    for d in diags:
        if d.code == "ASL703":
            witness = json.loads(re.search(r"e\.g\. the input (.*): the execution", d.message).group(1))  # type: ignore[union-attr]
            assert jsonpath_outcome(machine["States"]["R"]["Choices"], witness) is None
    choice = machine["States"]["R"]
    if "Init" in machine["States"]:
        inputs = [machine["States"]["Init"]["Result"]]
    for data in inputs:
        taken = jsonpath_outcome(choice["Choices"], data)
        if isinstance(taken, int):
            assert f"/States/R/Choices/{taken}" not in dead, (data, taken)


@st.composite
def chains(draw: Any) -> dict[str, Any]:
    """Choice C1 whose rules lead to Choice C2 (whose claims then rest on C1's conditions)."""
    first = draw(st.lists(rule(1), min_size=1, max_size=3))
    second = draw(st.lists(rule(1), min_size=1, max_size=3))
    states: dict[str, Any] = {
        "C1": {"Type": "Choice", "Choices": [dict(r, Next="C2") for r in first], "Default": "End"},
        "C2": {"Type": "Choice", "Choices": [dict(r, Next="End") for r in second]},
        "End": {"Type": "Succeed"}}
    if draw(st.booleans()):
        states["C1"]["Choices"][0]["Next"] = "Copy"
        states["Copy"] = {"Type": "Pass", "Parameters": {"a.$": "$.a", "b.$": "$.b", "c.$": "$.c"}, "Next": "C2"}
    return {"StartAt": "C1", "States": states}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains(), st.lists(st.fixed_dictionaries({f: SCALARS for f in FIELDS}), min_size=1, max_size=6))
def test_claims_resting_on_upstream_conditions_agree(machine: dict[str, Any], inputs: list[dict[str, Any]]) -> None:
    dead = {d.pointer for d in lint(machine) if d.code in ("ASL701", "ASL702")}
    states = machine["States"]
    for data in inputs:
        first = jsonpath_outcome(states["C1"]["Choices"], data)
        if not isinstance(first, int):
            continue
        taken = jsonpath_outcome(states["C2"]["Choices"], data)  # Copy keeps a, b and c as they are
        if isinstance(taken, int):
            assert f"/States/C2/Choices/{taken}" not in dead, (data, taken)
