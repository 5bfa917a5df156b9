"""Whole executions offline: the transition loop, Retry/Catch, Parallel branches and Map iterations.

Time is virtual: each branch of work (the top level, a Parallel branch, a Map iteration) has its own
clock, in seconds since the execution started. Wait states and retry backoff move it forward and
cost nothing; Parallel branches start together and the state ends with the slowest one; Map
iterations run ``MaxConcurrency`` at a time (all at once when 0). Past the execution's
``TimeoutSeconds`` (or its type's maximum duration) the execution times out.

Every history event goes through ``ExecutionDriver.emit``, which also numbers it, so the
"entered at the event id #N" of error causes and the history agree.
"""

from __future__ import annotations

import copy
import heapq
import json
from collections.abc import Callable
from typing import Any

from asl_lint.eval import retry
from asl_lint.eval.context import REGION, state_context, task_token
from asl_lint.eval.errors import (
    DATA_LIMIT,
    INVALID_DEFINITION,
    LIMIT_EXCEEDED,
    MALFORMED,
    NO_MOCK,
    RUNTIME,
    TIMEOUT,
    TOLERATED_FAILURE,
    ExecutionTimedOut,
    StatesError,
)
from asl_lint.eval.exprs import json_copy
from asl_lint.eval.history import Details, context_time, payload, task_kind
from asl_lint.eval.payload import compact
from asl_lint.eval.runtime import JSONPATH, Frame, Runtime, Variables
from asl_lint.eval.states import MapSettings, Outcome, apply_catcher, run_body
from asl_lint.source.pointer import escape

PAYLOAD_LIMIT = 262_144  # bytes, UTF-8
# A missing mock is a test-setup error: no Retry or Catch of the workflow may hide it.
_NEVER_HANDLED = frozenset({RUNTIME, LIMIT_EXCEEDED, INVALID_DEFINITION, NO_MOCK})
_WITH_RETRY_COUNT = frozenset({"Task", "Map", "Parallel"})
_STATE_TYPES = frozenset({"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"})
# Maximum execution durations: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
MAX_DURATION = {"STANDARD": 365 * 24 * 3600, "EXPRESS": 300}


class ExecutionDriver:
    """One branch of work: Task results from mocks, Map iterations and Parallel branches as children.

    ``scope`` is the JSON pointer of the object holding this branch's ``States`` (``""`` for the
    top level), ``elapsed`` its virtual clock, ``previous`` the id of its last history event.
    """

    def __init__(
        self,
        runtime: Runtime,
        default_ql: str,
        depth: int = 0,
        scope: str = "",
        elapsed: float = 0.0,
        previous: int = 0,
    ) -> None:
        self.runtime = runtime
        self.default_ql = default_ql
        self.depth = depth
        self.scope = scope
        self.elapsed = elapsed
        self.previous = previous

    # --- events and time -----------------------------------------------------------------------
    def emit(self, kind: str, details: Details | None = None) -> int:
        """Number the next history event (and record it when the run keeps a history)."""
        self.runtime.event_id += 1
        event_id = self.runtime.event_id
        recorder = self.runtime.recorder
        if recorder is not None:
            recorder.event(event_id, self.previous, self.elapsed, kind, details)
        self.previous = event_id
        return event_id

    def advance(self, seconds: float) -> None:
        """Let virtual time pass in this branch; past the deadline the execution times out."""
        if seconds > 0:
            self.elapsed += seconds
        deadline = self.runtime.deadline
        if deadline is not None and self.elapsed > deadline:
            self.elapsed = deadline
            raise ExecutionTimedOut(f"The execution ran longer than {deadline:.0f} seconds.")

    def now(self) -> str:
        return context_time(self.runtime.start, self.elapsed)

    def pointer(self, name: str) -> str:
        return f"{self.scope}/States/{escape(name)}"

    def _child(self, scope: str, elapsed: float) -> ExecutionDriver:
        if self.depth + 1 > self.runtime.limits.max_depth:
            raise StatesError(LIMIT_EXCEEDED, "Map/Parallel nesting is too deep (asl-lint limit).")
        return ExecutionDriver(self.runtime, self.default_ql, self.depth + 1, scope, elapsed, self.previous)

    # --- Task ----------------------------------------------------------------------------------
    def task(self, frame: Frame, payload_in: Any) -> Any:
        resource = str(frame.state.get("Resource", ""))
        family, common = task_kind(resource)
        self.emit(f"{family}Scheduled", _scheduled(frame.state, family, common, resource, payload_in))
        self.emit(f"{family}Started", (lambda: {"taskStartedEventDetails": common}) if family == "Task" else None)
        if family == "Task" and resource.endswith((".sync", ".sync:2", ".waitForTaskToken")):
            # The request went out; the result comes later (the job's end, or the callback's
            # SendTaskSuccess/SendTaskFailure, which the mocked response stands for).
            self.emit("TaskSubmitted", lambda: {"taskSubmittedEventDetails": common})
        try:
            result = self._result(frame)
        except StatesError as failure:
            if failure.error != NO_MOCK:
                self._task_failed(family, common, failure)
            raise
        key = f"{family[0].lower()}{family[1:]}SucceededEventDetails"
        self.emit(f"{family}Succeeded", lambda: {key: {**common, **payload("output", result)}})
        return result

    def _task_failed(self, family: str, common: dict[str, str], failure: StatesError) -> None:
        outcome = "TimedOut" if failure.error == TIMEOUT else "Failed"
        key = f"{family[0].lower()}{family[1:]}{outcome}EventDetails"
        details = {**common}
        if failure.error is not None:
            details["error"] = failure.error
        if failure.cause is not None:
            details["cause"] = failure.cause
        self.emit(f"{family}{outcome}", lambda: {key: details})

    def _result(self, frame: Frame) -> Any:
        responder = self.runtime.responder
        if responder is not None:
            return responder.respond(frame.name)
        if frame.name not in self.runtime.mocks:
            raise StatesError(
                NO_MOCK,
                f"Task state '{frame.name}' has no mock; give its result with --mock "
                f"'{frame.name}=JSON' (or an errorOutput: "
                '{"errorOutput": {"error": ..., "cause": ...}}).',
            )
        return self._mocked(frame.name)

    def _mocked(self, name: str) -> Any:
        """A mock: a plain result, TestState's ``{"result": JSON text}`` or ``{"errorOutput": {...}}``."""
        mock = self.runtime.mocks[name]
        if isinstance(mock, dict) and set(mock) == {"errorOutput"}:
            failure = mock["errorOutput"] or {}
            raise StatesError(failure.get("error"), failure.get("cause"))
        if isinstance(mock, dict) and set(mock) == {"result"}:
            result = mock["result"]
            if isinstance(result, str):
                try:
                    return json.loads(result)
                except ValueError:
                    return result
            return copy.deepcopy(result)
        return copy.deepcopy(mock)

    def _whole_state_mocked(self, name: str) -> bool:
        # Plain mocks (``asl-lint run``) may replace a whole Map or Parallel; mocked responses
        # (Step Functions Local's format) only ever stand for Task results.
        return self.runtime.responder is None and name in self.runtime.mocks

    # --- Parallel ------------------------------------------------------------------------------
    def parallel(self, frame: Frame, payload_in: Any) -> Any:
        if self._whole_state_mocked(frame.name):
            return self._mocked(frame.name)
        self.emit("ParallelStateStarted")
        start = self.elapsed
        pointer = self.pointer(frame.name)
        results = []
        try:
            for index, branch in enumerate(frame.state.get("Branches") or []):
                child = self._child(f"{pointer}/Branches/{index}", start)
                try:
                    results.append(
                        run_machine(branch, json_copy(payload_in), self.runtime, frame.variables.child(), child)
                    )
                finally:
                    self._join(child)
        except StatesError:
            self.emit("ParallelStateFailed")
            raise
        self.emit("ParallelStateSucceeded")
        return results

    def _join(self, child: ExecutionDriver) -> None:
        """Continue after a child branch: the later of both clocks, after the child's last event."""
        self.elapsed = max(self.elapsed, child.elapsed)
        self.previous = max(self.previous, child.previous)

    # --- Map -----------------------------------------------------------------------------------
    def map(
        self,
        frame: Frame,
        items: list[Any],
        make_input: Callable[[int, Any], Any],
        settings: MapSettings,
    ) -> Any:
        if self._whole_state_mocked(frame.name):
            return self._mocked(frame.name)
        limit = self.runtime.limits.max_map_items
        if len(items) > limit:
            raise StatesError(
                LIMIT_EXCEEDED, f"Map state has {len(items)} items; asl-lint runs at most {limit}."
            )
        key = "ItemProcessor" if "ItemProcessor" in frame.state else "Iterator"
        processor = frame.state.get(key) or {}
        distributed = (processor.get("ProcessorConfig") or {}).get("Mode") == "DISTRIBUTED"
        scope = f"{self.pointer(frame.name)}/{key}"
        self.emit("MapStateStarted", lambda: {"mapStateStartedEventDetails": {"length": len(items)}})
        if distributed:
            self.emit("MapRunStarted", lambda: {"mapRunStartedEventDetails": {"mapRunArn": self._map_run_arn(frame)}})
        # Iterations start on the earliest free lane: MaxConcurrency lanes, or one per item.
        lanes = [(self.elapsed, lane) for lane in range(min(settings.max_concurrency or len(items), len(items)) or 1)]
        results: list[Any] = []
        failures = 0
        for index, item in enumerate(items):
            iteration_input = make_input(index, item)
            start, lane = heapq.heappop(lanes)
            child = self._child(scope, start)
            child.emit("MapIterationStarted", self._iteration_details("Started", frame.name, index))
            # Distributed child executions cannot read the parent's variables.
            variables = Variables() if distributed else frame.variables.child()
            try:
                results.append(run_machine(processor, iteration_input, self.runtime, variables, child))
            except StatesError as failure:
                child.emit("MapIterationFailed", self._iteration_details("Failed", frame.name, index))
                self._join(child)
                if not distributed or failure.error in _NEVER_HANDLED:
                    self._map_failed(distributed)
                    raise
                failures += 1
                results.append(failure.error_output())
            else:
                child.emit("MapIterationSucceeded", self._iteration_details("Succeeded", frame.name, index))
                self._join(child)
            heapq.heappush(lanes, (child.elapsed, lane))
        if failures and _over_threshold(failures, len(items), settings):
            self._map_failed(distributed)
            raise StatesError(TOLERATED_FAILURE, "The specified tolerated failure threshold was exceeded")
        if distributed:
            self.emit("MapRunSucceeded")
        self.emit("MapStateSucceeded")
        return results

    def _map_failed(self, distributed: bool) -> None:
        if distributed:
            self.emit("MapRunFailed")
        self.emit("MapStateFailed")

    @staticmethod
    def _iteration_details(outcome: str, name: str, index: int) -> Details:
        return lambda: {f"mapIteration{outcome}EventDetails": {"name": name, "index": index}}

    def _map_run_arn(self, frame: Frame) -> str:
        execution = str((self.runtime.base_context.get("Execution") or {}).get("Id", ""))
        prefix, _, tail = execution.partition(":execution:")
        return f"{prefix}:mapRun:{tail.split(':')[0]}/{frame.name}:{self.runtime.event_id}" if tail else ""


def _over_threshold(failures: int, total: int, settings: MapSettings) -> bool:
    count, percentage = settings.tolerated_failure_count, settings.tolerated_failure_percentage
    if count is None and percentage is None:
        return True
    if count is not None and failures <= count:
        return False
    return not (percentage is not None and total and failures * 100.0 / total <= percentage)


def _check_size(name: str, output: Any) -> None:
    if len(compact(output).encode("utf-8")) > PAYLOAD_LIMIT:
        raise StatesError(
            DATA_LIMIT,
            f"The state/task '{name}' returned a result with a size exceeding the maximum number of bytes "
            "service limit.",
        )


def _scheduled(state: dict[str, Any], family: str, common: dict[str, str], resource: str, args: Any) -> Details:
    """The ``…Scheduled`` event's details: what the task was sent, and its timeouts."""

    def details() -> dict[str, Any]:
        timeouts = {
            key: state[name]
            for key, name in (("timeoutInSeconds", "TimeoutSeconds"), ("heartbeatInSeconds", "HeartbeatSeconds"))
            if isinstance(state.get(name), int) and not isinstance(state.get(name), bool)
        }
        if family == "Task":
            return {"taskScheduledEventDetails": {**common, "region": REGION, "parameters": compact(args), **timeouts}}
        key = "activityScheduledEventDetails" if family == "Activity" else "lambdaFunctionScheduledEventDetails"
        return {key: {"resource": resource, **payload("input", args), **timeouts}}

    return details


def _exited(name: str, output: Any, assigned: dict[str, Any] | None) -> Details:
    def details() -> dict[str, Any]:
        exited: dict[str, Any] = {"name": name, **payload("output", output)}
        if assigned:
            exited["assignedVariables"] = {key: compact(value) for key, value in assigned.items()}
            exited["assignedVariablesDetails"] = {"truncated": False}
        return {"stateExitedEventDetails": exited}

    return details


def _wait(driver: ExecutionDriver, outcome: Outcome) -> None:
    """Let a Wait state's time pass on the virtual clock (a Timestamp in the past waits not at all)."""
    if outcome.wait_seconds is not None:
        driver.advance(float(outcome.wait_seconds))
    if outcome.wait_until is not None:
        driver.advance(float(outcome.wait_until) - driver.runtime.start.timestamp() - driver.elapsed)


def run_state(
    name: str,
    state: dict[str, Any],
    raw: Any,
    runtime: Runtime,
    variables: Variables,
    driver: ExecutionDriver,
) -> Outcome:
    """One state visit including retries and catchers."""
    kind = state.get("Type", "")
    label = kind if kind in _STATE_TYPES else ""
    recorder = runtime.recorder
    pointer = driver.pointer(name)
    if recorder is not None:
        recorder.entered(pointer, name, driver.depth == 0)
    entered = driver.emit(
        f"{label}StateEntered",
        lambda: {"stateEnteredEventDetails": {"name": name, **payload("input", raw)}},
    )
    ql = state.get("QueryLanguage", driver.default_ql)
    retriers: list[dict[str, Any]] = list(state.get("Retry") or [])
    attempts = [0] * len(retriers)
    retry_count = 0
    while True:
        context = state_context(
            runtime.base_context,
            name,
            driver.now(),
            retry_count=retry_count if kind in _WITH_RETRY_COUNT else None,
        )
        if kind == "Task" and str(state.get("Resource", "")).endswith(".waitForTaskToken"):
            context["Task"] = {"Token": task_token()}
        frame = Frame(name, state, ql, context, variables, runtime, entered)
        try:
            try:
                outcome = run_body(frame, raw, {}, driver)
            except MALFORMED as exc:
                raise frame.error(INVALID_DEFINITION, f"The state is malformed: {exc!r}") from exc
            if kind == "Wait":
                _wait(driver, outcome)
            if recorder is not None and outcome.branch is not None:
                recorder.branch(pointer, outcome.branch)
            if kind != "Fail":
                driver.emit(f"{label}StateExited", _exited(name, outcome.output, frame.assigned))
            return outcome
        except StatesError as failure:
            if failure.error in _NEVER_HANDLED or kind not in _WITH_RETRY_COUNT:
                raise
            index = retry.find_match(retriers, failure.error)
            if (
                index is not None
                and attempts[index] < retry.max_attempts(retriers[index])
                and retry_count < runtime.limits.max_retries
            ):
                delay = retry.backoff_seconds(retriers[index], attempts[index])
                attempts[index] += 1
                retry_count += 1
                runtime.count_transition()
                if recorder is not None:
                    recorder.retried(pointer, index)
                # JitterStrategy FULL would wait a random part of this; the clock takes all of it.
                driver.advance(float(delay))
                continue
            catchers = list(state.get("Catch") or [])
            caught = retry.find_match(catchers, failure.error)
            if caught is None:
                raise
            outcome = apply_catcher(frame, raw, catchers[caught], failure)
            if recorder is not None:
                recorder.caught(pointer, caught)
            driver.emit(f"{label}StateExited", _exited(name, outcome.output, frame.assigned))
            return outcome


def run_machine(
    machine: dict[str, Any],
    machine_input: Any,
    runtime: Runtime,
    variables: Variables,
    driver: ExecutionDriver,
) -> Any:
    """Run ``StartAt``/``States`` to the end; returns the output or raises StatesError."""
    states: dict[str, Any] = machine.get("States") or {}
    current: str | None = machine.get("StartAt")
    data = machine_input
    while current is not None:
        runtime.count_transition()
        state = states.get(current)
        if not isinstance(state, dict):
            raise StatesError(RUNTIME, f"State '{current}' does not exist in the definition.")
        outcome = run_state(current, state, data, runtime, variables, driver)
        _check_size(current, outcome.output)
        data = outcome.output
        if state.get("Type") in ("Succeed", "Fail") or outcome.next_state is None:
            break
        current = outcome.next_state
    return data


def execute(
    definition: dict[str, Any], execution_input: Any, runtime: Runtime, variables: Variables | None = None
) -> dict[str, Any]:
    """Run a whole machine; the ``asl-lint run`` result dict (status SUCCEEDED, FAILED or TIMED_OUT)."""
    driver = ExecutionDriver(runtime, definition.get("QueryLanguage", JSONPATH))
    timeout = definition.get("TimeoutSeconds")
    if isinstance(timeout, int) and not isinstance(timeout, bool) and 0 < timeout < (runtime.deadline or timeout + 1):
        runtime.deadline = timeout
    role = (runtime.base_context.get("Execution") or {}).get("RoleArn")
    started = {**payload("input", execution_input), **({"roleArn": role} if role else {})}
    driver.emit("ExecutionStarted", lambda: {"executionStartedEventDetails": started})
    result: dict[str, Any]
    try:
        try:
            output = run_machine(definition, execution_input, runtime, variables or Variables(), driver)
        except MALFORMED as exc:  # e.g. a Retry that is not a list: AWS would reject the definition
            raise StatesError(INVALID_DEFINITION, f"The definition is malformed: {exc!r}") from exc
    except StatesError as failure:
        result = {"status": "FAILED"}
        if failure.error is not None:
            result["error"] = failure.error
        if failure.cause is not None:
            result["cause"] = failure.cause
        failed = {key: result[key] for key in ("error", "cause") if key in result}
        driver.emit("ExecutionFailed", lambda: {"executionFailedEventDetails": failed})
    except ExecutionTimedOut as timed_out:
        limit = "its TimeoutSeconds" if runtime.deadline == timeout else "the maximum duration of its type"
        cause = f"{timed_out.cause[:-1]}, {limit} (virtual time: Wait states and retry intervals)."
        result = {"status": "TIMED_OUT", "error": TIMEOUT, "cause": cause}
        details = {"error": TIMEOUT, "cause": cause}
        driver.elapsed = runtime.deadline or driver.elapsed
        driver.emit("ExecutionTimedOut", lambda: {"executionTimedOutEventDetails": details})
    else:
        result = {"status": "SUCCEEDED", "output": compact(output)}
        driver.emit("ExecutionSucceeded", lambda: {"executionSucceededEventDetails": payload("output", output)})
    if runtime.recorder is not None:
        runtime.recorder.duration = driver.elapsed
    return result
