"""Variable data flow (``Assign``): which variables are set on every path / some path into each state.

Assignments ride on edges: a state's own ``Assign`` on its Next (for a Choice, only on its Default),
a Choice rule's ``Assign`` on that rule's edge, a catcher's ``Assign`` on its catch edge. Inner scopes
(Parallel branches, Map iterations) start with what the outer scope had when entering the Parallel/Map
state, read-only; a Distributed Map's child workflow starts with nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from asl_lint.model.machine import Scope, State, StateMachine

if TYPE_CHECKING:
    from asl_lint.graph.build import ScopeGraph

EMPTY: frozenset[str] = frozenset()


@dataclass
class Flow:
    """Which variables are set on every path and on some path to each state."""
    must: dict[str, frozenset[str]] = field(default_factory=dict)  # state pointer -> set on every path
    may: dict[str, frozenset[str]] = field(default_factory=dict)  # state pointer -> set on some path
    outer: dict[str, frozenset[str]] = field(default_factory=dict)  # scope pointer -> names of enclosing scopes


def assigned_names(value: Any) -> frozenset[str]:
    if not isinstance(value, dict):
        return EMPTY
    return frozenset(k[:-2] if k.endswith(".$") else k for k in value)


def _edge_assignments(state: State, kind: str, pointer: str) -> frozenset[str]:
    raw = state.raw
    if kind == "catch":
        index = int(pointer.rsplit("/", 2)[-2])
        catch = raw.get("Catch")
        return assigned_names(catch[index].get("Assign")) if isinstance(catch, list) else EMPTY
    if kind == "choice":
        index = int(pointer.rsplit("/", 2)[-2])
        choices = raw.get("Choices")
        return assigned_names(choices[index].get("Assign")) if isinstance(choices, list) else EMPTY
    return assigned_names(raw.get("Assign"))


def scope_assignments(scope: Scope) -> frozenset[str]:
    """Every name assigned anywhere directly in ``scope`` (not in nested scopes)."""
    names: set[str] = set()
    for state in scope.states.values():
        names |= assigned_names(state.raw.get("Assign"))
        for _, catcher in state.catchers:
            names |= assigned_names(catcher.get("Assign"))
        choices = state.raw.get("Choices")
        if isinstance(choices, list):
            for rule in choices:
                if isinstance(rule, dict):
                    names |= assigned_names(rule.get("Assign"))
    return frozenset(names)


def analyse(machine: StateMachine, graphs: dict[str, ScopeGraph]) -> Flow:
    flow = Flow()
    entry: dict[str, tuple[frozenset[str], frozenset[str]]] = {machine.root.pointer: (EMPTY, EMPTY)}
    flow.outer[machine.root.pointer] = EMPTY
    for scope in machine.scopes:  # breadth-first: an owner's scope is done before its children
        if scope.owner is not None:
            owner = scope.owner
            if scope.distributed:
                entry[scope.pointer] = (EMPTY, EMPTY)
            else:
                entry[scope.pointer] = (flow.must.get(owner.pointer, EMPTY), flow.may.get(owner.pointer, EMPTY))
            flow.outer[scope.pointer] = flow.outer[owner.scope.pointer] | scope_assignments(owner.scope)
        must0, may0 = entry.get(scope.pointer, (EMPTY, EMPTY))
        _solve(scope, graphs[scope.pointer], must0, may0, flow)
    return flow


def _solve(scope: Scope, graph: ScopeGraph, must0: frozenset[str], may0: frozenset[str], flow: Flow) -> None:
    start = scope.start_at
    if start is None or start not in scope.states:
        return
    preds: dict[str, list[tuple[str, frozenset[str]]]] = {name: [] for name in scope.states}
    for t in graph.transitions:
        preds[t.target].append((t.source, _edge_assignments(scope.states[t.source], t.kind, t.pointer)))
    universe = frozenset().union(*(a for edges in preds.values() for _, a in edges), must0, may0)
    must = {name: universe for name in scope.states}
    may = {name: EMPTY for name in scope.states}
    order = list(scope.states)
    changed = True
    rounds = 0
    while changed and rounds < len(order) + 5:
        changed = False
        rounds += 1
        for name in order:
            incoming_must = [must[src] | added for src, added in preds[name]]
            incoming_may = [may[src] | added for src, added in preds[name]]
            if name == start:
                incoming_must.append(must0)
                incoming_may.append(may0)
            new_must = frozenset.intersection(*incoming_must) if incoming_must else universe
            new_may = frozenset().union(*incoming_may) if incoming_may else EMPTY
            if new_must != must[name] or new_may != may[name]:
                must[name], may[name] = new_must, new_may
                changed = True
    for name, state in scope.states.items():
        flow.must[state.pointer] = must[name] & may[name]
        flow.may[state.pointer] = may[name]
