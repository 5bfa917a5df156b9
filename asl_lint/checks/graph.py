"""ASL101–ASL106: the state graph of every scope."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from asl_lint.diagnostics import Edit, Finding, Fix
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check
from asl_lint.graph.build import strongly_connected_components
from asl_lint.model.machine import Scope

_FIELD_LABEL = {"next": "Next", "default": "Default", "choice": "Choice rule Next", "catch": "Catch Next"}
_NEEDS_TRANSITION = ("Task", "Pass", "Wait", "Parallel", "Map")


def _suggest(name: str, candidates: list[str]) -> str | None:
    return _closest(name, tuple(candidates))


# An editor lints the same text, misspelt name included, again and again while the user types
# elsewhere; comparing the name with 500 others took difflib 20 ms each time.
@lru_cache(maxsize=256)
def _closest(name: str, candidates: tuple[str, ...]) -> str | None:
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return close[0]
    folded = {c.lower().replace(" ", "").replace("_", ""): c for c in candidates}
    return folded.get(name.lower().replace(" ", "").replace("_", ""))


def _where_else(ctx: CheckContext, name: str, scope: Scope) -> Scope | None:
    for state in ctx.model.states:
        if state.name == name and state.scope is not scope:
            return state.scope
    return None


def _unknown_target(ctx: CheckContext, scope: Scope, field: str, target: str, pointer: str) -> Finding:
    names = list(scope.states)
    message = f"{field} names state {target!r}, which does not exist"
    other = _where_else(ctx, target, scope)
    fix = None
    if other is not None:
        message += f" in {scope.label()}; it is in {other.label()}, and transitions cannot cross scopes"
    else:
        if scope.owner is not None:
            message += f" in {scope.label()}"
        suggestion = _suggest(target, names)
        if suggestion is not None:
            message += f"; did you mean {suggestion!r}?"
            fix = Fix(f"Change {field} to {suggestion!r}", (Edit("replace", pointer, suggestion),))
    return Finding(pointer, message, fix=fix)


@check("ASL101")
def unknown_state(ctx: CheckContext) -> Iterator[Finding]:
    for scope in ctx.model.scopes:
        start = scope.raw.get("StartAt")
        # A ${...} StartAt names a state we cannot know.
        if isinstance(start, str) and not ctx.is_unknown(start) and isinstance(scope.raw.get("States"), dict) \
                and start not in scope.states:
            yield _unknown_target(ctx, scope, "StartAt", start, f"{scope.pointer}/StartAt")
        graph = ctx.graphs[scope.pointer]
        for transition in graph.dangling:
            if not ctx.is_unknown(transition.target):
                yield _unknown_target(
                    ctx, scope, _FIELD_LABEL[transition.kind], transition.target, transition.pointer
                )


@check("ASL102")
def unreachable_state(ctx: CheckContext) -> Iterator[Finding]:
    for scope in ctx.model.scopes:
        if scope.start_at not in scope.states:
            continue  # ASL101 already reports the missing start; everything would look unreachable
        reachable = ctx.graphs[scope.pointer].reachable()
        for name, state in scope.states.items():
            if name not in reachable:
                yield Finding(
                    state.pointer,
                    f"State {name!r} is unreachable: no path from StartAt {scope.start_at!r} leads to it"
                    " (AWS rejects definitions with unreachable states)",
                    target="key",
                )


@check("ASL103")
def no_terminal_state(ctx: CheckContext) -> Iterator[Finding]:
    for scope in ctx.model.scopes:
        if not scope.states:
            continue
        graph = ctx.graphs[scope.pointer]
        if not graph.terminal_states() and not graph.dangling:  # a dangling Next may be the meant end
            yield Finding(
                scope.states_pointer,
                f'No state in {scope.label()} can end it: add a Succeed or Fail state, or "End": true'
                " on a Task, Pass, Wait, Parallel or Map state",
                target="key",
            )
            continue
        if scope.start_at not in scope.states:
            continue
        reachable = graph.reachable()
        # A transition to an unknown name (ASL101) might be meant to end; don't pile on.
        unsure = {t.source for t in graph.dangling}
        stuck = reachable - graph.can_terminate(extra_exits=unsure)
        if not stuck:
            continue
        sub = {name: [t for t in graph.successors[name] if t in stuck] for name in scope.states if name in stuck}
        order = {name: i for i, name in enumerate(scope.states)}
        for component in strongly_connected_components(sub):
            inside = set(component)
            if any(t not in inside for name in component for t in sub[name]):
                continue  # not a closed loop itself: it leads into one, reported there
            members = sorted(component, key=order.__getitem__)
            first = scope.states[members[0]]
            if len(members) == 1:
                message = f"State {members[0]!r} can never reach a terminal state"
            else:
                listed = ", ".join(repr(m) for m in members)
                message = f"States {listed} form a loop that never reaches a terminal state"
            yield Finding(first.pointer, message + " (no End, Succeed or Fail on any path out)", target="key")


@check("ASL104")
def duplicate_state_name(ctx: CheckContext) -> Iterator[Finding]:
    for name, states in ctx.model.names().items():
        if len(states) < 2:
            continue
        first = states[0]
        for other in states[1:]:
            yield Finding(
                other.pointer,
                f"State name {name!r} is already used by the state at {first.pointer}; state names must be"
                " unique across the whole definition, nested branches and Map processors included",
                target="key",
            )


@check("ASL105")
def transition_conflict(ctx: CheckContext) -> Iterator[Finding]:
    for state in ctx.model.states:
        if state.type not in _NEEDS_TRANSITION:
            continue
        has_next = "Next" in state.raw
        end = state.raw.get("End")
        if has_next and end is True:
            yield Finding(
                state.ptr("End"),
                f'{state.type} state {state.name!r} has both Next and "End": true; keep exactly one',
                target="key",
            )
        elif not has_next and end is not True:
            yield Finding(
                state.pointer,
                f'{state.type} state {state.name!r} has neither Next nor "End": true; it needs exactly one',
                target="key",
            )


@check("ASL106")
def busy_loop(ctx: CheckContext) -> Iterator[Finding]:
    for scope in ctx.model.scopes:
        graph = ctx.graphs[scope.pointer]
        flow: dict[str, set[str]] = {name: set() for name in scope.states}
        for t in graph.transitions:
            if t.kind != "catch":
                flow[t.source].add(t.target)
        order = {name: i for i, name in enumerate(scope.states)}
        for component in strongly_connected_components(flow):
            members = sorted(component, key=order.__getitem__)
            if len(members) == 1 and members[0] not in flow[members[0]]:
                continue
            if any(scope.states[m].type in ("Wait", "Task", "Map", "Parallel") for m in members):
                continue
            listed = ", ".join(repr(m) for m in members)
            yield Finding(
                scope.states[members[0]].pointer,
                f"The loop through {listed} has no Wait or Task state: it spins without pause until the"
                " execution hits its 25,000-event history limit; add a Wait state to the loop",
                target="key",
            )
