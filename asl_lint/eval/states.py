"""One visit of one state: the body of every state type, without Retry/Catch looping.

The parts that need a world outside the state (a Task's result, Map iterations, Parallel branches)
come from a ``Driver``: whole executions run sub-machines and mocks; TestState returns its mock.
``trace`` collects the inspection data (decoded values) as the steps run.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from asl_lint.eval import pipeline
from asl_lint.eval.base import (
    Driver,
    MapSettings,
    Outcome,
    Trace,
    finish_jsonata,
    finish_jsonpath,
    lookup,
    next_state,
    plain,
)
from asl_lint.eval.choice import evaluate_rule
from asl_lint.eval.errors import NO_CHOICE_MATCHED, QUERY_EVALUATION, RUNTIME, StatesError
from asl_lint.eval.exprs import PathMissing, read_path
from asl_lint.eval.map_state import run_map
from asl_lint.eval.payload import compact, jsonata_template, jsonpath_value, resolve_template, states_binding
from asl_lint.eval.runtime import Frame
from asl_lint.eval.timestamps import parse_timestamp
from asl_lint.expr.intrinsics import json_type

__all__ = ["Driver", "MapSettings", "Outcome", "apply_catcher", "run_body"]

# --- Pass, Succeed, Wait -------------------------------------------------------------------------


def run_pass(frame: Frame, raw: Any, trace: Trace) -> Outcome:
    state = frame.state
    if frame.jsonata:
        states = states_binding(frame, raw)
        output = pipeline.jsonata_output(frame, states, raw)
        assigned = pipeline.jsonata_assign(frame, states)
    else:
        if "Result" in state:
            # A Result is never evaluated, and InputPath/Parameters then have no effect.
            result = state["Result"]
            trace["result"] = result
        else:
            effective = pipeline.input_path(frame, raw)
            trace["afterInputPath"] = effective
            result = pipeline.parameters(frame, effective)
            trace["afterParameters"] = result
        trace["afterResultSelector"] = result
        assigned = pipeline.jsonpath_assign(frame, result)
        merged = pipeline.result_path(frame, raw, result)
        trace["afterResultPath"] = merged
        output = pipeline.output_path(frame, merged)
    pipeline.commit(frame, assigned)
    return Outcome(output, next_state(state))


def run_succeed(frame: Frame, raw: Any, trace: Trace) -> Outcome:
    if frame.jsonata:
        states = states_binding(frame, raw)
        return Outcome(pipeline.jsonata_output(frame, states, raw), None)
    effective = pipeline.input_path(frame, raw)
    trace["afterInputPath"] = effective
    return Outcome(pipeline.output_path(frame, effective), None)


def _wait_seconds_path(frame: Frame, path: str, effective: Any) -> int:
    value = lookup(frame, path, effective)
    if isinstance(value, bool) or not isinstance(value, int):
        raise frame.error(
            RUNTIME, f"The SecondsPath parameter cannot be parsed as a long value: {path} == {plain(value)}"
        )
    if value < 0:
        raise frame.error(
            RUNTIME, f"The SecondsPath parameter references a negative value: {path} == {value}"
        )
    return value


def _wait_timestamp_path(frame: Frame, path: str, effective: Any) -> Fraction:
    value = lookup(frame, path, effective)
    moment = parse_timestamp(value)
    if moment is None:
        raise frame.error(
            RUNTIME,
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
            f"date-time format string: {path} == {plain(value)}",
        )
    return moment


def _literal_delay(state: dict[str, Any], outcome: Outcome) -> None:
    """A JSONPath Wait's literal Seconds / Timestamp (the schema checks their types)."""
    seconds = state.get("Seconds")
    if isinstance(seconds, int | float) and not isinstance(seconds, bool):
        outcome.wait_seconds = seconds
    if "Timestamp" in state:
        outcome.wait_until = parse_timestamp(state["Timestamp"])


def run_wait(frame: Frame, raw: Any, trace: Trace) -> Outcome:
    """Wait: validates the delay like AWS and reports it in the outcome; never sleeps."""
    state = frame.state
    seconds: int | float | None = None
    until: Fraction | None = None
    if frame.jsonata:
        states = states_binding(frame, raw)
        if "Seconds" in state:
            seconds = jsonata_template(frame, state["Seconds"], states, "Seconds")
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
                raise frame.error(
                    QUERY_EVALUATION, f"The Seconds field must be a non-negative integer: {plain(seconds)}"
                )
        if "Timestamp" in state:
            stamp = jsonata_template(frame, state["Timestamp"], states, "Timestamp")
            until = parse_timestamp(stamp)
            if until is None:
                raise frame.error(
                    QUERY_EVALUATION,
                    "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                    f"format string: {plain(stamp)}",
                )
        output = pipeline.jsonata_output(frame, states, raw)
        assigned = pipeline.jsonata_assign(frame, states)
    else:
        effective = pipeline.input_path(frame, raw)
        trace["afterInputPath"] = effective
        if "SecondsPath" in state:
            seconds = _wait_seconds_path(frame, state["SecondsPath"], effective)
        if "TimestampPath" in state:
            until = _wait_timestamp_path(frame, state["TimestampPath"], effective)
        assigned = pipeline.jsonpath_assign(frame, effective)
        output = pipeline.output_path(frame, effective)
    pipeline.commit(frame, assigned)
    outcome = Outcome(output, next_state(state), wait_seconds=seconds, wait_until=until)
    if not frame.jsonata:
        _literal_delay(state, outcome)
    return outcome


# --- Choice, Fail --------------------------------------------------------------------------------


def run_choice(frame: Frame, raw: Any, trace: Trace) -> Outcome:
    state = frame.state
    rules: list[dict[str, Any]] = list(state.get("Choices") or [])
    if frame.jsonata:
        states = states_binding(frame, raw)
        for index, rule in enumerate(rules):
            verdict = jsonata_template(frame, rule.get("Condition"), states, "Condition")
            if not isinstance(verdict, bool):
                raise frame.error(
                    QUERY_EVALUATION,
                    f"The JSONata expression specified for the field 'Condition' returned an unexpected "
                    f"result type. Expected 'boolean', but was '{json_type(verdict)}' for value: "
                    f"{compact(verdict)}",
                )
            if verdict:
                return _choose_jsonata(frame, states, raw, rule, rule["Next"], f"Choices/{index}")
        if "Default" not in state:
            raise StatesError(NO_CHOICE_MATCHED, "No Matches!")
        return _choose_jsonata(frame, states, raw, state, state["Default"], "Default")

    effective = pipeline.input_path(frame, raw)
    trace["afterInputPath"] = effective
    variables = frame.variables.visible()

    def resolve(path: str) -> tuple[bool, Any]:
        try:
            return True, read_path(path, effective, context=frame.context, variables=variables)
        except PathMissing:
            return False, None

    try:
        chosen = next((index for index, rule in enumerate(rules) if evaluate_rule(rule, resolve)), None)
    except StatesError as exc:
        raise frame.error(exc.error or RUNTIME, exc.cause or "") from exc
    if chosen is None:
        if "Default" not in state:
            raise StatesError(NO_CHOICE_MATCHED, "No Matches!")
        holder, target, branch = state, state["Default"], "Default"
    else:
        holder, target, branch = rules[chosen], rules[chosen]["Next"], f"Choices/{chosen}"
    assigned = pipeline.jsonpath_assign(frame, effective, spec=holder)
    output = pipeline.output_path(frame, effective)
    pipeline.commit(frame, assigned)
    return Outcome(output, target, branch=branch)


def _choose_jsonata(
    frame: Frame, states: dict[str, Any], raw: Any, holder: dict[str, Any], target: str, branch: str
) -> Outcome:
    output = pipeline.jsonata_output(frame, states, raw, spec=holder)
    assigned = pipeline.jsonata_assign(frame, states, spec=holder)
    pipeline.commit(frame, assigned)
    return Outcome(output, target, branch=branch)


def run_fail(frame: Frame, raw: Any, trace: Trace) -> Outcome:
    state = frame.state
    error: Any
    cause: Any
    if frame.jsonata:
        states = states_binding(frame, raw)
        error = jsonata_template(frame, state["Error"], states, "Error") if "Error" in state else None
        cause = jsonata_template(frame, state["Cause"], states, "Cause") if "Cause" in state else None
    else:
        trace["afterInputPath"] = raw
        error = state.get("Error")
        cause = state.get("Cause")
        if "ErrorPath" in state:
            error = jsonpath_value(frame, state["ErrorPath"], raw, "ErrorPath")
        if "CausePath" in state:
            cause = jsonpath_value(frame, state["CausePath"], raw, "CausePath")
    raise StatesError(
        None if error is None else plain(error),
        None if cause is None else plain(cause),
    )


# --- Task, Parallel, Map -------------------------------------------------------------------------


def run_task(frame: Frame, raw: Any, trace: Trace, driver: Driver) -> Outcome:
    if frame.jsonata:
        states = states_binding(frame, raw)
        # Without Arguments the task receives the state input.
        args = (
            jsonata_template(frame, frame.state["Arguments"], states, "Arguments")
            if "Arguments" in frame.state
            else raw
        )
        trace["afterArguments"] = args
        _task_settings(frame, raw, states)
        return finish_jsonata(frame, raw, driver.task(frame, args), trace)
    effective = pipeline.input_path(frame, raw)
    trace["afterInputPath"] = effective
    params = pipeline.parameters(frame, effective)
    trace["afterParameters"] = params
    _task_settings(frame, effective, None)
    return finish_jsonpath(frame, raw, driver.task(frame, params), trace)


def _task_settings(frame: Frame, data: Any, states: dict[str, Any] | None) -> None:
    """Evaluate the Task fields that are expressions or paths (timeouts, Credentials) so they fail like AWS.

    Offline nothing times out; only the evaluation errors matter.
    """
    state = frame.state
    for name in ("TimeoutSeconds", "HeartbeatSeconds"):
        if states is not None and name in state:
            value = jsonata_template(frame, state[name], states, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise frame.error(
                    QUERY_EVALUATION,
                    f"The {name} field must be a positive integer but was: {compact(value)}",
                )
        path_field = f"{name}Path"
        if states is None and path_field in state:
            value = lookup(frame, state[path_field], data)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise frame.error(
                    RUNTIME,
                    f'The {path_field} field refers to value "{plain(value)}" which is not a valid positive '
                    f"integer: {state[path_field]}",
                )
    if "Credentials" in state:
        if states is not None:
            jsonata_template(frame, state["Credentials"], states, "Credentials")
        else:
            resolve_template(frame, state["Credentials"], data)


def run_parallel(frame: Frame, raw: Any, trace: Trace, driver: Driver) -> Outcome:
    if frame.jsonata:
        states = states_binding(frame, raw)
        args = raw
        if "Arguments" in frame.state:
            args = jsonata_template(frame, frame.state["Arguments"], states, "Arguments")
            trace["afterArguments"] = args
        return finish_jsonata(frame, raw, driver.parallel(frame, args), trace)
    effective = pipeline.input_path(frame, raw)
    params = pipeline.parameters(frame, effective)
    return finish_jsonpath(frame, raw, driver.parallel(frame, params), trace)


def run_body(frame: Frame, raw: Any, trace: Trace, driver: Driver) -> Outcome:
    """Run one attempt of a state; raises StatesError when it fails."""
    kind = frame.state.get("Type")
    if kind == "Pass":
        return run_pass(frame, raw, trace)
    if kind == "Choice":
        return run_choice(frame, raw, trace)
    if kind == "Wait":
        return run_wait(frame, raw, trace)
    if kind == "Succeed":
        return run_succeed(frame, raw, trace)
    if kind == "Fail":
        return run_fail(frame, raw, trace)
    if kind == "Task":
        return run_task(frame, raw, trace, driver)
    if kind == "Parallel":
        return run_parallel(frame, raw, trace, driver)
    if kind == "Map":
        return run_map(frame, raw, trace, driver)
    raise StatesError(RUNTIME, f"Unsupported state type {kind!r}")


def apply_catcher(frame: Frame, raw: Any, catcher: dict[str, Any], failure: StatesError) -> Outcome:
    """The output and next state when ``catcher`` handles ``failure``."""
    error_output = failure.error_output()
    if frame.jsonata:
        states = states_binding(frame, raw, error_output=error_output)
        output = pipeline.jsonata_output(frame, states, error_output, spec=catcher)
        assigned = pipeline.jsonata_assign(frame, states, spec=catcher)
    else:
        assigned = pipeline.jsonpath_assign(frame, error_output, spec=catcher)
        output = pipeline.result_path(frame, raw, error_output, spec=catcher)
    pipeline.commit(frame, assigned)
    return Outcome(output, catcher.get("Next"))
