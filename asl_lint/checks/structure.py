"""ASL003–ASL006: structure (asl-lint's own ASL JSON Schema), query languages, quotas, placeholders."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from asl_lint.diagnostics import Finding, Severity
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check
from asl_lint.schema.messages import SchemaProblem


@dataclass
class _Structure:
    """Schema and language problems of one definition, shared by ASL003-ASL005."""
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
    from asl_lint.schema import definition_size, limit_problems

    yield from (_finding(p) for p in definition_size(ctx.located.size))
    for problem in _structure(ctx).schema:
        if problem.code == "ASL005":
            yield _finding(problem)
    # The machine's own type (template, serverless.yml, Terraform) wins; for a definition file
    # with no machine around it, `machine-type` in the config says it.
    context = ctx.located.context
    declared = context.machine_type if context is not None else None
    express = (declared or ctx.config.machine_type) == "EXPRESS" if context is None or declared else False
    yield from (_finding(p) for p in limit_problems(ctx.model, ctx.is_unknown, express))


@check("ASL006")
def unresolved_substitution(ctx: CheckContext) -> Iterator[Finding]:
    """A ``${X}`` that the machine's deployment gives no value. A definition file with no machine
    around it keeps its placeholders as unknown values and nothing is reported."""
    from asl_lint.sources.placeholders import is_pseudo, occurrences

    context = ctx.located.context
    if context is None or not context.substitutions_complete or not ctx.located.placeholders:
        return
    reported: set[str] = set()
    for item in occurrences(ctx.definition, ctx.located.placeholders):
        name = item.name
        if name in reported or context.defines(name) or is_pseudo(name):
            continue
        if context.template_syntax == "terraform" and not name.strip().isidentifier():
            continue  # an expression (templatefile), not a variable name
        if _escaped(ctx, item.pointer, item.span, name):
            continue
        reported.add(name)
        field = item.pointer.rsplit("/", 1)[-1]
        arn = item.whole and (field == "Resource" or field.endswith(("Arn", "ARN")))
        if _in_fn_sub(ctx, item.pointer):
            yield Finding(item.pointer, f"Fn::Sub names '${{{name}}}', which is no parameter, resource or variable "
                                        "of this template: CloudFormation rejects the template",
                          span=item.span, severity=Severity.ERROR)
            continue
        message = (f"'${{{name}}}' is given no value: {context.substitution_source} define no '{name}', so the "
                   f"deployed definition holds the text '${{{name}}}' as written")
        if arn:
            message += f", which is no ARN: {field} fails"
        yield Finding(item.pointer, message, span=item.span, severity=Severity.ERROR if arn else None)


def _in_fn_sub(ctx: CheckContext, pointer: str) -> bool:
    """The string is (part of) an ``Fn::Sub`` of the template, which resolves every name itself."""
    from asl_lint.source.pointer import resolve
    from asl_lint.sources.intrinsics import intrinsic_name

    located = ctx.located
    if located.template is None:
        return False
    try:
        raw = resolve(located.template, located.pointer if located.embedded_string else located.pointer + pointer)
    except KeyError:
        return False
    name = intrinsic_name(raw)
    if name == "Fn::Join" and located.embedded_string:
        parts = raw["Fn::Join"][1] if isinstance(raw["Fn::Join"], list) and len(raw["Fn::Join"]) == 2 else []
        return any(intrinsic_name(part) == "Fn::Sub" for part in parts if isinstance(parts, list))
    return name == "Fn::Sub"


def _escaped(ctx: CheckContext, pointer: str, span: tuple[int, int], name: str) -> bool:
    """``${!X}`` (Fn::Sub) and ``$${X}`` (templatefile) are written in the file; the deployed text
    holds the literal ``${X}``: no placeholder."""
    from asl_lint.sources.placeholders import ESCAPES, escaped_in_file

    located = ctx.located
    exact = located.string_span(pointer, *span) if located.string_span is not None else None
    if exact is not None and exact.end - exact.start != span[1] - span[0]:
        return ctx.text[exact.start: exact.start + 3] in ESCAPES
    node = located.spans(pointer)
    return node is not None and escaped_in_file(ctx.text[node.value.start: node.value.end], name)
