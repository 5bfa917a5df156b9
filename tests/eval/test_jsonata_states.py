"""JSONata states: Output, Assign, Arguments, Condition, $states members, catchers and error texts."""

from __future__ import annotations

import json

from asl_lint.eval import run_execution
from asl_lint.eval import test_state as offline_test_state
from tests.eval.helpers import machine, run_ok

QL = {"QueryLanguage": "JSONata"}


def test_output_and_assign_see_entry_values() -> None:
    definition = machine(
        {
            "Init": {"Type": "Pass", "Assign": {"x": 1}, "Next": "Step"},
            "Step": {
                "Type": "Pass",
                "Assign": {"x": "{% $x + 1 %}"},
                "Output": {"seen": "{% $x %}"},
                "Next": "End",
            },
            "End": {"Type": "Pass", "Output": "{% {'before': $states.input.seen, 'now': $x} %}", "End": True},
        },
        **QL,
    )
    assert run_ok(definition, {}) == {"before": 1, "now": 2}


def test_strings_that_are_not_exactly_wrapped_stay_literal() -> None:
    definition = machine(
        {"P": {"Type": "Pass", "Output": {"a": " {% 1 %} ", "b.$": "$", "c": "{% 1 + 1 %}"}, "End": True}},
        **QL,
    )
    assert run_ok(definition, {}) == {"a": " {% 1 %} ", "b.$": "$", "c": 2}


def test_undefined_result_is_query_evaluation_error_naming_the_field() -> None:
    definition = machine(
        {"S": {"Type": "Pass", "Output": {"result": "{% $states.input.nope %}"}, "End": True}}, **QL
    )
    assert run_execution(definition, {}) == {
        "status": "FAILED",
        "error": "States.QueryEvaluationError",
        "cause": "An error occurred while executing the state 'S' (entered at the event id #2). "
        "The JSONata expression '$states.input.nope' specified for the field 'Output/result' "
        "returned nothing (undefined).",
    }


def test_condition_picks_the_first_true_rule_and_its_output() -> None:
    choice = {
        "Type": "Choice",
        "Choices": [
            {"Condition": "{% $states.input.cost < 10 %}", "Output": {"ok": True}, "Next": "Done"},
        ],
        "Default": "Done",
        "Output": {"ok": False},
    }
    definition = machine({"C": choice, "Done": {"Type": "Succeed"}}, **QL)
    assert run_ok(definition, {"cost": 9}) == {"ok": True}
    assert run_ok(definition, {"cost": 10}) == {"ok": False}


def test_task_arguments_result_and_catcher_error_output() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"Payload": "{% $states.input.n %}"},
        "Output": "{% $states.result.v * 2 %}",
        "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput.Error %}", "Next": "H"}],
        "End": True,
    }
    definition = machine({"T": task, "H": {"Type": "Pass", "End": True}}, **QL)
    assert run_ok(definition, {"n": 1}, mocks={"T": {"v": 21}}) == 42
    assert run_ok(definition, {"n": 1}, mocks={"T": {"errorOutput": {"error": "Boom"}}}) == "Boom"


def test_map_items_must_evaluate_to_an_array() -> None:
    state = {
        "Type": "Map",
        "Items": "{% $states.input.v %}",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        "End": True,
    }
    result = run_execution(machine({"M": state}, **QL), {"v": "x"})
    assert result["cause"].endswith(
        "The JSONata expression '$states.input.v' specified for the field 'Items' returned an "
        "unexpected result type. Expected 'array', but was 'string' for value: \"x\""
    )


def test_map_item_selector_sees_the_item_in_the_context() -> None:
    state = {
        "Type": "Map",
        "Items": [10, 20],
        "ItemSelector": {
            "i": "{% $states.context.Map.Item.Index %}",
            "v": "{% $states.context.Map.Item.Value %}",
        },
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        "End": True,
    }
    assert run_ok(machine({"M": state}, **QL), {}) == [{"i": 0, "v": 10}, {"i": 1, "v": 20}]


def test_wait_timestamp_must_be_iso() -> None:
    definition = machine({"W": {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}}, **QL)
    assert run_ok(definition, {"t": "2016-12-05T21:29:29Z"}) == {"t": "2016-12-05T21:29:29Z"}
    result = run_execution(definition, {"t": "2016-12-05T21:29:29"})
    assert result["cause"].endswith(
        "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "
        "2016-12-05T21:29:29"
    )


def test_test_state_jsonata_task_inspection() -> None:
    state = {
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": "arn:aws:states:::apigateway:invoke",
        "Arguments": {"cost": "{% $states.input.cost %}"},
        "Output": {"approval": "{% $states.result.approval %}"},
        "Next": "Check",
    }
    response = offline_test_state(
        state, {"cost": 10}, mock={"result": '{"approval": true}'}, inspection_level="TRACE"
    )
    assert response == {
        "status": "SUCCEEDED",
        "output": '{"approval":true}',
        "nextState": "Check",
        "inspectionData": {
            "input": '{"cost":10}',
            "afterArguments": '{"cost":10}',
            "result": '{"approval":true}',
        },
    }
    assert json.loads(response["inspectionData"]["result"]) == {"approval": True}


def test_task_timeouts_are_evaluated_and_checked() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "TimeoutSeconds": "{% $states.input.t %}",
        "End": True,
    }
    definition = machine({"T": task}, **QL)
    assert run_ok(definition, {"t": 5}, mocks={"T": 1}) == 1
    missing = run_execution(definition, {}, mocks={"T": 1})
    assert missing["error"] == "States.QueryEvaluationError"
    assert "for the field 'TimeoutSeconds' returned nothing (undefined)" in missing["cause"]
    negative = run_execution(definition, {"t": -1}, mocks={"T": 1})
    assert negative["cause"].endswith("The TimeoutSeconds field must be a positive integer but was: -1")
