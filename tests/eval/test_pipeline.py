"""JSONPath pipeline steps, Pass Result, Assign entry-time semantics, Wait and Fail, through executions."""

from __future__ import annotations

from asl_lint.eval import run_execution
from tests.eval.helpers import machine, run_ok


def test_input_path_parameters_result_path_output_path() -> None:
    state = {
        "Type": "Pass",
        "InputPath": "$.payload",
        "Parameters": {"data": 1, "foo.$": "$.foo"},
        "ResultPath": "$.result",
        "OutputPath": "$.result",
        "End": True,
    }
    assert run_ok(machine({"P": state}), {"payload": {"foo": "bar"}}) == {"data": 1, "foo": "bar"}


def test_result_path_merges_into_raw_input_creating_objects() -> None:
    state = {"Type": "Pass", "InputPath": "$.a", "Result": 7, "ResultPath": "$.x.y", "End": True}
    assert run_ok(machine({"P": state}), {"a": 1}) == {"a": 1, "x": {"y": 7}}


def test_null_paths() -> None:
    assert run_ok(machine({"P": {"Type": "Pass", "InputPath": None, "End": True}}), {"a": 1}) == {}
    assert run_ok(
        machine({"P": {"Type": "Pass", "Result": 1, "ResultPath": None, "End": True}}), {"a": 1}
    ) == {"a": 1}
    assert run_ok(machine({"P": {"Type": "Pass", "OutputPath": None, "End": True}}), {"a": 1}) == {}


def test_pass_result_is_never_evaluated() -> None:
    state = {"Type": "Pass", "Parameters": {"x.$": "$.a"}, "Result": {"k.$": "$.a"}, "End": True}
    assert run_ok(machine({"P": state}), {"a": 1}) == {"k.$": "$.a"}


def test_missing_input_path_is_runtime_with_aws_cause() -> None:
    result = run_execution(machine({"P": {"Type": "Pass", "InputPath": "$.nope", "End": True}}), {"a": 1})
    assert result == {
        "status": "FAILED",
        "error": "States.Runtime",
        "cause": "An error occurred while executing the state 'P' (entered at the event id #2). "
        "Invalid path '$.nope' : No results for path: $['nope']",
    }


def test_missing_parameter_path_names_the_field_and_input() -> None:
    result = run_execution(
        machine({"P": {"Type": "Pass", "Parameters": {"v.$": "$.x"}, "End": True}}), {"a": 1}
    )
    assert result["error"] == "States.Runtime"
    assert result["cause"].endswith(
        "The JSONPath '$.x' specified for the field 'v.$' could not be found in the input '{\"a\":1}'"
    )


def test_event_ids_count_previous_states() -> None:
    definition = machine(
        {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "OutputPath": "$.nope", "End": True}}
    )
    assert "(entered at the event id #4)" in run_execution(definition, {})["cause"]


def test_assign_uses_values_from_state_entry() -> None:
    definition = machine(
        {
            "Init": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
            "Swap": {
                "Type": "Pass",
                "Assign": {"x.$": "$y", "y.$": "$x"},
                "OutputPath": "$x",
                "Next": "Show",
            },
            "Show": {"Type": "Pass", "Parameters": {"x.$": "$x", "y.$": "$y"}, "End": True},
        }
    )
    assert run_ok(definition, {}) == {"x": 2, "y": 1}


def test_output_path_sees_the_variable_value_from_before_the_assign() -> None:
    definition = machine(
        {
            "Init": {"Type": "Pass", "Assign": {"answer": "old"}, "Next": "Set"},
            "Set": {"Type": "Pass", "Assign": {"answer": "new"}, "OutputPath": "$answer", "End": True},
        }
    )
    assert run_ok(definition, {}) == "old"


def test_wait_never_sleeps_and_validates_seconds_path() -> None:
    definition = machine({"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}})
    assert run_ok(definition, {"s": 30_000_000}) == {"s": 30_000_000}  # 347 days, on the virtual clock
    # Past a Standard execution's one-year maximum the execution times out.
    assert run_execution(definition, {"s": 99999999})["status"] == "TIMED_OUT"
    failed = run_execution(definition, {"s": -1})
    assert failed["cause"].endswith("The SecondsPath parameter references a negative value: $.s == -1")
    failed = run_execution(definition, {"s": 1.5})
    assert failed["cause"].endswith("The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5")


def test_wait_timestamp_path_must_be_rfc3339() -> None:
    definition = machine({"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}})
    assert run_ok(definition, {"t": "2016-03-14T01:59:00Z"}) == {"t": "2016-03-14T01:59:00Z"}
    failed = run_execution(definition, {"t": "2016-03-14T01:59:00"})
    assert failed["error"] == "States.Runtime"
    assert "does not reference a valid ISO-8601 extended offset date-time format string" in failed["cause"]


def test_fail_error_and_cause_paths() -> None:
    definition = machine({"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}})
    assert run_execution(definition, {"e": "Boom", "c": "why"}) == {
        "status": "FAILED",
        "error": "Boom",
        "cause": "why",
    }
    assert run_execution(machine({"F": {"Type": "Fail"}}), {}) == {"status": "FAILED"}


def test_choice_default_and_no_match() -> None:
    choice = {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]}
    states = {"C": choice, "One": {"Type": "Succeed"}}
    assert run_execution(machine(states), {"n": 2}) == {
        "status": "FAILED",
        "error": "States.NoChoiceMatched",
        "cause": "No Matches!",
    }
    assert run_ok(machine(states), {"n": 1}) == {"n": 1}


def test_output_over_256_kib_is_data_limit_exceeded() -> None:
    definition = machine({"Big": {"Type": "Pass", "Result": "x" * 262_144, "End": True}})
    result = run_execution(definition, {})
    assert result["error"] == "States.DataLimitExceeded"
    assert "'Big'" in result["cause"]


def test_definition_as_yaml_text() -> None:
    text = "StartAt: P\nStates:\n  P:\n    Type: Pass\n    Result: {a: 1}\n    End: true\n"
    assert run_ok(text) == {"a": 1}  # type: ignore[arg-type]


def test_malformed_state_fails_instead_of_crashing() -> None:
    definition = machine({"C": {"Type": "Choice", "Choices": 5, "Default": "C"}})
    result = run_execution(definition, {})
    assert result["status"] == "FAILED"
    assert result["error"] == "AslLint.InvalidDefinition"


def test_invalid_jsonpath_fails_the_state() -> None:
    definition = machine({"P": {"Type": "Pass", "InputPath": "$..x[?(@.a==", "End": True}})
    result = run_execution(definition, {})
    assert result["error"] == "States.Runtime"
    assert result["cause"].startswith("Invalid JSONPath '$..x[?(@.a==': ")
    # ResultPath too (written, not read: it crashed the run before)
    result = run_execution(machine({"P": {"Type": "Pass", "ResultPath": "x", "End": True}}), {})
    assert (result["error"], result["cause"]) == ("States.Runtime", "Invalid JSONPath 'x': A JSONPath must begin with '$'")


def test_jsonpath_assign_in_a_task_reads_the_raw_result() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "ResultSelector": {"picked.$": "$.Payload"},
        "Assign": {"status.$": "$.StatusCode"},
        "Next": "Show",
    }
    definition = machine(
        {"T": task, "Show": {"Type": "Pass", "Parameters": {"s.$": "$status", "o.$": "$"}, "End": True}}
    )
    assert run_ok(definition, {}, mocks={"T": {"Payload": 1, "StatusCode": 200}}) == {
        "s": 200,
        "o": {"picked": 1},
    }
