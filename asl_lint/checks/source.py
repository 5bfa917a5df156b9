"""ASL001 parse-error, ASL002 duplicate-key, ASL007 definition-not-local: problems found while reading."""

from __future__ import annotations

from collections.abc import Iterator

from asl_lint.diagnostics import Finding
from asl_lint.engine.context import FileContext
from asl_lint.engine.registry import check


def _problems(ctx: FileContext, codes: tuple[str, ...]) -> Iterator[Finding]:
    for problem in [*ctx.parsed.problems, *ctx.located_problems]:
        if problem.code in codes:
            yield Finding(
                pointer=problem.pointer,
                message=problem.message,
                code=problem.code,
                offsets=(problem.span.start, problem.span.end),
            )


@check("ASL001", scope="file")
def parse_error(ctx: FileContext) -> Iterator[Finding]:
    """Syntax errors, unreadable bytes, and quota problems met while reading (ASL005)."""
    yield from _problems(ctx, ("ASL001", "ASL005", "ASL006"))


@check("ASL002", scope="file")
def duplicate_key(ctx: FileContext) -> Iterator[Finding]:
    yield from _problems(ctx, ("ASL002",))


@check("ASL007", scope="file")
def definition_not_local(ctx: FileContext) -> Iterator[Finding]:
    yield from _problems(ctx, ("ASL007",))
