"""ASL701–ASL706: symbolic evaluation of Pass and Choice states (``asl_lint.symbolic``).

The data flow is computed once per definition and shared; z3 is imported only when the
definition has a Choice state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from asl_lint.diagnostics import Finding, Severity
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check


@dataclass
class _Results:
    """The symbolic (ASL7xx) findings of one definition, by rule."""
    findings: dict[str, list[Finding]] = field(default_factory=dict)

    def add(self, code: str, finding: Finding) -> None:
        self.findings.setdefault(code, []).append(finding)


def _has_placeholder(ctx: CheckContext, value: object) -> bool:
    if isinstance(value, str):
        return ctx.is_unknown(value)
    if isinstance(value, dict):
        return any(_has_placeholder(ctx, v) or ctx.is_unknown(k) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_placeholder(ctx, v) for v in value)
    return False


def _analyse(ctx: CheckContext) -> _Results:
    cached = ctx.memo.get("symbolic")
    if cached is not None:
        assert isinstance(cached, _Results)
        return cached
    results = _Results()
    ctx.memo["symbolic"] = results
    from asl_lint.symbolic.flow import analyse
    from asl_lint.symbolic.schema import start_value

    flow = analyse(ctx.model, ctx.graphs, start_value(ctx.config.input_schema))
    for state in ctx.model.states:
        result = flow.transfers.get(state.pointer)
        if result is None:
            continue
        for read in result.reads:
            if ctx.is_unknown(read.path):
                continue
            if read.presence == "no":
                results.add("ASL705", Finding(read.pointer, (
                    f"{read.field} reads '{read.path}', which is never present here (no state upstream sets it):"
                    " the state always fails with States.Runtime; read a path that exists"), target="value"))
            elif read.presence == "maybe":
                sources = _absent_sources(flow, state, read.path)
                where = f" when the state is entered from {sources}" if sources else \
                    " in some of the data reaching this state"
                results.add("ASL705", Finding(read.pointer, (
                    f"{read.field} reads '{read.path}', which is absent{where}: the state then fails with"
                    " States.Runtime; set it on every path or guard it with a Choice IsPresent test"),
                    severity=Severity.WARNING))
        for failure in result.failures:
            results.add("ASL706", Finding(failure.pointer, failure.message))
    _choices(ctx, flow, results)
    _jsonata_constants(ctx, results)
    return results


def _absent_sources(flow: object, state: object, path: str) -> str:
    from asl_lint.symbolic.domain import read
    from asl_lint.symbolic.flow import Flow
    from asl_lint.symbolic.paths import input_steps

    assert isinstance(flow, Flow)
    steps = input_steps(path)
    pointer = getattr(state, "pointer", "")
    if steps is None or any(k in getattr(state, "raw", {}) for k in ("InputPath", "Result")):
        return ""
    names = []
    for label, value in flow.incoming.get(pointer, []):
        presence = read(value, steps)[0]
        if presence == "no":
            names.append(label)
        elif presence == "maybe" and label == "the start of the state machine":
            names.append("the start (the input schema makes it optional)")
    return ", ".join(names)


def _choices(ctx: CheckContext, flow: object, results: _Results) -> None:
    from asl_lint.symbolic.flow import Flow

    assert isinstance(flow, Flow)
    choices = [s for s in ctx.model.iter_states("Choice") if s.pointer in flow.transfers]
    if not choices:
        return
    from asl_lint.symbolic import check_stop
    from asl_lint.symbolic.choice import FILE_LIMIT, Budget, analyse_choice

    budget = Budget(FILE_LIMIT)  # the solver's steps for the whole definition (deterministic)
    for state in choices:
        check_stop()  # the language server no longer wants this result
        if _has_placeholder(ctx, state.raw.get("Choices")) or _has_placeholder(ctx, state.raw.get("InputPath")):
            continue  # an unknown ${...} constant could make any rule match
        transfer = flow.transfers[state.pointer]
        incoming = flow.incoming.get(state.pointer, [])
        for item in analyse_choice(state, transfer.effective, incoming, budget):
            severity = None if item.code != "ASL705" or item.error else Severity.WARNING
            results.add(item.code, Finding(item.pointer, item.message, target=item.target, severity=severity))


def _jsonata_constants(ctx: CheckContext, results: _Results) -> None:
    from asl_lint.model.expressions import jsonata_sites
    from asl_lint.symbolic.constants import constant_failure

    for state in ctx.model.states:
        if not state.jsonata:
            continue
        for site in jsonata_sites(state):
            message = constant_failure(site.value)
            if message is not None:
                results.add("ASL706", Finding(site.pointer, f"{site.field}: {message}"))


def _emit(ctx: CheckContext, code: str) -> Iterator[Finding]:
    yield from _analyse(ctx).findings.get(code, [])


@check("ASL701")
def choice_rule_never_matches(ctx: CheckContext) -> Iterator[Finding]:
    yield from _emit(ctx, "ASL701")


@check("ASL702")
def choice_rule_shadowed(ctx: CheckContext) -> Iterator[Finding]:
    yield from _emit(ctx, "ASL702")


@check("ASL703")
def choice_no_match(ctx: CheckContext) -> Iterator[Finding]:
    yield from _emit(ctx, "ASL703")


@check("ASL704")
def type_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    yield from _emit(ctx, "ASL704")


@check("ASL705")
def missing_input_path(ctx: CheckContext) -> Iterator[Finding]:
    yield from _emit(ctx, "ASL705")


@check("ASL706")
def evaluation_error(ctx: CheckContext) -> Iterator[Finding]:
    yield from _emit(ctx, "ASL706")
