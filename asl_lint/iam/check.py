"""Coverage of the workflow's requirements by the role's policies (ASL501-504, 506, 507) and
grants much wider than needed (ASL505). Plain data in, plain data out, for the rule layer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from asl_lint.iam.evaluate import Decision, PolicySet, evaluate, match_statement
from asl_lint.iam.generate import RequirementItem, least_privilege_policy, to_request
from asl_lint.iam.glob import Tri, has_placeholder, match
from asl_lint.iam.policy import Statement
from asl_lint.iam.task import Requirement, split_arn

# Actions whose Service Authorization entry has no resource type: '*' is a documented form.
_STAR_IS_DOCUMENTED = frozenset({"states:invokehttpendpoint"})
_CODE_BY_KIND = {
    "task": "ASL501",
    "http-invoke": "ASL502",
    "connection": "ASL503",
    "connection-secret": "ASL504",
}


@dataclass(frozen=True)
class CoverageProblem:
    code: str
    message: str
    pointer: str  # RFC 6901 pointer of the field at fault ("" for the role / policy as a whole)
    state_name: str | None
    field: str  # relative to the state
    fix: dict[str, Any] | None


def _items(requirements: Iterable[RequirementItem]) -> list[tuple[str, str | None, Requirement]]:
    out: list[tuple[str, str | None, Requirement]] = []
    for item in requirements:
        if isinstance(item, Requirement):
            out.append(("", None, item))
        else:
            out.append((item[0], item[1], item[2]))
    return out


def describe(req: Requirement) -> str:
    """``states:InvokeHTTPEndpoint (GET https://x/*) on <arn>`` for messages."""
    text = req.action
    if req.kind == "http-invoke":
        method = req.context.get("states:HTTPMethod", "?")
        endpoint = req.context.get("states:HTTPEndpoint", "?")
        text += f" ({method} {endpoint})"
    resource = req.resource if req.resource is not None else "a resource not known statically"
    return f"{text} on {resource}"


def _message(name: str | None, req: Requirement, decision: Decision, proven: bool) -> str:
    who = f"Task '{name}'" if name else "The workflow"
    head = f"{who} needs {describe(req)} ({req.reason})"
    if decision.outcome == "explicit_deny":
        return f"{head}, but {decision.reason}"
    if not proven:
        return f"{head}, and the role's policies cannot be shown to allow it: {decision.reason}"
    closest = f"; closest: {decision.reason}" if decision.closest is not None else ""
    return f"{head}, but no statement of the role allows it{closest}"


def coverage(
    requirements: Iterable[RequirementItem], policies: PolicySet, *, strict: bool = False
) -> list[CoverageProblem]:
    """One problem per requirement the policies do not allow; ASL507 per unresolved policy.

    Decisions that are ``unknown`` (values or policies not known statically) are reported only
    with ``strict=True``: coverage is never assumed, but uncertainty is not an error either.
    """
    problems = [
        CoverageProblem("ASL507", f"cannot be read statically: {what}; coverage is unknown", "", None, "", None)
        for what in policies.unresolved
    ]
    for pointer, name, req in _items(requirements):
        decision = evaluate(to_request(req), policies)
        if decision.outcome == "allowed" or (decision.outcome == "unknown" and not strict):
            continue
        if decision.outcome == "explicit_deny":
            code, fix = "ASL506", None
        else:
            code = _CODE_BY_KIND[req.kind]
            fix = least_privilege_policy([req])["Statement"][0]
        message = _message(name, req, decision, decision.outcome != "unknown")
        problems.append(CoverageProblem(code, message, f"{pointer}/{req.field}", name, req.field, fix))
    return problems


def _serves(st: Statement, req: Requirement) -> bool:
    return match_statement(st, to_request(req)).overall is Tri.YES


# What a state machine's own logging to CloudWatch Logs needs (docs/sources.md#iam-for-logging): the
# usual reason a role grants logs:*.
LOGGING_ACTIONS = ("CreateLogDelivery", "GetLogDelivery", "UpdateLogDelivery", "DeleteLogDelivery",
                   "ListLogDeliveries", "PutResourcePolicy", "DescribeResourcePolicies", "DescribeLogGroups")
_LOGGING_HINT = (" (the state machine's logging to CloudWatch Logs needs only "
                 + ", ".join(f"logs:{a}" for a in LOGGING_ACTIONS) + ")")


def _is_everything(pattern: str) -> bool:
    return pattern.replace("*", "").replace(":", "") == ""


def _secret_outside_connections(resource: str) -> bool:
    if resource == "*":
        return True
    parts = split_arn(resource, 5)
    tail = parts[5] if len(parts) == 6 else ""
    return not tail.startswith("secret:events!connection/")


def _broad_reasons(st: Statement, reqs: list[Requirement]) -> list[str]:
    served = [r for r in reqs if _serves(st, r)]
    unknown_resource = any(r.resource is None for r in served)
    reasons = []
    for pattern in st.actions:
        if st.not_action:
            break
        if _is_everything(pattern):
            reasons.append("grants every action of every service")
        elif pattern.endswith(":*") and _is_everything(pattern.split(":", 1)[1]):
            service = pattern.split(":")[0]
            hint = _LOGGING_HINT if service.lower() == "logs" else ""
            reasons.append(f"grants every action of {service} ({pattern}){hint}")
    if st.not_action:
        reasons.append("uses NotAction with Allow: grants every action except those listed")
    if st.not_resource:
        reasons.append("uses NotResource with Allow: grants on every resource except those listed")

    def grants(action: str) -> bool:
        return not st.not_action and any(match(p, action, "action") is Tri.YES for p in st.actions)

    star = "*" in st.resources and not st.not_resource
    if grants("states:InvokeHTTPEndpoint") and not any(
        key.lower() == "states:httpendpoint" for keys in st.condition.values() for key in keys
    ):
        needs_any = any(r.kind == "http-invoke" and _only_unknown(r.context.get("states:HTTPEndpoint")) for r in served)
        if not needs_any:
            reasons.append("allows states:InvokeHTTPEndpoint without a states:HTTPEndpoint condition")
    wide_secret = any(_secret_outside_connections(r) for r in st.resources)
    get_secret = "secretsmanager:getsecretvalue"
    task_secret = any(r.action.lower() == get_secret and r.kind == "task" for r in served)
    if grants("secretsmanager:GetSecretValue") and wide_secret and not task_secret:
        reasons.append("allows secretsmanager:GetSecretValue beyond the connections' secrets")
    if grants("iam:PassRole") and star and not _has_key(st, "iam:PassedToService") and not unknown_resource:
        reasons.append("allows iam:PassRole on * without an iam:PassedToService condition")
    for op, keys in st.condition.items():
        if op.startswith("ForAllValues:") and not all(_null_guarded(st, key) for key in keys):
            reasons.append(f"uses {op} without a Null guard: it passes when the key is absent")
    star_is_fine = all(r.action.lower() in _STAR_IS_DOCUMENTED for r in served)
    if star and not reasons and served and not unknown_resource and not star_is_fine:
        needed = sorted({r.resource for r in served if r.resource is not None})
        reasons.append(f"grants on '*' what the workflow needs only on {', '.join(needed)}")
    if not st.not_resource and not _from_sam_template(st):
        # SAM's own policy templates end names with '*' (LambdaInvokePolicy: 'function:name*'); users
        # cannot narrow those without rewriting the template, so only hand-written patterns count.
        needed_exact = {r.resource for r in served if r.resource is not None}
        for pattern in st.resources:
            # 'function:ship*' (SAM LambdaInvokePolicy) also grants 'function:shipping'.
            if pattern.endswith("*") and pattern[-2:-1] not in (":", "/", "") and pattern[:-1] in needed_exact:
                reasons.append(f"{pattern} also matches every resource whose name starts with {pattern[:-1]!r}")
    return reasons


def _from_sam_template(st: Statement) -> bool:
    """Statements expanded from a SAM policy template are named ``"<policy> (<Template>)"``."""
    from asl_lint.iam.sam_templates import TEMPLATES

    name = st.source.rsplit(" (", 1)[-1].rstrip(")") if st.source.endswith(")") else ""
    return name in TEMPLATES


def _only_unknown(value: Any) -> bool:
    return not isinstance(value, str) or (has_placeholder(value) and value.startswith("${") and
                                          value.endswith("}") and value.count("${") == 1)  # fmt: skip


def _null_guarded(st: Statement, key: str) -> bool:
    null = next((keys for op, keys in st.condition.items() if op == "Null"), {})
    return any(k.lower() == key.lower() and "false" in [v.lower() for v in vals] for k, vals in null.items())


def _has_key(st: Statement, key: str) -> bool:
    return any(k.lower() == key.lower() for keys in st.condition.values() for k in keys)


def overbroad(policies: PolicySet, requirements: Iterable[RequirementItem]) -> list[CoverageProblem]:
    """ASL505: Allow statements much wider than the workflow needs (one problem per statement)."""
    reqs = [r for _, _, r in _items(requirements)]
    problems = []
    for st in policies.statements():
        if st.effect != "Allow":
            continue
        reasons = _broad_reasons(st, reqs)
        if not reasons:
            continue
        served = [r for r in reqs if _serves(st, r)]
        fix = least_privilege_policy(served) if served else None
        message = f"{st.label} {'; '.join(reasons)}"
        problems.append(CoverageProblem("ASL505", message, "", None, "", fix))
    return problems


def check_state_machine(
    definition: Mapping[str, Any],
    policies: PolicySet,
    *,
    state_machine_arn: str | None = None,
    region: str | None = None,
    account: str | None = None,
    partition: str = "aws",
    strict: bool = False,
) -> list[CoverageProblem]:
    """Everything ASL501-ASL507 report for one definition: coverage, then over-broad grants."""
    from asl_lint.iam.requirements import machine_requirements

    reqs = machine_requirements(
        definition, state_machine_arn=state_machine_arn, region=region, account=account, partition=partition
    )
    return coverage(reqs, policies, strict=strict) + overbroad(policies, reqs)
