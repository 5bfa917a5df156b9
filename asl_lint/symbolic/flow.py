"""The abstract data at every state: a fixpoint over each scope's graph, outer scopes first.

A state's input is the join of what its predecessors send along each edge (None: nothing
reaches it). Parallel branches start with the state's effective input, Map iterations with the
ItemSelector's shape (else unknown), the top level with the execution input: unknown unless an
input schema describes it. Loops are cut off after a bounded number of rounds (then: unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from asl_lint.model.machine import Scope, State, StateMachine
from asl_lint.symbolic.domain import TOP, AVal, join
from asl_lint.symbolic.transfer import Transfer, transfer

if TYPE_CHECKING:
    from asl_lint.graph.build import ScopeGraph, Transition


@dataclass
class Flow:
    """The abstract data of every state: its input, its transfer and where its data came from."""
    inputs: dict[str, AVal] = field(default_factory=dict)  # state pointer → abstract raw input
    transfers: dict[str, Transfer] = field(default_factory=dict)  # state pointer → its last transfer
    # state pointer → [(label of where the data came from, the data on that edge)]
    incoming: dict[str, list[tuple[str, AVal]]] = field(default_factory=dict)


def analyse(machine: StateMachine, graphs: dict[str, ScopeGraph], start: AVal = TOP) -> Flow:
    """Two passes: the first with unknown Parallel results, the second with the results the
    branches produce in the first (over-approximations, as everything in pass one is)."""
    first = _pass(machine, graphs, start, {})
    if not any(state.type == "Parallel" for state in machine.states):
        return first
    results: dict[str, AVal | None] = {}
    for state in machine.iter_states("Parallel"):
        if state.pointer not in first.transfers or not state.children:
            continue
        items: list[AVal] = []
        for scope in state.children:
            finals: AVal | None = None
            for inner in scope.states.values():
                visit = first.transfers.get(inner.pointer)
                if visit is not None:
                    finals = join(finals, visit.final)
            if finals is None:
                break
            items.append(finals)
        else:
            results[state.pointer] = AVal(frozenset({"array"}), items=tuple(items))
            continue
        results[state.pointer] = None
    return _pass(machine, graphs, start, results)


def _pass(machine: StateMachine, graphs: dict[str, ScopeGraph], start: AVal,
          branch_results: dict[str, AVal | None]) -> Flow:
    flow = Flow()
    entries: dict[str, AVal | None] = {machine.root.pointer: start}
    for scope in machine.scopes:  # breadth-first: an owner's scope is solved before its children
        if scope.owner is not None:
            owner_transfer = flow.transfers.get(scope.owner.pointer)
            entries[scope.pointer] = None if owner_transfer is None else (
                TOP if scope.distributed or owner_transfer.child_input is None else owner_transfer.child_input)
        entry = entries.get(scope.pointer)
        if entry is not None and scope.pointer in graphs:
            _solve(scope, graphs[scope.pointer], entry, flow, branch_results)
    return flow


def _solve(scope: Scope, graph: ScopeGraph, entry: AVal, flow: Flow,
           branch_results: dict[str, AVal | None]) -> None:
    start = scope.start_at
    if start is None or start not in scope.states:
        return
    inputs: dict[str, AVal | None] = {name: None for name in scope.states}
    inputs[start] = entry
    outgoing: dict[str, list[tuple[str, str]]] = {name: [] for name in scope.states}
    for t in graph.transitions:
        outgoing[t.source].append((t.pointer, t.target))
    results: dict[str, Transfer] = {}
    # The input each result was computed from: a state whose input is still that very object is not
    # transferred again (transfer is a function of its input), and what it sends is then the object
    # it sent before, which join and same() recognise by identity: rounds that confirm a fixpoint
    # cost next to nothing instead of a deep join per edge (quadratic on long chains of states).
    computed_from: dict[str, AVal] = {}
    # The values already joined into each input (by identity; kept alive so that ids stay theirs):
    # joining one of them again gives the input back, so it is not walked again. A Choice sends
    # two values to one state (a rule's branch and the Default), which every confirming round
    # would otherwise join and compare in full: quadratic in the length of the data.
    absorbed: dict[str, dict[int, AVal]] = {name: {} for name in scope.states}
    limit = 3 * len(scope.states) + 10
    for _round in range(limit):
        changed = False
        for name, state in scope.states.items():
            value = inputs[name]
            if value is None:
                continue
            if computed_from.get(name) is value:
                result = results[name]
            else:
                results[name] = result = transfer(state, value, branch_results)
                computed_from[name] = value
            for pointer, target in outgoing[name]:
                sent = result.edges.get(pointer)
                old = inputs[target]
                if sent is None or sent is old or id(sent) in absorbed[target]:
                    continue  # nothing new for the target
                merged = join(old, sent)
                if merged is not None and (old is None or not merged.same(old)):
                    inputs[target] = merged
                    changed = True
                absorbed[target][id(sent)] = sent
        if not changed:
            break
    else:
        # No fixpoint in bounded time (a loop that keeps growing the data): forget everything.
        for name in scope.states:
            if inputs[name] is not None:
                inputs[name] = TOP
                results[name] = transfer(scope.states[name], TOP, branch_results)
    into: dict[str, list[Transition]] = {name: [] for name in scope.states}
    for t in graph.transitions:
        into[t.target].append(t)
    for name, state in scope.states.items():
        value = inputs[name]
        if value is None:
            continue
        flow.inputs[state.pointer] = value
        flow.transfers[state.pointer] = results[name]
        incoming: list[tuple[str, AVal]] = [("the start of " + scope.label(), entry)] if name == start else []
        for t in into[name]:
            if t.source in results:
                sent = results[t.source].edges.get(t.pointer)
                if sent is not None:
                    incoming.append((f"'{t.source}'", sent))
        flow.incoming[state.pointer] = incoming


def state_input(flow: Flow, state: State) -> AVal | None:
    return flow.inputs.get(state.pointer)
