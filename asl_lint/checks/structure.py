"""ASL003–ASL006: structure (asl-lint's own ASL JSON Schema), query languages, quotas, placeholders."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from asl_lint.diagnostics import Finding
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check
from asl_lint.schema.messages import SchemaProblem


@dataclass
class _Structure:
    schema: list[SchemaProblem]  # ASL003 and schema maxima (ASL005)
    language: list[SchemaProblem]  # ASL004


# Computed once per definition and shared by ASL003, ASL004 and ASL005.
_CACHE: weakref.WeakKeyDictionary[CheckContext, _Structure] = weakref.WeakKeyDictionary()


def _structure(ctx: CheckContext) -> _Structure:
    found = _CACHE.get(ctx)
    if found is None:
        from asl_lint.schema import language_problems, validate_definition

        language = language_problems(ctx.model)
        flagged = tuple(p.pointer for p in language)
        schema = [
            p
            for p in validate_definition(ctx.model, ctx.is_unknown)
            # A field ASL004 already reports (wrong language) is not judged again by the schema.
            if not any(p.pointer == f or p.pointer.startswith(f + "/") for f in flagged)
        ]
        found = _CACHE[ctx] = _Structure(schema, language)
    return found


def _finding(problem: SchemaProblem) -> Finding:
    return Finding(problem.pointer, problem.message, target=problem.target)


@check("ASL003")
def schema_violation(ctx: CheckContext) -> Iterator[Finding]:
    for problem in _structure(ctx).schema:
        if problem.code == "ASL003":
            yield _finding(problem)


@check("ASL004")
def query_language_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    for problem in _structure(ctx).language:
        yield _finding(problem)


@check("ASL005")
def limit_exceeded(ctx: CheckContext) -> Iterator[Finding]:
    from asl_lint.schema import definition_size, is_express, limit_problems

    yield from (_finding(p) for p in definition_size(ctx.located.size))
    for problem in _structure(ctx).schema:
        if problem.code == "ASL005":
            yield _finding(problem)
    # A template's StateMachineType wins; for a standalone file, `machine-type` in the config says it.
    express = (ctx.located.kind == "standalone" and ctx.config.machine_type == "EXPRESS") or (
        _needs_express_check(ctx) and is_express(_template(ctx), ctx.located.resource)
    )
    yield from (_finding(p) for p in limit_problems(ctx.model, ctx.is_unknown, express))


def _needs_express_check(ctx: CheckContext) -> bool:
    """Only templates say a machine is EXPRESS; skip the lookup when no Task could break its limits."""
    if ctx.located.kind == "standalone":
        return False
    markers = (".sync", ".waitForTaskToken", ":activity:")
    return any(any(m in (s.resource or "") for m in markers) for s in ctx.model.iter_states("Task"))


def _template(ctx: CheckContext) -> object:
    if ctx.located.template is not None:
        return ctx.located.template
    # The template locator does not hand the template over (yet): read it from the file text.
    from asl_lint.engine.runner import detect_format, parse_text

    return parse_text(ctx.text, detect_format(ctx.file, ctx.text)).value


@check("ASL006")
def unresolved_substitution(ctx: CheckContext) -> Iterator[Finding]:
    from asl_lint.schema import first_occurrences
    from asl_lint.schema.placeholders import describe

    templated = ctx.located.kind != "standalone"
    for item in first_occurrences(ctx.definition, ctx.located.placeholders):
        yield Finding(item.pointer, describe(item.name, templated), span=item.span)
