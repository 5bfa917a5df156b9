"""The Map state: items (ItemsPath / Items / ItemReader data), ItemSelector, ItemBatcher, limits."""

from __future__ import annotations

import json
from collections.abc import Callable
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
    plain,
)
from asl_lint.eval.context import with_map_item
from asl_lint.eval.errors import NO_MOCK, QUERY_EVALUATION, RUNTIME, StatesError
from asl_lint.eval.payload import compact, jsonata_template, resolve_template, states_binding
from asl_lint.eval.runtime import Frame
from asl_lint.expr.intrinsics import json_type


def _parse_number(text: str, allow_fraction: bool) -> Any:
    """AWS reads these ``…Path`` values as numbers even when they are JSON strings like "1"."""
    try:
        return float(text) if allow_fraction else int(text)
    except ValueError:
        return text


def _is_number(value: Any, fraction: bool) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) if fraction else isinstance(value, int)


def _integer_field(frame: Frame, name: str, data: Any, states: dict[str, Any] | None) -> Any:
    """A Map number field: literal, JSONata expression, or its ``…Path`` variant."""
    state = frame.state
    fraction = name == "ToleratedFailurePercentage"
    if name in state:
        value = state[name]
        if states is not None:
            value = jsonata_template(frame, value, states, name)
        if not _is_number(value, fraction):
            error = QUERY_EVALUATION if states is not None else RUNTIME
            raise frame.error(error, f"The {name} field must be a number but was: {compact(value)}")
        return value
    path_field = f"{name}Path"
    if path_field in state:
        path = state[path_field]
        value = lookup(frame, path, data)
        if isinstance(value, str):
            value = _parse_number(value, fraction)
        if not _is_number(value, fraction):
            raise frame.error(
                RUNTIME,
                f'The {path_field} field refers to value "{plain(value)}" '
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
    items = lookup(frame, path, effective)
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
            f"result type. Expected 'array', but was '{json_type(items)}' for value: {compact(items)}",
        )
    return items


def _reader_items(frame: Frame) -> list[Any]:
    """Items of a Map with an ItemReader: only what the caller supplied (nothing is read from S3)."""
    runtime = frame.runtime
    data = runtime.item_readers.get(frame.name, runtime.item_reader_data)
    if data is None and runtime.responder is not None:  # a workflow test without the items
        raise StatesError(
            NO_MOCK,
            f"Map state '{frame.name}' reads its items with an ItemReader; asl-lint reads nothing from S3. "
            f"Give the items under the case's itemReader: {{{frame.name}: [...]}}.",
        )
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
        return finish_jsonata(frame, raw, result, trace)
    return finish_jsonpath(frame, raw, result, trace)
