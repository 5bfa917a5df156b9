"""ASL201–ASL207: paths, intrinsic functions, JSONata, payload keys, variables, context paths.

Every expression is parsed once per definition (``_analyse``) and each rule picks its findings
from the shared result.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from asl_lint.diagnostics import Finding, Severity
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check
from asl_lint.model.expressions import Site, all_sites, payload_entries
from asl_lint.model.machine import State

# Intrinsics whose result is a string: the only ones allowed in a Fail's ErrorPath/CausePath.
_STRING_INTRINSICS = frozenset(
    {
        "States.ArrayGetItem",
        "States.Base64Encode",
        "States.Base64Decode",
        "States.Format",
        "States.JsonToString",
        "States.Hash",
        "States.UUID",
    }
)
_LOOKS_LIKE_PATH = re.compile(r"^\$\$?(?:[.\[]|$)")


@dataclass
class _Read:
    """A variable read in an expression (for the checks of variables read before set)."""
    name: str
    pointer: str
    span: tuple[int, int] | None
    state: State


@dataclass
class _Analysis:
    """The expression findings of one definition, by rule, and the variable reads found on the way."""
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    reads: list[_Read] = field(default_factory=list)

    def add(self, code: str, finding: Finding) -> None:
        self.findings.setdefault(code, []).append(finding)


def _analyse(ctx: CheckContext) -> _Analysis:
    cached = ctx.memo.get("expressions")
    if cached is None:
        cached = _Analysis()
        for site in all_sites(ctx.model):
            _site(ctx, site, cached)
        ctx.memo["expressions"] = cached
    return cached


# --- per site ---------------------------------------------------------------------------------
def _site(ctx: CheckContext, site: Site, out: _Analysis) -> None:
    if site.kind == "jsonata":
        _jsonata(site, out)
    elif site.kind in ("path", "reference-path", "path-or-intrinsic"):
        if not ctx.is_unknown(site.value) and not site.value.startswith("{%"):
            _path_field(site, out)
    elif site.kind == "payload":
        _payload(ctx, site, out)
    elif site.kind == "static":
        _static_result(site, out)


def _path_field(site: Site, out: _Analysis) -> None:
    from asl_lint.expr.intrinsics import looks_like_intrinsic

    text = site.value
    if looks_like_intrinsic(text):
        if site.kind != "path-or-intrinsic":
            out.add(
                "ASL203",
                Finding(
                    site.pointer,
                    f"{site.field} cannot hold an intrinsic function; intrinsics are"
                    " allowed only in payload templates (keys ending in '.$') and in a Fail"
                    " state's ErrorPath/CausePath",
                ),
            )
            return
        call = _intrinsic(site, text, out, 0)
        if call is not None and call.name not in _STRING_INTRINSICS and call.name.startswith("States."):
            allowed = ", ".join(sorted(_STRING_INTRINSICS))
            out.add(
                "ASL203",
                Finding(
                    site.pointer,
                    f"{site.field} needs a string: {call.name} does not return one (use one of {allowed})",
                    span=(call.offset, call.name_end),
                ),
            )
        return
    _path(site, text, out, 0, reference=site.kind == "reference-path")


def _path(
    site: Site,
    text: str,
    out: _Analysis,
    base: int,
    *,
    reference: bool,
    pointer: str | None = None,
    field_name: str | None = None,
) -> None:
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.jsonpath import check_context_path, parse_path

    pointer = pointer or site.pointer
    label = field_name or site.field
    try:
        path = parse_path(text)
    except ExprSyntaxError as exc:
        # Script expressions ([(@.length-1)]) are Goessner JSONPath that AWS's engine is not known
        # to evaluate; other linters accept them, so this is a warning, not a certain rejection.
        script = exc.message.startswith("Script expressions")
        out.add(
            "ASL201",
            Finding(
                pointer,
                f"Invalid JSONPath in {label}: {exc.message}",
                severity=Severity.WARNING if script else None,
                span=_clamp(base, exc.offset, exc.end, len(text)),
            ),
        )
        return
    span = (base, base + len(text))
    if reference and not path.is_reference:
        out.add(
            "ASL202",
            Finding(
                pointer,
                f"{label} must be a Reference Path that names a single node"
                " ($.a.b, $['a b'], $.a[0]); filters, wildcards, slices, unions and functions"
                f" are not allowed in {text!r}",
                span=span,
            ),
        )
    if path.root == "context" and not site.allow_context:
        out.add(
            "ASL202",
            Finding(pointer, f"{label} cannot use the Context object ($$); it must start with $", span=span),
        )
    if path.root == "variable" and not site.allow_variables:
        out.add(
            "ASL202",
            Finding(
                pointer, f"{label} cannot use a variable (${path.variable}); it must start with $", span=span
            ),
        )
        return
    if path.root == "context":
        scope = site.state.scope
        in_map = False
        while scope is not None:
            if scope.kind == "map":
                in_map = True
                break
            scope = scope.owner.scope if scope.owner else None  # type: ignore[assignment]
        resource = site.state.resource or ""
        unknown_resource = "${" in resource
        message = check_context_path(
            path,
            in_map=in_map,
            in_map_item_selector=site.in_item_selector,
            callback=resource.endswith(".waitForTaskToken") or unknown_resource,
        )
        if message and "Task.Token" in message:
            # Outside a callback task the token is null rather than missing (reference §6): a
            # likely bug, not a certain failure.
            out.add(
                "ASL207",
                Finding(pointer, message + "; elsewhere it is null", span=span, severity=Severity.WARNING),
            )
        elif message:
            out.add("ASL207", Finding(pointer, message, span=span))
    elif path.root == "variable" and path.variable:
        out.reads.append(_Read(path.variable, pointer, (base, base + 1 + len(path.variable)), site.state))


def _intrinsic(site: Site, text: str, out: _Analysis, base: int, pointer: str | None = None) -> Any:
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.intrinsics import Call, PathArg, check_call, parse_intrinsic

    pointer = pointer or site.pointer
    try:
        call = parse_intrinsic(text)
    except ExprSyntaxError as exc:
        out.add(
            "ASL203",
            Finding(
                pointer,
                f"Invalid intrinsic function call: {exc.message}",
                span=_clamp(base, exc.offset, exc.end, len(text)),
            ),
        )
        return None
    for problem in check_call(call):
        out.add("ASL203", Finding(pointer, problem.message, span=(base + problem.offset, base + problem.end)))
    stack: list[Any] = [call]
    while stack:
        node = stack.pop()
        if isinstance(node, Call):
            stack.extend(node.args)
        elif isinstance(node, PathArg):
            _path(
                site,
                node.path.text if hasattr(node.path, "text") else text[node.offset : node.end],
                out,
                base + node.offset,
                reference=False,
                pointer=pointer,
            )
    return call


def _payload(ctx: CheckContext, site: Site, out: _Analysis) -> None:
    from asl_lint.expr.intrinsics import looks_like_intrinsic

    for key, member, value, parent_ptr in payload_entries(site.value, site.pointer):
        if key.endswith(".$"):
            if not isinstance(value, str):
                out.add(
                    "ASL205",
                    Finding(
                        member,
                        f"The value of '{key}' must be a string holding a path or an"
                        f" intrinsic function, not {_json_type(value)}; remove '.$' from the key"
                        " to pass a literal",
                        target="value",
                    ),
                )
                continue
            if ctx.is_unknown(value):
                continue
            if looks_like_intrinsic(value):
                _intrinsic(site, value, out, 0, pointer=member)
            elif value.startswith("$"):
                _path(site, value, out, 0, reference=False, pointer=member, field_name=f"'{key}'")
            else:
                out.add(
                    "ASL205",
                    Finding(
                        member,
                        f"The value of '{key}' must be a path ($, $$ or $variable) or an"
                        f" intrinsic function (States.…), got {value!r}; remove '.$' from the key"
                        " to pass a literal string",
                    ),
                )
            plain = key[:-2]
            parent = _resolve(site.value, site.pointer, parent_ptr)
            if isinstance(parent, dict) and plain in parent:
                out.add(
                    "ASL205",
                    Finding(
                        member,
                        f"Both '{plain}' and '{key}' are set in the same object; AWS"
                        " rejects the duplicate field — keep one",
                        target="key",
                    ),
                )
        elif (
            isinstance(value, str)
            and not value.startswith("{%")
            and (_LOOKS_LIKE_PATH.match(value) or looks_like_intrinsic(value))
        ):
            out.add(
                "ASL205",
                Finding(
                    member,
                    f"'{key}' holds {value!r}, which looks like a path or intrinsic,"
                    f" but the key does not end in '.$', so it is passed as a literal string;"
                    f" did you mean '{key}.$'?",
                    target="key",
                    severity=Severity.WARNING,
                ),
            )


def _static_result(site: Site, out: _Analysis) -> None:
    for key, member, value, _parent in payload_entries(site.value, site.pointer):
        dynamic = key.endswith(".$") or (isinstance(value, str) and _LOOKS_LIKE_PATH.match(value) is not None)
        if dynamic:
            out.add(
                "ASL205",
                Finding(
                    member,
                    f"A Pass state's Result is static: '{key}' is not evaluated and is"
                    " output as written; use Parameters to compute values from the input",
                    target="key",
                    severity=Severity.WARNING,
                ),
            )
            return


def _jsonata(site: Site, out: _Analysis) -> None:
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.jsonata import (
        check_restrictions,
        context_references,
        split_wrapper,
        variable_references,
        wrapper_problem,
    )

    text = site.value
    problem = wrapper_problem(text)
    stripped = text.strip()
    if problem is None and stripped.endswith("%}") and not stripped.startswith("{%"):
        problem = "The JSONata expression ends with %} but does not start with {%"
    if problem:
        padded = "padded with whitespace" in problem
        out.add(
            "ASL204",
            Finding(
                site.pointer, problem, severity=Severity.WARNING if padded else None, span=(0, len(text))
            ),
        )
        return
    expr = split_wrapper(text)
    if expr is None:
        return
    try:
        for restriction in check_restrictions(expr, field=site.field, states_members=site.states_members):
            out.add(
                "ASL204",
                Finding(
                    site.pointer, restriction.message, span=(2 + restriction.offset, 2 + restriction.end)
                ),
            )
        references = variable_references(expr)
        contexts = context_references(expr)
    except ExprSyntaxError as exc:
        out.add(
            "ASL204",
            Finding(
                site.pointer,
                f"Invalid JSONata in {site.field}: {exc.message}",
                span=_clamp(2, exc.offset, exc.end, len(expr)),
            ),
        )
        return
    seen: set[str] = set()
    for name, offset, end in references:  # first read of each variable, exact span
        if name not in seen:
            seen.add(name)
            out.reads.append(_Read(name, site.pointer, (2 + offset, 2 + end), site.state))
    for chain, offset, end in contexts:
        _context_chain(site, chain, (2 + offset, 2 + end), out)


def _context_chain(site: Site, chain: tuple[str, ...], span: tuple[int, int], out: _Analysis) -> None:
    from asl_lint.expr.context import check_context_chain

    in_map = any(s.kind == "map" for s in _scopes_up(site.state))
    message = check_context_chain(
        chain,
        in_map=in_map,
        in_map_item_selector=site.field == "ItemSelector",
        callback=(site.state.resource or "").endswith(".waitForTaskToken"),
        prefix="$states.context",
    )
    # In JSONata a missing field is undefined and simply drops out, so an absent Task.Token is no failure.
    if message and "Task.Token" not in message:
        out.add("ASL207", Finding(site.pointer, message, span=span))


def _scopes_up(state: State) -> Iterator[Any]:
    scope: Any = state.scope
    while scope is not None:
        yield scope
        scope = scope.owner.scope if scope.owner else None


def _clamp(base: int, offset: int, end: int, length: int) -> tuple[int, int]:
    """A non-empty span inside the expression; an error at its end points at the last character."""
    start = max(0, min(offset, length - 1))
    return base + start, base + max(start + 1, min(end, length))


def _resolve(root: Any, root_ptr: str, pointer: str) -> Any:
    from asl_lint.source.pointer import resolve

    try:
        return resolve(root, pointer[len(root_ptr) :])
    except KeyError:
        return None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    return "an object"


# --- the rules ----------------------------------------------------------------------------------
@check("ASL201")
def invalid_path(ctx: CheckContext) -> Iterator[Finding]:
    yield from _analyse(ctx).findings.get("ASL201", [])


@check("ASL202")
def invalid_reference_path(ctx: CheckContext) -> Iterator[Finding]:
    yield from _analyse(ctx).findings.get("ASL202", [])


@check("ASL203")
def invalid_intrinsic(ctx: CheckContext) -> Iterator[Finding]:
    yield from _analyse(ctx).findings.get("ASL203", [])


@check("ASL204")
def invalid_jsonata(ctx: CheckContext) -> Iterator[Finding]:
    yield from _analyse(ctx).findings.get("ASL204", [])


@check("ASL205")
def dollar_key_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    for state in ctx.model.states:
        if not state.jsonata:
            continue
        for key in ("Arguments", "Output", "Assign", "ItemSelector"):
            value = state.raw.get(key)
            for name, member, _value, _parent in payload_entries(value, state.ptr(key)):
                if name.endswith(".$"):
                    yield Finding(
                        member,
                        f"'{name}' ends in '.$', which has no meaning in a JSONata state: the key"
                        " is output as written and its value is not evaluated; use a {% %} expression",
                        target="key",
                        severity=Severity.WARNING,
                    )
    yield from _analyse(ctx).findings.get("ASL205", [])


@check("ASL207")
def invalid_context_path(ctx: CheckContext) -> Iterator[Finding]:
    yield from _analyse(ctx).findings.get("ASL207", [])


@check("ASL206")
def undefined_variable(ctx: CheckContext) -> Iterator[Finding]:
    from asl_lint.model.variables import analyse, assigned_names, scope_assignments

    analysis = _analyse(ctx)
    flow = analyse(ctx.model, ctx.graphs)
    everywhere = frozenset().union(*(scope_assignments(scope) for scope in ctx.model.scopes))
    for read in analysis.reads:
        state = read.state
        if state.pointer not in flow.may:
            continue  # unreachable or in a scope without a valid start: other rules report that
        name = read.name
        if name in flow.must[state.pointer]:
            continue
        scope = state.scope
        distributed_outer = False
        probe: Any = scope
        while probe is not None and probe.owner is not None:
            if probe.distributed and name in scope_assignments(probe.owner.scope):
                distributed_outer = True
            probe = probe.owner.scope
        if distributed_outer:
            yield Finding(
                read.pointer,
                f"${name} is a variable of an outer scope, and a Distributed Map's child"
                " workflow cannot read outer variables; pass it in through ItemSelector",
                span=read.span,
            )
        elif name not in everywhere:
            # AWS accepts the definition; only TestState's `variables` could supply the value.
            yield Finding(
                read.pointer,
                f"${name} is read in state {state.name!r} but no Assign anywhere in this"
                " definition sets it; reading it fails at run time",
                span=read.span,
                severity=Severity.WARNING,
            )
        elif name in flow.may[state.pointer]:
            yield Finding(
                read.pointer,
                f"${name} is not assigned on every path to state {state.name!r}; on the"
                " others reading it fails at run time",
                span=read.span,
                severity=Severity.WARNING,
            )
        else:
            yield Finding(
                read.pointer,
                f"${name} is read in state {state.name!r} but no Assign sets it on any path"
                " before this state (Assign values become visible in the next state)",
                span=read.span,
            )
    for scope in ctx.model.scopes:
        if scope.owner is None:
            continue
        outer = flow.outer.get(scope.pointer, frozenset())
        for state in scope.states.values():
            holders: list[tuple[str, Any]] = [(state.ptr("Assign"), state.raw.get("Assign"))]
            holders += [(state.ptr("Catch", i, "Assign"), c.get("Assign")) for i, c in state.catchers]
            for pointer, value in holders:
                for name in sorted(assigned_names(value) & outer):
                    key = name if isinstance(value, dict) and name in value else f"{name}.$"
                    yield Finding(
                        f"{pointer}/{key}",
                        f"Variable ${name} belongs to an outer scope; inside"
                        f" {scope.label()} it can be read but not assigned (no shadowing)",
                        target="key",
                    )
