"""Run-time bookkeeping shared by executions and TestState: variable scopes, limits, state frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from asl_lint.eval.errors import LIMIT_EXCEEDED, StatesError

if TYPE_CHECKING:
    from asl_lint.eval.history import Recorder
    from asl_lint.eval.mocks import MockedResponses

JSONPATH = "JSONPath"
JSONATA = "JSONata"


@dataclass(frozen=True)
class Limits:
    """Caps that keep hostile definitions from hanging the evaluator."""

    max_transitions: int = 25_000  # like the Standard execution history limit
    max_map_items: int = 10_000  # per Map state visit
    max_retries: int = 1_000  # per state visit, whatever MaxAttempts says
    max_depth: int = 50  # nested Map/Parallel


class Variables:
    """Workflow variables: a scope that can read its parents and assigns into itself."""

    def __init__(self, values: dict[str, Any] | None = None, parent: Variables | None = None) -> None:
        self.values: dict[str, Any] = dict(values or {})
        self.parent = parent

    def child(self) -> Variables:
        return Variables(parent=self)

    def visible(self) -> dict[str, Any]:
        """All readable variables, inner scopes winning."""
        merged = self.parent.visible() if self.parent is not None else {}
        merged.update(self.values)
        return merged

    def assign(self, values: dict[str, Any]) -> None:
        # AWS rejects definitions where an inner scope assigns an outer name, so plain
        # assignment into this scope is all a valid definition can observe.
        self.values.update(values)


@dataclass
class Runtime:
    """One execution (or one TestState call): counters, limits, mocks and the virtual clock."""

    base_context: dict[str, Any]
    mocks: dict[str, Any] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    transitions: int = 0
    event_id: int = 0  # the last history event's id; ExecutionStarted is event #1
    # Items a Distributed Map ItemReader would have read (TestState ``mapItemReaderData``).
    item_reader_data: Any = None
    # Whole executions: when time starts (the clock is virtual: Wait states and retry backoff
    # only move it forward), Step Functions Local's mocked responses (instead of ``mocks``),
    # ItemReader items per Map state name, and where history events and coverage marks go.
    start: datetime = field(default_factory=lambda: datetime.now(UTC))
    responder: MockedResponses | None = None
    item_readers: dict[str, Any] = field(default_factory=dict)
    recorder: Recorder | None = None
    deadline: float | None = None  # seconds after start when the execution times out
    # Whole executions run on the virtual clock: JSONata's $now() and $millis() read the time the
    # state (attempt) was entered, as $$.State.EnteredTime does; TestState reads the real clock.
    virtual_clock: bool = False

    def next_event(self, count: int = 1) -> int:
        self.event_id += count
        return self.event_id

    def count_transition(self) -> None:
        self.transitions += 1
        if self.transitions > self.limits.max_transitions:
            raise StatesError(
                LIMIT_EXCEEDED,
                f"The execution exceeded {self.limits.max_transitions} state transitions (asl-lint limit).",
            )


@dataclass
class Frame:
    """One visit of one state: what error messages and expressions need to know."""

    name: str
    state: dict[str, Any]
    query_language: str
    context: dict[str, Any]
    variables: Variables
    runtime: Runtime
    entered_event: int = 2
    assigned: dict[str, Any] | None = None  # what this visit's Assign set (history events show it)

    @property
    def jsonata(self) -> bool:
        return self.query_language == JSONATA

    def header(self) -> str:
        return (
            f"An error occurred while executing the state '{self.name}' "
            f"(entered at the event id #{self.entered_event})."
        )

    def error(self, error: str, detail: str) -> StatesError:
        """A failure whose cause carries AWS's 'An error occurred while executing…' prefix."""
        return StatesError(error, f"{self.header()} {detail}")
