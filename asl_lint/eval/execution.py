"""Whole executions offline: the transition loop, Retry/Catch, Parallel branches and Map iterations."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from asl_lint.eval import retry
from asl_lint.eval.context import now_iso, state_context, task_token
from asl_lint.eval.errors import (
    DATA_LIMIT,
    INVALID_DEFINITION,
    LIMIT_EXCEEDED,
    MALFORMED,
    NO_MOCK,
    RUNTIME,
    TOLERATED_FAILURE,
    StatesError,
)
from asl_lint.eval.payload import compact
from asl_lint.eval.runtime import JSONPATH, Frame, Runtime, Variables
from asl_lint.eval.states import MapSettings, Outcome, run_body

PAYLOAD_LIMIT = 262_144  # bytes, UTF-8
_NEVER_HANDLED = frozenset({RUNTIME, LIMIT_EXCEEDED, INVALID_DEFINITION})
_WITH_RETRY_COUNT = frozenset({"Task", "Map", "Parallel"})
# History events a state adds besides its *StateEntered event (only used for 'event id #N' texts).
_EXTRA_EVENTS = {"Task": 4, "Parallel": 3, "Map": 3}


class ExecutionDriver:
    """Task results from mocks; Map iterations and Parallel branches run as sub-machines."""

    def __init__(self, runtime: Runtime, default_ql: str, depth: int = 0) -> None:
        self.runtime = runtime
        self.default_ql = default_ql
        self.depth = depth

    def task(self, frame: Frame, payload: Any) -> Any:
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

    def _child(self) -> ExecutionDriver:
        if self.depth + 1 > self.runtime.limits.max_depth:
            raise StatesError(LIMIT_EXCEEDED, "Map/Parallel nesting is too deep (asl-lint limit).")
        return ExecutionDriver(self.runtime, self.default_ql, self.depth + 1)

    def parallel(self, frame: Frame, payload: Any) -> Any:
        if frame.name in self.runtime.mocks:  # a mocked Parallel: its branches are not run
            return self._mocked(frame.name)
        child = self._child()
        results = []
        for branch in frame.state.get("Branches") or []:
            results.append(
                run_machine(branch, copy.deepcopy(payload), self.runtime, frame.variables.child(), child)
            )
        return results

    def map(
        self,
        frame: Frame,
        items: list[Any],
        make_input: Callable[[int, Any], Any],
        settings: MapSettings,
    ) -> Any:
        if frame.name in self.runtime.mocks:  # a mocked Map: its iterations are not run
            return self._mocked(frame.name)
        limit = self.runtime.limits.max_map_items
        if len(items) > limit:
            raise StatesError(
                LIMIT_EXCEEDED, f"Map state has {len(items)} items; asl-lint runs at most {limit}."
            )
        processor = frame.state.get("ItemProcessor") or frame.state.get("Iterator") or {}
        distributed = (processor.get("ProcessorConfig") or {}).get("Mode") == "DISTRIBUTED"
        child = self._child()
        results: list[Any] = []
        failures = 0
        for index, item in enumerate(items):
            iteration_input = make_input(index, item)
            # Distributed child executions cannot read the parent's variables.
            scope = Variables() if distributed else frame.variables.child()
            self.runtime.next_event()  # MapIterationStarted
            try:
                results.append(run_machine(processor, iteration_input, self.runtime, scope, child))
            except StatesError as failure:
                if not distributed or failure.error == LIMIT_EXCEEDED:
                    raise
                failures += 1
                results.append(failure.error_output())
            self.runtime.next_event()  # MapIterationSucceeded / Failed
        if failures and _over_threshold(failures, len(items), settings):
            raise StatesError(TOLERATED_FAILURE, "The specified tolerated failure threshold was exceeded")
        return results


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
    entered = runtime.next_event()
    ql = state.get("QueryLanguage", driver.default_ql)
    retriers: list[dict[str, Any]] = list(state.get("Retry") or [])
    attempts = [0] * len(retriers)
    retry_count = 0
    while True:
        context = state_context(
            runtime.base_context,
            name,
            now_iso(),
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
            runtime.next_event(_EXTRA_EVENTS.get(kind, 0) + (0 if kind == "Fail" else 1))
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
                attempts[index] += 1
                retry_count += 1
                runtime.count_transition()
                continue
            catchers = list(state.get("Catch") or [])
            caught = retry.find_match(catchers, failure.error)
            if caught is None:
                raise
            from asl_lint.eval.states import apply_catcher

            return apply_catcher(frame, raw, catchers[caught], failure)


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
    """Run a whole machine; the ``asl-lint run`` result dict."""
    driver = ExecutionDriver(runtime, definition.get("QueryLanguage", JSONPATH))
    try:
        try:
            output = run_machine(definition, execution_input, runtime, variables or Variables(), driver)
        except MALFORMED as exc:  # e.g. a Retry that is not a list: AWS would reject the definition
            raise StatesError(INVALID_DEFINITION, f"The definition is malformed: {exc!r}") from exc
    except StatesError as failure:
        result: dict[str, Any] = {"status": "FAILED"}
        if failure.error is not None:
            result["error"] = failure.error
        if failure.cause is not None:
            result["cause"] = failure.cause
        return result
    return {"status": "SUCCEEDED", "output": compact(output)}
