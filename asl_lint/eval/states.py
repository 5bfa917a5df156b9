"""One visit of one state: the body of every state type, without Retry/Catch looping.

The parts that need a world outside the state (a Task's result, Map iterations, Parallel branches)
come from a ``Driver``: whole executions run sub-machines and mocks; TestState returns its mock.
``trace`` collects the inspection data (decoded values) as the steps run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from asl_lint.eval import pipeline
from asl_lint.eval.choice import evaluate_rule
from asl_lint.eval.context import with_map_item
from asl_lint.eval.errors import NO_CHOICE_MATCHED, QUERY_EVALUATION, RUNTIME, StatesError
from asl_lint.eval.exprs import PathMissing, read_path
from asl_lint.eval.payload import (
    compact,
    jsonata_template,
    jsonpath_value,
    resolve_template,
    states_binding,
)
from asl_lint.eval.runtime import Frame
from asl_lint.eval.timestamps import parse_timestamp

Trace = dict[str, Any]


@dataclass
class Outcome:
    output: Any
    next_state: str | None  # None: the (sub-)machine ends here


@dataclass
class MapSettings:
    max_concurrency: int = 0
    tolerated_failure_count: int | None = None
    tolerated_failure_percentage: float | None = None


class Driver(Protocol):
    def task(self, frame: Frame, payload: Any) -> Any: ...

    def parallel(self, frame: Frame, payload: Any) -> Any: ...

    def map(
        self,
        frame: Frame,
        items: list[Any],
        make_input: Callable[[int, Any], Any],
        settings: MapSettings,
    ) -> Any: ...


def _next(state: dict[str, Any]) -> str | None:
    return None if state.get("End") else state.get("Next")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


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
    return Outcome(output, _next(state))


def run_succeed(frame: Frame, raw: Any, trace: Trace) -> Outcome:
    if frame.jsonata:
        states = states_binding(frame, raw)
        return Outcome(pipeline.jsonata_output(frame, states, raw), None)
    effective = pipeline.input_path(frame, raw)
    trace["afterInputPath"] = effective
    return Outcome(pipeline.output_path(frame, effective), None)


def _wait_seconds_path(frame: Frame, path: str, effective: Any) -> None:
    value = _lookup(frame, path, effective)
    if isinstance(value, bool) or not isinstance(value, int):
        raise frame.error(
            RUNTIME, f"The SecondsPath parameter cannot be parsed as a long value: {path} == {_plain(value)}"
        )
    if value < 0:
        raise frame.error(
            RUNTIME, f"The SecondsPath parameter references a negative value: {path} == {value}"
        )


def _wait_timestamp_path(frame: Frame, path: str, effective: Any) -> None:
    value = _lookup(frame, path, effective)
    if parse_timestamp(value) is None:
        raise frame.error(
            RUNTIME,
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
            f"date-time format string: {path} == {_plain(value)}",
        )


def run_wait(frame: Frame, raw: Any, trace: Trace) -> Outcome:
    """Wait: validates the delay like AWS, never sleeps."""
    state = frame.state
    if frame.jsonata:
        states = states_binding(frame, raw)
        if "Seconds" in state:
            seconds = jsonata_template(frame, state["Seconds"], states, "Seconds")
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
                raise frame.error(
                    QUERY_EVALUATION, f"The Seconds field must be a non-negative integer: {_plain(seconds)}"
                )
        if "Timestamp" in state:
            stamp = jsonata_template(frame, state["Timestamp"], states, "Timestamp")
            if parse_timestamp(stamp) is None:
                raise frame.error(
                    QUERY_EVALUATION,
                    "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                    f"format string: {_plain(stamp)}",
                )
        output = pipeline.jsonata_output(frame, states, raw)
        assigned = pipeline.jsonata_assign(frame, states)
    else:
        effective = pipeline.input_path(frame, raw)
        trace["afterInputPath"] = effective
        if "SecondsPath" in state:
            _wait_seconds_path(frame, state["SecondsPath"], effective)
        if "TimestampPath" in state:
            _wait_timestamp_path(frame, state["TimestampPath"], effective)
        assigned = pipeline.jsonpath_assign(frame, effective)
        output = pipeline.output_path(frame, effective)
    pipeline.commit(frame, assigned)
    return Outcome(output, _next(state))


# --- Choice, Fail --------------------------------------------------------------------------------


def _lookup(frame: Frame, path: str, data: Any) -> Any:
    try:
        return read_path(path, data, context=frame.context, variables=frame.variables.visible())
    except PathMissing as exc:
        from asl_lint.eval.choice import no_results

        raise frame.error(RUNTIME, no_results(path)) from exc


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else compact(value)


def run_choice(frame: Frame, raw: Any, trace: Trace) -> Outcome:
    state = frame.state
    rules: list[dict[str, Any]] = list(state.get("Choices") or [])
    if frame.jsonata:
        states = states_binding(frame, raw)
        for rule in rules:
            verdict = jsonata_template(frame, rule.get("Condition"), states, "Condition")
            if not isinstance(verdict, bool):
                raise frame.error(
                    QUERY_EVALUATION,
                    f"The JSONata expression specified for the field 'Condition' returned an unexpected "
                    f"result type. Expected 'boolean', but was '{_type_name(verdict)}' for value: "
                    f"{compact(verdict)}",
                )
            if verdict:
                return _choose_jsonata(frame, states, raw, rule, rule["Next"])
        if "Default" not in state:
            raise StatesError(NO_CHOICE_MATCHED, "No Matches!")
        return _choose_jsonata(frame, states, raw, state, state["Default"])

    effective = pipeline.input_path(frame, raw)
    trace["afterInputPath"] = effective
    variables = frame.variables.visible()

    def resolve(path: str) -> tuple[bool, Any]:
        try:
            return True, read_path(path, effective, context=frame.context, variables=variables)
        except PathMissing:
            return False, None

    try:
        chosen = next((rule for rule in rules if evaluate_rule(rule, resolve)), None)
    except StatesError as exc:
        raise frame.error(exc.error or RUNTIME, exc.cause or "") from exc
    if chosen is None:
        if "Default" not in state:
            raise StatesError(NO_CHOICE_MATCHED, "No Matches!")
        holder, target = state, state["Default"]
    else:
        holder, target = chosen, chosen["Next"]
    assigned = pipeline.jsonpath_assign(frame, effective, spec=holder)
    output = pipeline.output_path(frame, effective)
    pipeline.commit(frame, assigned)
    return Outcome(output, target)


def _choose_jsonata(
    frame: Frame, states: dict[str, Any], raw: Any, holder: dict[str, Any], target: str
) -> Outcome:
    output = pipeline.jsonata_output(frame, states, raw, spec=holder)
    assigned = pipeline.jsonata_assign(frame, states, spec=holder)
    pipeline.commit(frame, assigned)
    return Outcome(output, target)


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
        None if error is None else _plain(error),
        None if cause is None else _plain(cause),
    )


# --- Task, Parallel, Map -------------------------------------------------------------------------


def _finish_jsonpath(frame: Frame, raw: Any, result: Any, trace: Trace) -> Outcome:
    trace["result"] = result
    selected = pipeline.result_selector(frame, result)
    trace["afterResultSelector"] = selected
    assigned = pipeline.jsonpath_assign(frame, selected)
    merged = pipeline.result_path(frame, raw, selected)
    trace["afterResultPath"] = merged
    output = pipeline.output_path(frame, merged)
    pipeline.commit(frame, assigned)
    return Outcome(output, _next(frame.state))


def _finish_jsonata(frame: Frame, raw: Any, result: Any, trace: Trace) -> Outcome:
    trace["result"] = result
    states = states_binding(frame, raw, result=result, has_result=True)
    output = pipeline.jsonata_output(frame, states, result)
    assigned = pipeline.jsonata_assign(frame, states)
    pipeline.commit(frame, assigned)
    return Outcome(output, _next(frame.state))


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
        return _finish_jsonata(frame, raw, driver.task(frame, args), trace)
    effective = pipeline.input_path(frame, raw)
    trace["afterInputPath"] = effective
    params = pipeline.parameters(frame, effective)
    trace["afterParameters"] = params
    return _finish_jsonpath(frame, raw, driver.task(frame, params), trace)


def run_parallel(frame: Frame, raw: Any, trace: Trace, driver: Driver) -> Outcome:
    if frame.jsonata:
        states = states_binding(frame, raw)
        args = raw
        if "Arguments" in frame.state:
            args = jsonata_template(frame, frame.state["Arguments"], states, "Arguments")
            trace["afterArguments"] = args
        return _finish_jsonata(frame, raw, driver.parallel(frame, args), trace)
    effective = pipeline.input_path(frame, raw)
    params = pipeline.parameters(frame, effective)
    return _finish_jsonpath(frame, raw, driver.parallel(frame, params), trace)


def _parse_number(text: str, allow_fraction: bool) -> Any:
    """AWS reads these ``…Path`` values as numbers even when they are JSON strings like "1"."""
    try:
        return float(text) if allow_fraction else int(text)
    except ValueError:
        return text


def _integer_field(frame: Frame, name: str, data: Any, states: dict[str, Any] | None) -> Any:
    """A Map number field: literal, JSONata expression, or its ``…Path`` variant."""
    state = frame.state
    if name in state:
        value = state[name]
        if states is not None:
            value = jsonata_template(frame, value, states, name)
        return value
    path_field = f"{name}Path"
    if path_field in state:
        path = state[path_field]
        value = _lookup(frame, path, data)
        if isinstance(value, str):
            value = _parse_number(value, name == "ToleratedFailurePercentage")
        if name == "ToleratedFailurePercentage":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        else:
            ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok:
            raise frame.error(
                RUNTIME,
                f'The {path_field} field refers to value "{_plain(value)}" '
                f"which is not a valid integer: {path}",
            )
        return value
    return None


def map_settings(frame: Frame, data: Any, states: dict[str, Any] | None) -> MapSettings:
    settings = MapSettings()
    concurrency = _integer_field(frame, "MaxConcurrency", data, states)
    if concurrency is not None:
        settings.max_concurrency = int(concurrency)
    count = _integer_field(frame, "ToleratedFailureCount", data, states)
    if count is not None:
        if count < 0:
            raise frame.error(RUNTIME, "ToleratedFailureCount cannot be negative.")
        settings.tolerated_failure_count = int(count)
    percentage = _integer_field(frame, "ToleratedFailurePercentage", data, states)
    if percentage is not None:
        if not 0 <= percentage <= 100:
            raise frame.error(RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
        settings.tolerated_failure_percentage = float(percentage)
    return settings


def _items_jsonpath(frame: Frame, effective: Any, trace: Trace) -> list[Any]:
    path = frame.state.get("ItemsPath", "$")
    items = _lookup(frame, path, effective)
    if not isinstance(items, list):
        shown = path[1:] if path.startswith("$$") else path
        raise StatesError(RUNTIME, f'Reference path "{shown}" must point to array.')
    trace["afterItemsPath"] = items
    return items


def _items_jsonata(frame: Frame, raw: Any, states: dict[str, Any]) -> list[Any]:
    if "Items" not in frame.state:
        if not isinstance(raw, list):
            raise frame.error(QUERY_EVALUATION, f"Map state input must be an array but was: {compact(raw)}")
        return raw
    template = frame.state["Items"]
    items = jsonata_template(frame, template, states, "Items")
    if isinstance(items, dict) or not isinstance(items, list):
        expression = template[2:-2].strip() if isinstance(template, str) else json.dumps(template)
        raise frame.error(
            QUERY_EVALUATION,
            f"The JSONata expression '{expression}' specified for the field 'Items' returned an unexpected "
            f"result type. Expected 'array', but was '{_type_name(items)}' for value: {compact(items)}",
        )
    return items


def _reader_items(frame: Frame) -> list[Any]:
    """Items of a Map with an ItemReader: only what the caller supplied (nothing is read from S3)."""
    data = frame.runtime.item_reader_data
    if isinstance(data, str):
        data = json.loads(data)
    if not isinstance(data, list):
        raise StatesError(
            "States.ItemReaderFailed",
            "asl-lint cannot read ItemReader sources offline; no items were supplied.",
        )
    return data


def map_items(frame: Frame, raw: Any, trace: Trace) -> tuple[list[Any], Callable[[int, Any], Any], Any]:
    """The items, the per-item input builder, and the data ``…Path`` fields read from."""
    state = frame.state
    selector_field = "ItemSelector" if "ItemSelector" in state else "Parameters"
    if frame.jsonata:
        states = states_binding(frame, raw)
        items = _reader_items(frame) if "ItemReader" in state else _items_jsonata(frame, raw, states)

        def make_input_jsonata(index: int, item: Any) -> Any:
            if selector_field not in state:
                return item
            item_frame = _with_context(frame, with_map_item(frame.context, index, item))
            item_states = states_binding(item_frame, raw)
            return jsonata_template(item_frame, state[selector_field], item_states, selector_field)

        return items, make_input_jsonata, raw
    effective = pipeline.input_path(frame, raw)
    trace["afterInputPath"] = effective
    items = _reader_items(frame) if "ItemReader" in state else _items_jsonpath(frame, effective, trace)

    def make_input_jsonpath(index: int, item: Any) -> Any:
        if selector_field not in state:
            return item
        item_frame = _with_context(frame, with_map_item(frame.context, index, item))
        return resolve_template(item_frame, state[selector_field], effective)

    return items, make_input_jsonpath, effective


def _with_context(frame: Frame, context: dict[str, Any]) -> Frame:
    return Frame(
        frame.name,
        frame.state,
        frame.query_language,
        context,
        frame.variables,
        frame.runtime,
        frame.entered_event,
    )


def _batches(
    frame: Frame,
    items: list[Any],
    make_input: Callable[[int, Any], Any],
    data: Any,
    states: dict[str, Any] | None,
) -> tuple[list[Any], Callable[[int, Any], Any]]:
    """ItemBatcher: children receive ``{"Items": [...], "BatchInput": ...}`` instead of one item."""
    batcher: dict[str, Any] = frame.state["ItemBatcher"]
    sub = Frame(
        frame.name,
        batcher,
        frame.query_language,
        frame.context,
        frame.variables,
        frame.runtime,
        frame.entered_event,
    )
    max_items = _integer_field(sub, "MaxItemsPerBatch", data, states)
    max_bytes = _integer_field(sub, "MaxInputBytesPerBatch", data, states)
    batch_input: Any = None
    if "BatchInput" in batcher:
        if states is not None:
            batch_input = jsonata_template(frame, batcher["BatchInput"], states, "ItemBatcher/BatchInput")
        else:
            batch_input = resolve_template(frame, batcher["BatchInput"], data)
    selected = [make_input(index, item) for index, item in enumerate(items)]
    groups: list[list[Any]] = []
    size = 0
    for value in selected:
        value_size = len(compact(value).encode("utf-8"))
        full = groups and (
            (max_items and len(groups[-1]) >= max_items) or (max_bytes and size + value_size > max_bytes)
        )
        if not groups or full:
            groups.append([])
            size = 0
        groups[-1].append(value)
        size += value_size

    def batch_input_for(_: int, group: Any) -> Any:
        out: dict[str, Any] = {"Items": group}
        if batch_input is not None:
            out["BatchInput"] = batch_input
        return out

    return groups, batch_input_for


def run_map(frame: Frame, raw: Any, trace: Trace, driver: Driver) -> Outcome:
    items, make_input, data = map_items(frame, raw, trace)
    states = states_binding(frame, raw) if frame.jsonata else None
    settings = map_settings(frame, data, states)
    if "ItemBatcher" in frame.state:
        items, make_input = _batches(frame, items, make_input, data, states)
    result = driver.map(frame, items, make_input, settings)
    if frame.jsonata:
        return _finish_jsonata(frame, raw, result, trace)
    return _finish_jsonpath(frame, raw, result, trace)


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
