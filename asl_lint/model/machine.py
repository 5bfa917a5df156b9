"""A tolerant, typed view of a definition: scopes, states, and the pointer of each.

Built from the plain parsed value. Nothing here raises on bad structure: a field of the wrong
type is simply absent from the typed view, and the schema rules report it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from asl_lint.source.pointer import escape

STATE_TYPES = ("Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")
QueryLanguage = Literal["JSONPath", "JSONata"]
ScopeKind = Literal["root", "branch", "map"]


@dataclass(eq=False)
class State:
    """One state of the definition, with its place (pointer, scope) and query language. Its fields
    are read from ``raw`` once (a lint asks a state its type some 170 times): the parsed value is
    never changed after the model is built."""
    name: str
    pointer: str  # of the state object, from the definition root
    raw: dict[str, Any]
    scope: Scope
    query_language: QueryLanguage
    children: list[Scope] = field(default_factory=list)

    @cached_property
    def type(self) -> str | None:
        value = self.raw.get("Type")
        return value if isinstance(value, str) else None

    @cached_property
    def resource(self) -> str | None:
        value = self.raw.get("Resource")
        return value if isinstance(value, str) else None

    @cached_property
    def next(self) -> str | None:
        value = self.raw.get("Next")
        return value if isinstance(value, str) else None

    @property
    def is_end(self) -> bool:
        return self.raw.get("End") is True

    @property
    def is_terminal_type(self) -> bool:
        return self.type in ("Succeed", "Fail")

    @property
    def jsonata(self) -> bool:
        return self.query_language == "JSONata"

    def ptr(self, *tokens: str | int) -> str:
        """Pointer to a field (or deeper) of this state."""
        out = self.pointer
        for token in tokens:
            out = f"{out}/{escape(token)}"
        return out

    def list_field(self, name: str) -> list[Any]:
        value = self.raw.get(name)
        return value if isinstance(value, list) else []

    @cached_property
    def retriers(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, r) for i, r in enumerate(self.list_field("Retry")) if isinstance(r, dict)]

    @cached_property
    def catchers(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, c) for i, c in enumerate(self.list_field("Catch")) if isinstance(c, dict)]

    @property
    def is_distributed_map(self) -> bool:
        if self.type != "Map":
            return False
        processor = self.raw.get("ItemProcessor")
        if isinstance(processor, dict):
            config = processor.get("ProcessorConfig")
            return isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"
        return False


@dataclass(eq=False)
class Scope:
    """A set of states that transition among themselves: the top level, a branch, a Map processor."""

    pointer: str  # of the object holding StartAt and States
    kind: ScopeKind
    raw: dict[str, Any]
    owner: State | None
    depth: int
    states: dict[str, State] = field(default_factory=dict)

    @property
    def start_at(self) -> str | None:
        value = self.raw.get("StartAt")
        return value if isinstance(value, str) else None

    @property
    def states_pointer(self) -> str:
        return f"{self.pointer}/States"

    @property
    def distributed(self) -> bool:
        return self.owner is not None and self.owner.is_distributed_map

    def label(self) -> str:
        if self.owner is None:
            return "the state machine"
        if self.kind == "branch":
            index = self.pointer.rsplit("/", 1)[-1]
            return f"branch {index} of Parallel state '{self.owner.name}'"
        return f"the processor of Map state '{self.owner.name}'"


@dataclass(eq=False)
class StateMachine:
    """A definition as the rules see it: its scopes and every state, nested ones included."""
    raw: Any
    root: Scope
    scopes: list[Scope]
    states: list[State]  # every state, nested ones included, in document order
    query_language: QueryLanguage
    _of_types: dict[tuple[str, ...], list[State]] = field(default_factory=dict, init=False, repr=False)

    def iter_states(self, *types: str) -> Iterator[State]:
        """The states (of one of ``types``), in document order."""
        if not types:
            return iter(self.states)
        # Every check asks for its kinds of state: answered once per model (a tenth of the
        # editor's fast lint of a 500-state definition went into asking each state its type).
        found = self._of_types.get(types)
        if found is None:
            found = self._of_types[types] = [state for state in self.states if state.type in types]
        return iter(found)

    def state_for_pointer(self, pointer: str) -> State | None:
        """The innermost state whose object contains ``pointer``."""
        by_pointer = self._by_pointer
        current = pointer
        while True:
            state = by_pointer.get(current)
            if state is not None:
                return state
            if not current:
                return None
            current = current[: current.rfind("/")]

    @cached_property
    def _by_pointer(self) -> dict[str, State]:
        return {state.pointer: state for state in self.states}

    def names(self) -> dict[str, list[State]]:
        found: dict[str, list[State]] = {}
        for state in self.states:
            found.setdefault(state.name, []).append(state)
        return found


def _language(raw: Any, default: QueryLanguage) -> QueryLanguage:
    value = raw.get("QueryLanguage") if isinstance(raw, dict) else None
    return value if value in ("JSONPath", "JSONata") else default


def build_model(definition: Any) -> StateMachine:
    raw = definition if isinstance(definition, dict) else {}
    top_language = _language(raw, "JSONPath")
    root = Scope("", "root", raw, None, 0)
    machine = StateMachine(definition, root, [], [], top_language)
    # Iterative walk: (scope dict, pointer, kind, owner, depth, inherited language)
    # Breadth-first over scopes; each state gets a sort key (its index path) for document order.
    pending: deque[tuple[Scope, QueryLanguage, tuple[int, ...]]] = deque([(root, top_language, ())])
    order: dict[int, tuple[int, ...]] = {}
    while pending:
        scope, language, prefix = pending.popleft()
        machine.scopes.append(scope)
        states = scope.raw.get("States")
        if not isinstance(states, dict):
            continue
        for index, (name, state_raw) in enumerate(states.items()):
            if not isinstance(state_raw, dict):
                continue
            pointer = f"{scope.states_pointer}/{escape(name)}"
            state = State(name, pointer, state_raw, scope, _language(state_raw, language))
            scope.states[name] = state
            machine.states.append(state)
            key = (*prefix, index)
            order[id(state)] = key
            for child_index, (child_raw, child_pointer, kind) in enumerate(_child_scopes(state_raw, pointer)):
                child = Scope(child_pointer, kind, child_raw, state, scope.depth + 1)
                state.children.append(child)
                # Nested scopes inherit the enclosing state's language unless they set their own.
                pending.append((child, state.query_language, (*key, child_index)))
    machine.states.sort(key=lambda s: order[id(s)])
    return machine


def _child_scopes(state: dict[str, Any], pointer: str) -> Iterator[tuple[dict[str, Any], str, ScopeKind]]:
    if state.get("Type") == "Parallel":
        branches = state.get("Branches")
        if isinstance(branches, list):
            for index, branch in enumerate(branches):
                if isinstance(branch, dict):
                    yield branch, f"{pointer}/Branches/{index}", "branch"
    elif state.get("Type") == "Map":
        for key in ("ItemProcessor", "Iterator"):
            processor = state.get(key)
            if isinstance(processor, dict):
                yield processor, f"{pointer}/{key}", "map"
