"""Map (inline, distributed, tolerated failures) and Parallel in executions; hostile-input limits."""

from __future__ import annotations

from typing import Any

from asl_lint.eval import run_execution
from asl_lint.eval.runtime import Limits
from tests.eval.helpers import machine, run_ok


def _map(processor_states: dict[str, Any], **fields: Any) -> dict[str, Any]:
    processor = {"StartAt": next(iter(processor_states)), "States": processor_states}
    return machine({"M": {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}})


def test_inline_map_with_item_selector_and_context_item() -> None:
    definition = _map(
        {"Echo": {"Type": "Pass", "End": True}},
        ItemsPath="$.items",
        ItemSelector={"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
    )
    assert run_ok(definition, {"items": ["a", "b"], "tag": "t"}) == [
        {"index": 0, "value": "a", "tag": "t"},
        {"index": 1, "value": "b", "tag": "t"},
    ]


def test_map_items_must_be_an_array() -> None:
    result = run_execution(_map({"Echo": {"Type": "Pass", "End": True}}, ItemsPath="$.items"), {"items": 1})
    assert result == {
        "status": "FAILED",
        "error": "States.Runtime",
        "cause": 'Reference path "$.items" must point to array.',
    }


def test_inline_map_failure_fails_the_map() -> None:
    definition = _map({"Boom": {"Type": "Fail", "Error": "E", "Cause": "C"}})
    assert run_execution(definition, [1]) == {"status": "FAILED", "error": "E", "cause": "C"}


def test_distributed_map_tolerates_failures_up_to_the_count() -> None:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Boom"}],
                "Default": "Ok",
            },
            "Boom": {"Type": "Fail", "Error": "E"},
            "Ok": {"Type": "Pass", "End": True},
        },
    }
    tolerant = machine(
        {"M": {"Type": "Map", "ItemProcessor": processor, "ToleratedFailureCount": 1, "End": True}}
    )
    assert run_ok(tolerant, [1, 0, 2]) == [1, {"Error": "E"}, 2]
    strict = machine(
        {"M": {"Type": "Map", "ItemProcessor": processor, "ToleratedFailureCount": 0, "End": True}}
    )
    assert run_execution(strict, [1, 0]) == {
        "status": "FAILED",
        "error": "States.ExceedToleratedFailureThreshold",
        "cause": "The specified tolerated failure threshold was exceeded",
    }


def test_map_iterations_read_but_do_not_leak_variables() -> None:
    definition = machine(
        {
            "Init": {"Type": "Pass", "Assign": {"outer": 10}, "Next": "M"},
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Use",
                    "States": {
                        "Use": {
                            "Type": "Pass",
                            "Parameters": {"v.$": "$outer"},
                            "Assign": {"inner": 1},
                            "End": True,
                        }
                    },
                },
                "Next": "Show",
            },
            "Show": {"Type": "Pass", "Parameters": {"seen.$": "$"}, "End": True},
        }
    )
    assert run_ok(definition, [1, 2]) == {"seen": [{"v": 10}, {"v": 10}]}


def test_parallel_runs_branches_in_order_and_propagates_errors() -> None:
    branch = lambda result: {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": result, "End": True}}}  # noqa: E731
    definition = machine({"P": {"Type": "Parallel", "Branches": [branch(1), branch(2)], "End": True}})
    assert run_ok(definition, {}) == [1, 2]
    failing = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "BranchError"}}}
    definition = machine({"P": {"Type": "Parallel", "Branches": [branch(1), failing], "End": True}})
    assert run_execution(definition, {}) == {"status": "FAILED", "error": "BranchError"}


def test_infinite_loop_hits_the_transition_limit() -> None:
    definition = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}})
    result = run_execution(definition, {}, limits=Limits(max_transitions=100))
    assert result["status"] == "FAILED"
    assert result["error"] == "AslLint.LimitExceeded"
    assert "100 state transitions" in result["cause"]


def test_map_item_cap() -> None:
    definition = _map({"Echo": {"Type": "Pass", "End": True}})
    result = run_execution(definition, list(range(11)), limits=Limits(max_map_items=10))
    assert result["error"] == "AslLint.LimitExceeded"


def test_retry_loop_is_bounded_by_the_transition_limit() -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        # BackoffRate 1: with the default 2.0 the virtual clock would pass the year a Standard
        # execution may last (TIMED_OUT) before the transition limit is reached.
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "BackoffRate": 1}],
        "End": True,
    }
    result = run_execution(
        machine({"T": task}),
        {},
        mocks={"T": {"errorOutput": {"error": "E"}}},
        limits=Limits(max_transitions=50),
    )
    assert result["error"] == "AslLint.LimitExceeded"


def test_item_batcher_groups_items_with_batch_input() -> None:
    definition = _map(
        {"Echo": {"Type": "Pass", "End": True}},
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"tag.$": "$.tag"}},
        ItemsPath="$.items",
    )
    assert run_ok(definition, {"items": [1, 2, 3], "tag": "t"}) == [
        {"Items": [1, 2], "BatchInput": {"tag": "t"}},
        {"Items": [3], "BatchInput": {"tag": "t"}},
    ]


def test_mocked_map_and_parallel_are_not_run() -> None:
    definition = _map({"Boom": {"Type": "Fail", "Error": "E"}})
    assert run_ok(definition, [1, 2], mocks={"M": {"result": "[10, 20]"}}) == [10, 20]
    failing = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}
    parallel = machine({"P": {"Type": "Parallel", "Branches": [failing], "End": True}})
    assert run_ok(parallel, {}, mocks={"P": [{"ok": 1}]}) == [{"ok": 1}]
    assert run_execution(parallel, {}, mocks={"P": {"errorOutput": {"error": "X", "cause": "Y"}}}) == {
        "status": "FAILED",
        "error": "X",
        "cause": "Y",
    }


def test_map_number_fields_are_checked() -> None:
    echo = {"Echo": {"Type": "Pass", "End": True}}
    result = run_execution(_map(echo, MaxConcurrencyPath="$.c", ItemsPath="$.i"), {"c": "x", "i": [1]})
    assert result["cause"].endswith(
        'The MaxConcurrencyPath field refers to value "x" which is not a valid integer: $.c'
    )
    assert run_ok(_map(echo, MaxConcurrencyPath="$.c", ItemsPath="$.i"), {"c": "2", "i": [1]}) == [1]
    jsonata = _map(echo, Items=[1], MaxConcurrency="{% 'many' %}", QueryLanguage="JSONata")
    result = run_execution(jsonata, {})
    assert result["error"] == "States.QueryEvaluationError"
    assert result["cause"].endswith('The MaxConcurrency field must be a number but was: "many"')
    negative = run_execution(_map(echo, ToleratedFailureCount=-1), [1])
    assert negative["cause"].endswith("ToleratedFailureCount cannot be negative.")


def test_deeply_nested_input_is_a_limit_not_a_crash() -> None:
    nested: list[Any] = []
    for _ in range(100_000):  # deeper than any recursion limit a test runner may have set
        nested = [nested]
    result = run_execution(machine({"A": {"Type": "Pass", "End": True}}), nested)
    assert result["error"] == "AslLint.LimitExceeded"
