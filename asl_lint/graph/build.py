"""Build one directed graph per scope.

Nodes are state names; each edge carries ``kind`` (next, default, choice, catch) and the
``pointer`` of the field that made it. Transitions to names that do not exist are kept aside
as dangling edges (for ASL101) instead of creating phantom nodes.

The rules need only reachability and strongly connected components, which run here on plain
adjacency lists: importing networkx costs more than linting a small file, so ``ScopeGraph.graph``
(a networkx ``DiGraph``) is built only when someone asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from asl_lint.model.machine import Scope, State, StateMachine

if TYPE_CHECKING:
    import networkx as nx

EdgeKind = Literal["next", "default", "choice", "catch"]


@dataclass(frozen=True)
class Transition:
    """An edge of the state graph: Next, Default, a Choice rule or a Catcher."""
    source: str
    target: str
    kind: EdgeKind
    pointer: str  # the field that names the target


@dataclass
class ScopeGraph:
    """The states of one scope (the top level, a Parallel branch, a Map's processor) and their edges."""
    scope: Scope
    transitions: list[Transition] = field(default_factory=list)
    dangling: list[Transition] = field(default_factory=list)
    # successors of every state of the scope, each target once, in declaration order
    successors: dict[str, list[str]] = field(default_factory=dict)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The scope as a networkx DiGraph (edge attrs ``kind``, ``kinds``, ``pointer``); built lazily."""
        import networkx as nx

        graph: Any = nx.DiGraph()
        graph.add_nodes_from(self.scope.states)
        for t in self.transitions:
            if graph.has_edge(t.source, t.target):
                graph[t.source][t.target]["kinds"].append(t.kind)
            else:
                graph.add_edge(t.source, t.target, kind=t.kind, kinds=[t.kind], pointer=t.pointer)
        return graph

    @cached_property
    def predecessors(self) -> dict[str, list[str]]:
        preds: dict[str, list[str]] = {name: [] for name in self.successors}
        for source, targets in self.successors.items():
            for target in targets:
                preds[target].append(source)
        return preds

    def reachable(self) -> set[str]:
        start = self.scope.start_at
        if start is None or start not in self.successors:
            return set()
        return closure(self.successors, (start,))

    def terminal_states(self) -> set[str]:
        """States that can end the scope: End true, Succeed, Fail."""
        return {
            name
            for name, state in self.scope.states.items()
            if state.is_end or state.is_terminal_type
        }

    def can_terminate(self, extra_exits: set[str] | None = None) -> set[str]:
        """States from which some terminal state (or one of ``extra_exits``) is reachable."""
        terminals = self.terminal_states() | (extra_exits or set())
        return closure(self.predecessors, (t for t in terminals if t in self.predecessors))


def closure(adjacency: Mapping[str, list[str]], starts: Iterable[str]) -> set[str]:
    """The nodes reachable from ``starts`` (included) along ``adjacency``."""
    seen = set(starts)
    stack = list(seen)
    while stack:
        for nxt in adjacency.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def strongly_connected_components(adjacency: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of ``adjacency`` (nodes are its keys; edges to other
    names are ignored), iteratively so that long chains cannot hit the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in adjacency:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(adjacency[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in adjacency:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(adjacency[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


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
    result = ScopeGraph(scope)
    successors: dict[str, list[str]] = {name: [] for name in scope.states}
    for state in scope.states.values():
        targets = successors.setdefault(state.name, [])
        for target, kind, pointer in transitions_of(state):
            transition = Transition(state.name, target, kind, pointer)
            if target in scope.states:
                result.transitions.append(transition)
                if target not in targets:
                    targets.append(target)
            else:
                result.dangling.append(transition)
    result.successors = successors
    return result


def build_graphs(machine: StateMachine) -> dict[str, ScopeGraph]:
    return {scope.pointer: build_scope_graph(scope) for scope in machine.scopes}
