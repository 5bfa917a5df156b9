"""ASL501–ASL507: IAM coverage of the execution role.

Where the role's policies come from: ``--policy FILE`` / ``[tool.asl-lint.iam] policies`` for any
definition, or the machine's context (``asl_lint.sources``: the role behind ``RoleArn``/``Role``,
SAM ``Policies``, a Serverless ``role``, ...). Without either there is nothing to check and these
rules stay silent. Findings about the role as a whole land where the role is declared, also when
that is the template of a definition file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from asl_lint.diagnostics import Finding, Fix
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check


@dataclass
class _Analysis:
    """The IAM findings of one definition, by rule."""
    findings: dict[str, list[Finding]] = field(default_factory=dict)


def _analyse(ctx: CheckContext) -> _Analysis:
    cached = ctx.memo.get("iam")
    if cached is not None:
        return cached
    analysis = _Analysis()
    ctx.memo["iam"] = analysis
    context = ctx.located.context
    role = context.policies if context is not None else None
    if not ctx.config.iam.policies and role is None:
        return analysis  # no policy to check against: skip importing the IAM machinery
    from asl_lint.iam import PolicySet, check_state_machine, policies_from_files

    policies = PolicySet()
    arn = ctx.config.iam.state_machine_arn
    if ctx.config.iam.policies:
        policies.extend(policies_from_files(ctx.config.iam.policies))
    definition: Any = ctx.definition
    if context is not None and role is not None:
        policies.extend(role)
        arn = arn or context.state_machine_arn
        from asl_lint.sources.machines import iam_definition

        definition = iam_definition(ctx.located)
    if not isinstance(definition, dict):
        return analysis
    site = context.role_site if context is not None else None
    for problem in check_state_machine(definition, policies, state_machine_arn=arn):
        fix = None
        if problem.fix is not None:
            fix = Fix("Add this statement to the execution role: " + json.dumps(problem.fix, sort_keys=True), ())
        if problem.pointer:  # already the field at fault, from the definition root
            finding = Finding(problem.pointer, problem.message, fix=fix)
        elif site is not None and site.file == ctx.file and site.pointer:
            finding = Finding("", problem.message, fix=fix, target="key", file_pointer=site.pointer)
        else:  # in another file (the template of this definition file), or a format without pointers (HCL)
            finding = Finding("", problem.message, fix=fix, target="key", site=site)
        analysis.findings.setdefault(problem.code, []).append(finding)
    return analysis


def _findings(ctx: CheckContext, code: str) -> Iterator[Finding]:
    yield from _analyse(ctx).findings.get(code, [])


@check("ASL501")
def missing_permission(ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings(ctx, "ASL501")


@check("ASL502")
def http_invoke_not_allowed(ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings(ctx, "ASL502")


@check("ASL503")
def connection_credentials_not_allowed(ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings(ctx, "ASL503")


@check("ASL504")
def connection_secret_not_allowed(ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings(ctx, "ASL504")


@check("ASL505")
def overbroad_permission(ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings(ctx, "ASL505")


@check("ASL506")
def denied_by_policy(ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings(ctx, "ASL506")


@check("ASL507")
def unresolved_policy(ctx: CheckContext) -> Iterator[Finding]:
    yield from _findings(ctx, "ASL507")
