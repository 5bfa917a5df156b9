"""The HTTP Tasks of a machine and their request fields (Parameters: JSONPath, Arguments: JSONata)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from asl_lint.http.facts import HTTP_RESOURCE
from asl_lint.http.values import HttpValue, classify
from asl_lint.model.machine import State, StateMachine
from asl_lint.source.pointer import escape

# Request fields, as paths below Parameters/Arguments.
REQUEST_FIELDS: tuple[tuple[str, ...], ...] = (
    ("ApiEndpoint",),
    ("Method",),
    ("Authentication",),
    ("Authentication", "ConnectionArn"),
    ("InvocationConfig",),
    ("InvocationConfig", "ConnectionArn"),
    ("Headers",),
    ("QueryParameters",),
    ("RequestBody",),
    ("Transform",),
    ("Transform", "RequestBodyEncoding"),
    ("Transform", "RequestEncodingOptions"),
    ("Transform", "RequestEncodingOptions", "ArrayFormat"),
)
# Where a secret or a hand-made credential is "in the request" (ASL601, ASL603).
REQUEST_DATA_FIELDS = ("ApiEndpoint", "Headers", "QueryParameters", "RequestBody")


def is_http_resource(resource: Any) -> bool:
    return isinstance(resource, str) and HTTP_RESOURCE.match(resource) is not None


@dataclass
class HttpTask:
    """An HTTP Task. `payload` is the Parameters/Arguments value (None when absent)."""

    state: State
    payload_name: str  # "Parameters" or "Arguments"
    payload: Any
    fields: dict[str, HttpValue] = field(default_factory=dict)  # by dotted name, present ones only

    @property
    def jsonata(self) -> bool:
        return self.state.jsonata

    @property
    def payload_pointer(self) -> str:
        return self.state.ptr(self.payload_name)

    @property
    def payload_known(self) -> bool:
        """False when the whole payload is one expression or placeholder: its fields are unknown."""
        return isinstance(self.payload, dict)

    def get(self, name: str) -> HttpValue | None:
        return self.fields.get(name)

    def pointer(self, *path: str) -> str:
        """Pointer to a (possibly missing) request field."""
        return self.state.ptr(self.payload_name, *path)

    def connections(self) -> list[HttpValue]:
        """The connection ARNs given, new form first."""
        found = [self.fields.get(f"{holder}.ConnectionArn") for holder in ("InvocationConfig", "Authentication")]
        return [value for value in found if value is not None]

    def entries(self, name: str) -> Iterator[tuple[str, HttpValue]]:
        """(name without `.$`, value) of each member of a static object field (Headers, QueryParameters)."""
        holder = self.fields.get(name)
        if holder is None or not holder.static or not isinstance(holder.raw, dict):
            return
        for key, raw in holder.raw.items():
            key = str(key)
            dynamic = not self.jsonata and key.endswith(".$")
            bare = key[:-2] if dynamic else key
            yield (
                bare,
                classify(
                    f"{name}.{bare}",
                    f"{holder.pointer}/{escape(key)}",
                    raw,
                    dynamic=dynamic,
                    jsonata=self.jsonata,
                ),
            )


def _member(container: Any, name: str, base: str, *, jsonata: bool, dotted: str) -> HttpValue | None:
    if not isinstance(container, dict):
        return None
    if name in container:
        return classify(dotted, f"{base}/{escape(name)}", container[name], dynamic=False, jsonata=jsonata)
    if not jsonata and f"{name}.$" in container:
        return classify(dotted, f"{base}/{escape(name + '.$')}", container[f"{name}.$"], dynamic=True, jsonata=False)
    return None


def build_http_task(state: State) -> HttpTask:
    preferred, other = ("Arguments", "Parameters") if state.jsonata else ("Parameters", "Arguments")
    # The wrong one for the state's language is ASL004's business; read what is there.
    name = preferred if preferred in state.raw or other not in state.raw else other
    task = HttpTask(state, name, state.raw.get(name))
    jsonata = state.jsonata
    for path in REQUEST_FIELDS:
        parent_name = ".".join(path[:-1])
        if parent_name:
            parent = task.fields.get(parent_name)
            if parent is None or not parent.static:
                continue
            container, base = parent.raw, parent.pointer
        else:
            container, base = task.payload, task.payload_pointer
        value = _member(container, path[-1], base, jsonata=jsonata, dotted=".".join(path))
        if value is not None:
            task.fields[value.field] = value
    return task


def http_tasks(machine: StateMachine) -> list[HttpTask]:
    return [build_http_task(s) for s in machine.iter_states("Task") if is_http_resource(s.raw.get("Resource"))]


def cached_http_tasks(memo: dict[str, Any], machine: StateMachine) -> list[HttpTask]:
    """The machine's HTTP Tasks, built once per definition and shared by every check (`ctx.memo`)."""
    if "http.tasks" not in memo:
        memo["http.tasks"] = http_tasks(machine)
    tasks: list[HttpTask] = memo["http.tasks"]
    return tasks
