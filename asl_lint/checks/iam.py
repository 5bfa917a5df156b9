"""ASL501–ASL507: IAM coverage of the execution role.

Where the role's policies come from: ``--policy FILE`` / ``[tool.asl-lint.iam] policies`` for any
definition, or the template itself (the role behind ``RoleArn``, SAM ``Policies``). Without either
there is nothing to check and these rules stay silent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from asl_lint.diagnostics import Finding, Fix
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check
from asl_lint.source.pointer import escape


@dataclass
class _Analysis:
    findings: dict[str, list[Finding]] = field(default_factory=dict)


def _role_pointer(ctx: CheckContext) -> str | None:
    """Where the execution role is named in the template (RoleArn / Role / Policies)."""
    located = ctx.located
    if located.template is None or located.resource is None:
        return None
    properties = (located.template.get("Resources", {}).get(located.resource) or {}).get("Properties") or {}
    base = f"/Resources/{escape(located.resource)}/Properties"
    for key in ("RoleArn", "Role", "Policies"):
        if key in properties:
            return f"{base}/{key}"
    return f"/Resources/{escape(located.resource)}"


def _analyse(ctx: CheckContext) -> _Analysis:
    cached = ctx.memo.get("iam")
    if cached is not None:
        return cached
    analysis = _Analysis()
    ctx.memo["iam"] = analysis
    located = ctx.located
    if not ctx.config.iam.policies and (located.template is None or located.resource is None):
        return analysis  # no policy to check against: skip importing the IAM machinery
    from asl_lint.iam import (
        PolicySet,
        check_state_machine,
        definition_for_state_machine,
        policies_for_state_machine,
        policies_from_files,
        state_machine_arn,
    )

    policies = PolicySet()
    definition: Any = ctx.definition
    arn = ctx.config.iam.state_machine_arn
    sources = 0
    if ctx.config.iam.policies:
        policies.extend(policies_from_files(ctx.config.iam.policies))
        sources += 1
    if located.template is not None and located.resource is not None:
        try:
            policies.extend(policies_for_state_machine(located.template, located.resource))
            sources += 1
            arn = arn or state_machine_arn(located.template, located.resource)
            resolved = definition_for_state_machine(located.template, located.resource)
            if isinstance(resolved, dict):
                definition = resolved
        except KeyError:
            pass
    if not sources or not isinstance(definition, dict):
        return analysis
    role_pointer = _role_pointer(ctx)
    for problem in check_state_machine(definition, policies, state_machine_arn=arn):
        fix = None
        if problem.fix is not None:
            fix = Fix("Add this statement to the execution role: " + json.dumps(problem.fix, sort_keys=True), ())
        if problem.pointer:  # already the field at fault, from the definition root
            finding = Finding(problem.pointer, problem.message, fix=fix)
        else:
            finding = Finding("", problem.message, fix=fix, target="key", file_pointer=role_pointer)
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
