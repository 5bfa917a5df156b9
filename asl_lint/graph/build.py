"""Build one directed graph per scope.

Nodes are state names; each edge carries ``kind`` (next, default, choice, catch) and the
``pointer`` of the field that made it. Transitions to names that do not exist are kept aside
as dangling edges (for ASL101) instead of creating phantom nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from asl_lint.model.machine import Scope, State, StateMachine

if TYPE_CHECKING:
    import networkx as nx

EdgeKind = Literal["next", "default", "choice", "catch"]


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    kind: EdgeKind
    pointer: str  # the field that names the target


@dataclass
class ScopeGraph:
    scope: Scope
    graph: nx.DiGraph
    transitions: list[Transition] = field(default_factory=list)
    dangling: list[Transition] = field(default_factory=list)

    def reachable(self) -> set[str]:
        import networkx as nx

        start = self.scope.start_at
        if start is None or start not in self.graph:
            return set()
        return set(nx.descendants(self.graph, start)) | {start}

    def terminal_states(self) -> set[str]:
        """States that can end the scope: End true, Succeed, Fail."""
        return {
            name
            for name, state in self.scope.states.items()
            if state.is_end or state.is_terminal_type
        }

    def can_terminate(self, extra_exits: set[str] | None = None) -> set[str]:
        """States from which some terminal state (or one of ``extra_exits``) is reachable."""
        import networkx as nx

        terminals = self.terminal_states() | (extra_exits or set())
        reverse = self.graph.reverse(copy=False)
        found: set[str] = set()
        for terminal in terminals:
            if terminal in found:
                continue
            found.add(terminal)
            found.update(nx.descendants(reverse, terminal))
        return found


def transitions_of(state: State) -> Iterator[tuple[str, EdgeKind, str]]:
    """(target, kind, pointer of the naming field) for every transition a state declares."""
    raw = state.raw
    if isinstance(raw.get("Next"), str):
        yield raw["Next"], "next", state.ptr("Next")
    if state.type == "Choice":
        if isinstance(raw.get("Default"), str):
            yield raw["Default"], "default", state.ptr("Default")
        choices = raw.get("Choices")
        if isinstance(choices, list):
            for index, rule in enumerate(choices):
                if isinstance(rule, dict) and isinstance(rule.get("Next"), str):
                    yield rule["Next"], "choice", state.ptr("Choices", index, "Next")
    for index, catcher in state.catchers:
        if isinstance(catcher.get("Next"), str):
            yield catcher["Next"], "catch", state.ptr("Catch", index, "Next")


def build_scope_graph(scope: Scope) -> ScopeGraph:
    import networkx as nx

    graph: Any = nx.DiGraph()
    graph.add_nodes_from(scope.states)
    result = ScopeGraph(scope, graph)
    for state in scope.states.values():
        for target, kind, pointer in transitions_of(state):
            transition = Transition(state.name, target, kind, pointer)
            if target in scope.states:
                result.transitions.append(transition)
                if graph.has_edge(state.name, target):
                    graph[state.name][target]["kinds"].append(kind)
                else:
                    graph.add_edge(state.name, target, kind=kind, kinds=[kind], pointer=pointer)
            else:
                result.dangling.append(transition)
    return result


def build_graphs(machine: StateMachine) -> dict[str, ScopeGraph]:
    return {scope.pointer: build_scope_graph(scope) for scope in machine.scopes}
