"""TestState: request validation, response shapes, inspection data per state type, context, secrets."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asl_lint.eval import TestStateRequestError
from asl_lint.eval import test_state as offline_test_state

LAMBDA = "arn:aws:states:::lambda:invoke"


def _error(**kwargs: Any) -> tuple[str, str]:
    with pytest.raises(TestStateRequestError) as info:
        offline_test_state(**kwargs)
    return info.value.code, info.value.message


def test_choice_info_response() -> None:
    definition = {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$.number", "NumericEquals": 1, "Next": "Equals 1"},
            {"Variable": "$.number", "NumericEquals": 2, "Next": "Equals 2"},
        ],
        "Default": "No Match",
    }
    assert offline_test_state(definition, {"number": 2}) == {
        "status": "SUCCEEDED",
        "output": '{"number":2}',
        "nextState": "Equals 2",
    }


def test_pass_debug_inspection_data() -> None:
    definition = {
        "Type": "Pass",
        "InputPath": "$.payload",
        "Parameters": {"data": 1},
        "ResultPath": "$.result",
        "OutputPath": "$.result.data",
        "Next": "Another State",
    }
    response = offline_test_state(definition, {"payload": {"foo": "bar"}}, inspection_level="DEBUG")
    assert response == {
        "status": "SUCCEEDED",
        "output": "1",
        "nextState": "Another State",
        "inspectionData": {
            "input": '{"payload":{"foo":"bar"}}',
            "afterInputPath": '{"foo":"bar"}',
            "afterParameters": '{"data":1}',
            "afterResultSelector": '{"data":1}',
            "afterResultPath": '{"payload":{"foo":"bar"},"result":{"data":1}}',
        },
    }


def test_pass_with_result_skips_input_path_and_parameters_in_inspection() -> None:
    definition = {"Type": "Pass", "InputPath": "$.a", "Parameters": {"x": 1}, "Result": {"r": 1}, "End": True}
    data = offline_test_state(definition, {"a": 1}, inspection_level="TRACE")["inspectionData"]
    assert sorted(data) == ["afterResultPath", "afterResultSelector", "input", "result"]


def test_fail_state_response() -> None:
    definition = {"Type": "Fail", "Error": "SomeFailure", "Cause": "because"}
    assert offline_test_state(definition) == {"status": "FAILED", "error": "SomeFailure", "cause": "because"}


def test_state_name_picks_a_nested_state_and_uses_the_machine_query_language() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Item",
                    "States": {"Item": {"Type": "Pass", "Result": 3, "End": True}},
                },
                "End": True,
            }
        },
    }
    assert offline_test_state(definition, {}, state_name="Item") == {"status": "SUCCEEDED", "output": "3"}
    assert _error(definition=definition, state_name="Nope") == (
        "ValidationException",
        "State not found in definition",
    )


def test_invalid_sibling_state_is_rejected() -> None:
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}, "B": {"Type": "Nope"}}}
    code, message = _error(definition=definition, state_name="A")
    assert code == "InvalidDefinition"
    assert message.endswith(
        "should have one of these values: "
        "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/B/Type'"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"definition": {"Type": "Pass", "End": True}, "mock": {"result": "1"}},
            "State type 'Pass' is not supported when a mock is specified",
        ),
        (
            {
                "definition": {"Type": "Task", "Resource": LAMBDA, "End": True},
                "mock": {"result": "1", "errorOutput": {}},
            },
            "A test mock should have only one of the following fields: [result, errorOutput].",
        ),
        (
            {"definition": {"Type": "Task", "Resource": LAMBDA, "End": True}, "mock": {"result": "{"}},
            "Mocked result must be valid JSON",
        ),
        (
            {
                "definition": {"Type": "Task", "Resource": LAMBDA, "End": True},
                "mock": {"result": "1"},
                "reveal_secrets": True,
            },
            "TestState does not support RevealSecrets when a mock is specified.",
        ),
        (
            {"definition": {"Type": "Task", "Resource": LAMBDA, "End": True}},
            "RoleArn must be specified when testing a Task state",
        ),
        (
            {
                "definition": {
                    "Type": "Parallel",
                    "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}],
                    "End": True,
                },
                "mock": {"result": "[1, 2]"},
            },
            "Mocked result must contain the same number of items as number of Parallel branches.",
        ),
        (
            {
                "definition": {"Type": "Task", "Resource": LAMBDA, "End": True},
                "mock": {"result": '{"StatusCode": "200"}'},
            },
            "Mock result schema validation error: Field 'StatusCode' must be a number",
        ),
        (
            {"definition": {"Type": "Pass", "End": True}, "mock": {"result": "1"}, "context": {"Map": {}}},
            "State type 'Pass' is not supported when a mock is specified",
        ),
        (
            {
                "definition": {"Type": "Task", "Resource": LAMBDA, "End": True},
                "mock": {"result": "{}"},
                "context": {"Task": {"Token": "t"}},
            },
            "Invalid Context object provided: Context object contains 'Task' when state is not a Task "
            "state with a '.sync' or '.waitForTaskToken' service integration pattern",
        ),
    ],
)
def test_validation_exceptions(kwargs: dict[str, Any], message: str) -> None:
    assert _error(**kwargs) == ("ValidationException", message)


def test_map_without_mock_is_invalid_definition() -> None:
    definition = {
        "Type": "Map",
        "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}},
        "End": True,
    }
    code, message = _error(definition=definition)
    assert code == "InvalidDefinition"
    assert message.startswith("TestState API does not support Map or Parallel states.")


def test_field_validation_mode_none_accepts_anything() -> None:
    definition = {"Type": "Task", "Resource": LAMBDA, "End": True}
    mock = {"result": '{"StatusCode": "200"}', "fieldValidationMode": "NONE"}
    assert json.loads(offline_test_state(definition, {}, mock=mock)["output"]) == {"StatusCode": "200"}


def test_mocked_map_reports_concurrency_and_tolerance() -> None:
    definition = {
        "Type": "Map",
        "ItemsPath": "$.v",
        "MaxConcurrency": 2,
        "ToleratedFailureCount": 1,
        "ItemProcessor": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}},
        "End": True,
    }
    response = offline_test_state(
        definition,
        {"v": [1, 2, 3]},
        mock={"result": "[1, 1, 1]"},
        inspection_level="DEBUG",
        state_configuration={"mapIterationFailureCount": 2},
    )
    assert response["status"] == "FAILED"
    assert response["error"] == "States.ExceedToleratedFailureThreshold"
    assert response["inspectionData"] == {
        "input": '{"v":[1,2,3]}',
        "afterInputPath": '{"v":[1,2,3]}',
        "afterItemsPath": "[1,2,3]",
        "maxConcurrency": 2,
        "toleratedFailureCount": 1,
    }


def test_given_context_replaces_the_synthetic_one() -> None:
    definition = {"Type": "Task", "Resource": LAMBDA, "ResultSelector": {"ctx.$": "$$"}, "End": True}
    context = {"Execution": {"Name": "n"}}
    response = offline_test_state(definition, {}, mock={"result": "{}"}, context=context)
    assert json.loads(response["output"]) == {"ctx": context}


def test_synthetic_context_names_the_state_statename() -> None:
    response = offline_test_state({"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}, {"a": 1})
    context = json.loads(response["output"])["c"]
    assert context["State"]["Name"] == "StateName"
    assert context["Execution"]["Id"].startswith("arn:aws:states:us-east-1:123456789012:express:")
    assert context["Execution"]["RoleArn"] is None
    assert context["Execution"]["Input"] == {"a": 1}
    assert "RetryCount" not in context["State"]


def test_variables_are_visible_and_reported() -> None:
    definition = {"Type": "Pass", "Parameters": {"v.$": "$x"}, "Assign": {"y": 2}, "End": True}
    response = offline_test_state(definition, {}, variables={"x": 1}, inspection_level="DEBUG")
    assert json.loads(response["output"]) == {"v": 1}
    assert json.loads(response["inspectionData"]["variables"]) == {"x": 1, "y": 2}


def test_definition_text_is_accepted() -> None:
    assert offline_test_state('{"Type": "Succeed"}', {"a": 1}) == {"status": "SUCCEEDED", "output": '{"a":1}'}
