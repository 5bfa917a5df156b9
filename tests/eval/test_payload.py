"""Payload templates: .$ keys with paths, context, variables and intrinsics; JSONata templates."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from asl_lint.eval import run_execution
from asl_lint.eval.choice import compare
from tests.eval.helpers import machine, run_ok


def test_template_reads_input_context_variables_and_intrinsics() -> None:
    definition = machine(
        {
            "Init": {"Type": "Pass", "Assign": {"who": "world"}, "Next": "Build"},
            "Build": {
                "Type": "Pass",
                "Parameters": {
                    "literal": {"nested": [1, {"k.$": "$.a"}]},
                    "greeting.$": "States.Format('hello {}', $who)",
                    "state.$": "$$.State.Name",
                    "items.$": "States.Array($.a, $.b)",
                    "count.$": "States.ArrayLength($.list)",
                },
                "End": True,
            },
        }
    )
    assert run_ok(definition, {"a": 1, "b": "x", "list": [1, 2, 3]}) == {
        "literal": {"nested": [1, {"k": 1}]},
        "greeting": "hello world",
        "state": "Build",
        "items": [1, "x"],
        "count": 3,
    }


def test_indefinite_paths_yield_lists() -> None:
    definition = machine({"P": {"Type": "Pass", "Parameters": {"names.$": "$.people[*].name"}, "End": True}})
    assert run_ok(definition, {"people": [{"name": "a"}, {"name": "b"}]}) == {"names": ["a", "b"]}


def test_intrinsic_failure_is_states_intrinsic_failure_style_error() -> None:
    definition = machine(
        {"P": {"Type": "Pass", "Parameters": {"x.$": "States.StringToJson($.s)"}, "End": True}}
    )
    result = run_execution(definition, {"s": "{not json"})
    assert result["status"] == "FAILED"
    assert result["error"] == "States.IntrinsicFailure"
    assert result["cause"].startswith(
        "An error occurred while executing the state 'P' (entered at the event id #2)."
    )


def test_jsonata_template_in_arrays_and_objects() -> None:
    definition = machine(
        {
            "P": {
                "Type": "Pass",
                "Output": {"list": ["{% 1 + 1 %}", {"v": "{% $states.input.v %}"}]},
                "End": True,
            }
        },
        QueryLanguage="JSONata",
    )
    assert run_ok(definition, {"v": [1]}) == {"list": [2, {"v": [1]}]}


@given(
    st.text(alphabet=string.ascii_letters + ".-", max_size=12),
    st.text(alphabet=string.ascii_letters, max_size=12),
)
def test_string_matches_without_wildcards_is_equality(value: str, pattern: str) -> None:
    assert compare("StringMatches", value, pattern) is (value == pattern)


@given(st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False), st.integers(-5, 5))
def test_numeric_comparators_agree_with_python(value: float, operand: int) -> None:
    assert compare("NumericLessThan", value, operand) is (value < operand)
    assert compare("NumericGreaterThanEquals", value, operand) is (value >= operand)
    assert compare("NumericEquals", value, operand) is (value == operand)
