"""Mocked responses, virtual time and history events of ``asl_lint.testing.run``."""

from __future__ import annotations

import re
from typing import Any

import pytest

from asl_lint.testing import run
from tests.testing.helpers import machine, task

OK: dict[str, Any] = {"Return": {"ok": True}}


def _map(processor_states: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Type": "Map",
        "ItemProcessor": {"StartAt": next(iter(processor_states)), "States": processor_states},
        "End": True,
    }
    body.update(fields)
    if "Next" in body:
        del body["End"]
    return body


# --- mocked responses ---------------------------------------------------------------------------
def test_invocations_are_counted_per_state_over_the_execution_across_map_iterations_and_retries() -> None:
    # Step Functions Local: iteration 1 takes 0 (throws) then 1; iteration 2 continues with 2.
    definition = machine({"Each": _map({"Call": task(Retry=[{"ErrorEquals": ["Boom"], "IntervalSeconds": 1}])},
                                       MaxConcurrency=1)})
    mocks = {"Call": {"0": {"Throw": {"Error": "Boom", "Cause": "attempt0"}},
                      "1": {"Return": "idx1"}, "2": {"Return": "idx2"}, "3": {"Return": "idx3"}}}
    execution = run(definition, [1, 2], mocks=mocks)
    assert (execution.status, execution.output, execution.retries) == ("SUCCEEDED", ["idx1", "idx2"], 1)


def test_a_state_visited_twice_takes_the_next_response() -> None:
    definition = machine({
        "Poll": task(ResultPath="$.job", Next="Done?"),
        "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.job.state", "StringEquals": "DONE", "Next": "End"}],
                  "Default": "Poll"},
        "End": {"Type": "Succeed"},
    })
    execution = run(definition, {}, mocks={"Poll": {"0-1": {"Return": {"state": "RUNNING"}},
                                                    "2": {"Return": {"state": "DONE"}}}})
    assert execution.path == ["Poll", "Done?", "Poll", "Done?", "Poll", "Done?", "End"]
    assert execution.output == {"job": {"state": "DONE"}}


def test_a_missing_mock_is_never_caught_by_the_workflow() -> None:
    definition = machine({
        "Call": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Fallback"}],
                     Retry=[{"ErrorEquals": ["States.ALL"]}]),
        "Fallback": {"Type": "Pass", "End": True},
    })
    execution = run(definition, {})
    assert (execution.status, execution.error) == ("FAILED", "AslLint.NoMock")
    assert execution.path == ["Call"]
    assert execution.retries == 0


def test_throw_is_retried_and_caught_like_a_service_error() -> None:
    definition = machine({
        "Call": task(Retry=[{"ErrorEquals": ["Busy"], "MaxAttempts": 1}],
                     Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Fallback"}]),
        "Fallback": {"Type": "Pass", "End": True},
    })
    execution = run(definition, {"id": 1}, mocks={"Call": {"Throw": {"Error": "Busy", "Cause": "later"}}})
    assert execution.output == {"id": 1, "error": {"Error": "Busy", "Cause": "later"}}
    assert execution.retries == 1
    assert execution.marks.catchers == frozenset({"/States/Call/Catch/0"})
    assert execution.marks.retriers == frozenset({"/States/Call/Retry/0"})


def test_parallel_branches_use_the_same_mocks_by_state_name() -> None:
    definition = machine({"Both": {"Type": "Parallel", "End": True, "Branches": [
        machine({"A": task()}), machine({"B": task(Next="A2"), "A2": {"Type": "Pass", "End": True}}),
    ]}})
    execution = run(definition, {}, mocks={"A": {"Return": 1}, "B": {"Return": 2}})
    assert execution.output == [1, 2]
    assert execution.marks.states == {"/States/Both", "/States/Both/Branches/0/States/A",
                                      "/States/Both/Branches/1/States/B", "/States/Both/Branches/1/States/A2"}
    assert execution.path == ["Both"]


def test_wait_for_task_token_takes_the_mocked_response_as_the_callback() -> None:
    definition = machine({"Approve": task("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                          Parameters={"MessageBody": {"token.$": "$$.Task.Token"}},
                                          TimeoutSeconds=3600)})
    execution = run(definition, {}, mocks={"Approve": {"Return": {"approved": True}}})
    assert execution.output == {"approved": True}
    types = [e["type"] for e in execution.history]
    assert types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    scheduled = execution.history[2]["taskScheduledEventDetails"]
    assert scheduled["resource"] == "sendMessage.waitForTaskToken"
    assert scheduled["timeoutInSeconds"] == 3600
    assert re.fullmatch(r'\{"MessageBody":\{"token":"AslLintTaskToken-[0-9a-f]{32}"\}\}', scheduled["parameters"])


def test_distributed_map_reads_its_items_from_the_case() -> None:
    processor = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Work",
                 "States": {"Work": task(OutputPath="$.Payload")}}
    definition = machine({"Files": {"Type": "Map", "ItemProcessor": processor, "End": True,
                                    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                                   "ReaderConfig": {"InputType": "JSON"},
                                                   "Parameters": {"Bucket": "b", "Key": "k.json"}}}})
    execution = run(definition, {}, mocks={"Work": {"Return": {"Payload": "done"}}},
                    item_readers={"Files": [{"key": "a"}, {"key": "b"}]})
    assert execution.output == ["done", "done"]
    types = [e["type"] for e in execution.history]
    assert types.count("MapIterationSucceeded") == 2
    map_events = [t for t in types if t.startswith("MapRun") or t == "MapStateSucceeded"]
    assert map_events == ["MapRunStarted", "MapRunSucceeded", "MapStateSucceeded"]
    missing = run(definition, {}, mocks={"Work": {"Return": {"Payload": "done"}}})
    assert missing.error == "AslLint.NoMock"
    assert missing.cause == ("Map state 'Files' reads its items with an ItemReader; asl-lint reads nothing from S3. "
                             "Give the items under the case's itemReader: {Files: [...]}.")


def test_malformed_mocks_are_a_value_error_naming_the_place() -> None:
    with pytest.raises(ValueError) as caught:
        run(machine({"Call": task()}), {}, mocks={"Call": {"one": {"Return": 1}}, "Other": "NoSuchResponse"})
    assert str(caught.value).splitlines() == [
        "mocks['Call']['one']: 'one' is not an invocation number or range like \"0\" or \"1-2\" (or a single "
        "Return/Throw for every invocation)",
        "mocks['Other']: names no MockedResponses entry 'NoSuchResponse'",
    ]


def test_mock_config_as_a_dict_and_an_unknown_test_case() -> None:
    config = {"StateMachines": {"flow": {"TestCases": {"Happy": {"Call": "Ok"}}}},
              "MockedResponses": {"Ok": {"0": {"Return": {"v": 1}}}}}
    definition = machine({"Call": task()})
    assert run(definition, {}, mock_config=config, test_case="Happy").output == {"v": 1}
    with pytest.raises(ValueError) as caught:
        run(definition, {}, mock_config=config, test_case="Hapy")
    assert str(caught.value) == "StateMachines.flow.TestCases has no test case 'Hapy'; did you mean 'Happy'?"


# --- virtual time --------------------------------------------------------------------------------
def test_waits_and_backoff_move_the_virtual_clock_and_the_context_times() -> None:
    definition = machine({
        "Day": {"Type": "Wait", "Seconds": 86400, "Next": "Until"},
        "Until": {"Type": "Wait", "Timestamp": "2024-01-03T00:00:00Z", "Next": "Call"},
        "Call": task(Retry=[{"ErrorEquals": ["Busy"], "IntervalSeconds": 10, "MaxAttempts": 5, "BackoffRate": 3,
                             "MaxDelaySeconds": 60}],
                     Parameters={"at.$": "$$.State.EnteredTime", "started.$": "$$.Execution.StartTime"}),
    })
    mocks = {"Call": {"0-3": {"Throw": {"Error": "Busy"}}, "4": {"Return": {"ok": 1}}}}
    execution = run(definition, {}, mocks=mocks, start_time="2024-01-01T00:00:00Z")
    # one day, the rest of the second day, then 10 + 30 + 60 + 60 seconds of capped backoff
    assert execution.duration == 2 * 86400 + 160
    scheduled = [e["taskScheduledEventDetails"]["parameters"] for e in execution.history
                 if e["type"] == "TaskScheduled"]
    assert scheduled[0] == '{"at":"2024-01-03T00:00:00.000Z","started":"2024-01-01T00:00:00.000Z"}'
    assert execution.history[-1]["timestamp"] == "2024-01-03T00:02:40.000000+00:00"


def test_jsonata_now_and_millis_read_the_virtual_clock() -> None:
    stamp = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": {
        "now": "{% $now() %}", "millis": "{% $millis() %}", "day": "{% $now('[Y0001]-[M01]-[D01]') %}",
        "same": "{% $now() = $states.context.State.EnteredTime %}"}}
    definition = machine({"Hour": {"Type": "Wait", "Seconds": 3661.25, "Next": "Stamp"}, "Stamp": {**stamp, "End": True}})
    for _ in range(2):  # the same answer on every run, whatever the real clock says
        execution = run(definition, {}, start_time="2024-01-01T00:00:00Z")
        assert execution.output == {"now": "2024-01-01T01:01:01.250Z", "millis": 1704070861250, "day": "2024-01-01",
                                    "same": True}
    # a retry attempt reads the time it was made
    call = task(QueryLanguage="JSONata", Arguments={"at": "{% $now() %}"},
                Retry=[{"ErrorEquals": ["Busy"], "IntervalSeconds": 5}])
    execution = run(machine({"Call": call}), {}, mocks={"Call": {"0": {"Throw": {"Error": "Busy"}}, "1": OK}},
                    start_time="2024-01-01T00:00:00Z")
    scheduled = [e["taskScheduledEventDetails"]["parameters"] for e in execution.history
                 if e["type"] == "TaskScheduled"]
    assert scheduled == ['{"at":"2024-01-01T00:00:00.000Z"}', '{"at":"2024-01-01T00:00:05.000Z"}']


def test_test_state_reads_the_real_clock() -> None:
    import time

    from asl_lint import test_state

    state = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $millis() %}", "End": True}
    before = int(time.time() * 1000)
    response = test_state(state)
    assert before <= int(response["output"]) <= round(time.time() * 1000)  # milliseconds, rounded


def test_a_timestamp_in_the_past_waits_not_at_all() -> None:
    definition = machine({"W": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "End": True}})
    assert run(definition, {}, start_time="2024-01-01T00:00:00Z").duration == 0


def test_parallel_branches_run_together_and_map_iterations_by_max_concurrency() -> None:
    wait = {"Type": "Wait", "SecondsPath": "$", "End": True}
    parallel = machine({"P": {"Type": "Parallel", "End": True, "Branches": [
        machine({"A": {"Type": "Wait", "Seconds": 30, "End": True}}),
        machine({"B": {"Type": "Wait", "Seconds": 50, "End": True}}),
    ]}})
    assert run(parallel, {}).duration == 50
    assert run(machine({"M": _map({"W": wait})}), [10, 20, 30]).duration == 30
    assert run(machine({"M": _map({"W": wait}, MaxConcurrency=1)}), [10, 20, 30]).duration == 60
    assert run(machine({"M": _map({"W": wait}, MaxConcurrency=2)}), [10, 20, 30]).duration == 40


def test_execution_timeout_and_express_maximum_duration_give_timed_out() -> None:
    definition = machine({"W": {"Type": "Wait", "Seconds": 7200, "End": True}}, TimeoutSeconds=3600)
    execution = run(definition, {}, start_time="2024-01-01T00:00:00Z")
    assert (execution.status, execution.error, execution.duration) == ("TIMED_OUT", "States.Timeout", 3600)
    assert execution.cause == ("The execution ran longer than 3600 seconds, its TimeoutSeconds (virtual time: Wait "
                               "states and retry intervals).")
    assert execution.history[-1]["type"] == "ExecutionTimedOut"
    assert execution.history[-1]["timestamp"] == "2024-01-01T01:00:00.000000+00:00"
    express = run(machine({"W": {"Type": "Wait", "Seconds": 600, "End": True}}), {}, machine_type="EXPRESS")
    assert (express.status, express.duration) == ("TIMED_OUT", 300)
    assert "the maximum duration of its type" in (express.cause or "")


# --- history -------------------------------------------------------------------------------------
def test_event_ids_in_causes_agree_with_the_history() -> None:
    definition = machine({
        "Call": task(Next="Bad"),
        "Bad": {"Type": "Pass", "Parameters": {"x.$": "$.missing"}, "End": True},
    })
    execution = run(definition, {}, mocks={"Call": OK})
    entered = next(e["id"] for e in execution.history if e.get("stateEnteredEventDetails", {}).get("name") == "Bad")
    assert entered == 7  # ExecutionStarted, 5 events of the Task, then Bad
    assert f"(entered at the event id #{entered})" in (execution.cause or "")
    assert execution.history[-1] == {
        "timestamp": execution.history[-1]["timestamp"], "type": "ExecutionFailed", "id": 8, "previousEventId": 7,
        "executionFailedEventDetails": {"error": "States.Runtime", "cause": execution.cause},
    }


def test_map_parallel_lambda_and_activity_events() -> None:
    definition = machine({
        "Fn": task("arn:aws:lambda:us-east-1:123456789012:function:work", Next="Act"),
        "Act": task("arn:aws:states:us-east-1:123456789012:activity:review", Next="M"),
        "M": _map({"Inner": {"Type": "Pass", "End": True}}, ItemsPath="$.items", ResultPath="$.out", Next="P"),
        "P": {"Type": "Parallel", "End": True, "Branches": [machine({"B": {"Type": "Pass", "End": True}})]},
    })
    execution = run(definition, {"items": [1]}, mocks={"Fn": {"Return": {"items": [1]}}, "Act": {"Return": {"items": [7]}}})
    assert [e["type"] for e in execution.history] == [
        "ExecutionStarted",
        "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
        "TaskStateExited",
        "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
        "MapStateEntered", "MapStateStarted", "MapIterationStarted", "PassStateEntered", "PassStateExited",
        "MapIterationSucceeded", "MapStateSucceeded", "MapStateExited",
        "ParallelStateEntered", "ParallelStateStarted", "PassStateEntered", "PassStateExited",
        "ParallelStateSucceeded", "ParallelStateExited",
        "ExecutionSucceeded",
    ]
    events = execution.history
    assert events[2]["lambdaFunctionScheduledEventDetails"] == {
        "resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "input": '{"items":[1]}',
        "inputDetails": {"truncated": False},
    }
    assert events[12]["mapStateStartedEventDetails"] == {"length": 1}
    assert events[13]["mapIterationStartedEventDetails"] == {"name": "M", "index": 0}
    assert events[-1]["executionSucceededEventDetails"]["output"] == '[{"items":[7],"out":[7]}]'  # Parallel: one per branch


def test_assigned_variables_appear_in_the_exited_event() -> None:
    definition = machine({"P": {"Type": "Pass", "Assign": {"count": 2, "name.$": "$.n"}, "End": True}})
    exited = run(definition, {"n": "x"}).history[2]
    assert exited["stateExitedEventDetails"] == {
        "name": "P", "output": '{"n":"x"}', "outputDetails": {"truncated": False},
        "assignedVariables": {"count": "2", "name": '"x"'}, "assignedVariablesDetails": {"truncated": False},
    }


def test_a_mocked_timeout_is_a_task_timed_out_event_and_fails_the_execution_not_as_timed_out() -> None:
    definition = machine({"Call": task(TimeoutSeconds=30)})
    execution = run(definition, {}, mocks={"Call": {"Throw": {"Error": "States.Timeout", "Cause": "no answer"}}})
    # A Task timing out fails the execution (FAILED, States.Timeout); only the execution's own timeout is TIMED_OUT.
    assert (execution.status, execution.error, execution.cause) == ("FAILED", "States.Timeout", "no answer")
    timed_out = execution.history[4]
    assert timed_out["type"] == "TaskTimedOut"
    assert timed_out["taskTimedOutEventDetails"] == {"resourceType": "lambda", "resource": "invoke",
                                                     "error": "States.Timeout", "cause": "no answer"}
