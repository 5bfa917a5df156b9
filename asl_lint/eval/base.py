"""What every state runner shares: the outcome of a visit, the Driver protocol, common steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from asl_lint.eval import pipeline
from asl_lint.eval.choice import no_results
from asl_lint.eval.errors import RUNTIME
from asl_lint.eval.exprs import PathMissing, read_path
from asl_lint.eval.payload import compact, states_binding
from asl_lint.eval.runtime import Frame

Trace = dict[str, Any]


@dataclass
class Outcome:
    output: Any
    next_state: str | None  # None: the (sub-)machine ends here
    # What whole executions need besides the output: the Choice branch taken ("Choices/1" or
    # "Default", for coverage) and how long a Wait state waits (virtual time).
    branch: str | None = None
    wait_seconds: int | float | None = None
    wait_until: Fraction | None = None  # a Timestamp, in seconds since the epoch


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


def next_state(state: dict[str, Any]) -> str | None:
    return None if state.get("End") else state.get("Next")


def lookup(frame: Frame, path: str, data: Any) -> Any:
    try:
        return read_path(path, data, context=frame.context, variables=frame.variables.visible())
    except PathMissing as exc:
        raise frame.error(RUNTIME, no_results(path)) from exc


def plain(value: Any) -> str:
    return value if isinstance(value, str) else compact(value)


def finish_jsonpath(frame: Frame, raw: Any, result: Any, trace: Trace) -> Outcome:
    trace["result"] = result
    selected = pipeline.result_selector(frame, result)
    trace["afterResultSelector"] = selected
    # In Assign, $ is the raw result (docs/sources.md#amazon-states-language-semantics), not the ResultSelector output.
    assigned = pipeline.jsonpath_assign(frame, result)
    merged = pipeline.result_path(frame, raw, selected)
    trace["afterResultPath"] = merged
    output = pipeline.output_path(frame, merged)
    pipeline.commit(frame, assigned)
    return Outcome(output, next_state(frame.state))


def finish_jsonata(frame: Frame, raw: Any, result: Any, trace: Trace) -> Outcome:
    trace["result"] = result
    states = states_binding(frame, raw, result=result, has_result=True)
    output = pipeline.jsonata_output(frame, states, result)
    assigned = pipeline.jsonata_assign(frame, states)
    pipeline.commit(frame, assigned)
    return Outcome(output, next_state(frame.state))
