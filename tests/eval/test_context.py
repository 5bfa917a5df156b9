"""The Context object executions and TestState make up."""

from __future__ import annotations

from asl_lint.eval.context import execution_context, state_context, with_map_item
from tests.eval.helpers import machine, run_ok


def test_execution_context_shape() -> None:
    ctx = execution_context({"a": 1}, role_arn="arn:aws:iam::123456789012:role/r", name="run-1")
    assert ctx["Execution"] == {
        "Id": "arn:aws:states:us-east-1:123456789012:execution:asl-lint-offline:run-1",
        "Input": {"a": 1},
        "Name": "run-1",
        "RoleArn": "arn:aws:iam::123456789012:role/r",
        "StartTime": ctx["Execution"]["StartTime"],
        "RedriveCount": 0,
    }
    assert ctx["Execution"]["StartTime"].endswith("Z")
    assert ctx["StateMachine"]["Name"] == "asl-lint-offline"


def test_express_context_has_no_redrive_count() -> None:
    ctx = execution_context({}, express=True, name="n")
    assert ctx["Execution"]["Id"].endswith(":express:asl-lint-offline:n")
    assert "RedriveCount" not in ctx["Execution"]


def test_state_and_map_item_parts() -> None:
    ctx = state_context({"Execution": {}}, "S", "2024-01-01T00:00:00.000Z", retry_count=2)
    assert ctx["State"] == {"Name": "S", "EnteredTime": "2024-01-01T00:00:00.000Z", "RetryCount": 2}
    assert with_map_item(ctx, 3, "v")["Map"] == {"Item": {"Index": 3, "Value": "v"}}
    assert "Map" not in ctx


def test_context_in_an_execution() -> None:
    definition = machine(
        {
            "Read": {
                "Type": "Pass",
                "Parameters": {
                    "name.$": "$$.State.Name",
                    "input.$": "$$.Execution.Input",
                    "state.$": "$$.State",
                },
                "End": True,
            }
        }
    )
    out = run_ok(definition, {"k": 1})
    assert out["name"] == "Read"
    assert out["input"] == {"k": 1}
    assert "RetryCount" not in out["state"]  # Pass states show no RetryCount


def test_task_context_has_retry_count() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "ResultSelector": {"n.$": "$$.State.RetryCount"},
        "End": True,
    }
    assert run_ok(machine({"T": task}), {}, mocks={"T": {}}) == {"n": 0}


def test_wait_for_task_token_tasks_get_a_token() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"token.$": "$$.Task.Token"},
        "ResultPath": "$.sent",
        "End": True,
    }
    # The mock stands for what SendTaskSuccess would return; the token was in the request.
    out = run_ok(machine({"T": task}), {}, mocks={"T": {"done": True}})
    assert out == {"sent": {"done": True}}
    echo = dict(task, ResultSelector={"token.$": "$$.Task.Token"})
    token = run_ok(machine({"T": echo}), {}, mocks={"T": {}})["sent"]["token"]
    assert token.startswith("AslLintTaskToken-")
