"""The least-privilege identity policy a workflow needs, as a ready-to-paste IAM document.

Statements group the actions needed on the same resources (and conditions); unknown resources
become ``*`` with a Sid that says so; unknown parts of ARNs become ``*``. Statements made redundant
by broader ones are dropped, so every statement left is needed by some task. Output order is
deterministic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from asl_lint.iam.evaluate import PolicySet, Request, evaluate
from asl_lint.iam.glob import has_placeholder
from asl_lint.iam.policy import parse_policy
from asl_lint.iam.task import Requirement

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
RequirementItem = Requirement | tuple[str, str, Requirement]


def requirement_of(item: RequirementItem) -> Requirement:
    return item if isinstance(item, Requirement) else item[2]


def to_request(req: Requirement) -> Request:
    return Request(req.action, req.resource, req.context)


def as_pattern(text: str) -> str:
    """Unknown parts become ``*`` (runs of them collapse to one)."""
    return re.sub(r"\*+", "*", _PLACEHOLDER.sub("*", text))


def _conditions(req: Requirement) -> dict[str, dict[str, str]]:
    cond: dict[str, dict[str, str]] = {}
    for key, value in sorted(req.context.items()):
        if not isinstance(value, str) or key == "s3:prefix":
            continue
        if not has_placeholder(value):
            cond.setdefault("StringEquals", {})[key] = value
        elif as_pattern(value) != "*":
            cond.setdefault("StringLike", {})[key] = as_pattern(value)
    return cond


def _sid(actions: Sequence[str], any_resource: bool, used: set[str]) -> str:
    service = actions[0].split(":")[0]
    words = [w for w in re.split(r"[^A-Za-z0-9]", service) if w]
    base = "".join(w[:1].upper() + w[1:] for w in words)
    names = sorted({a.split(":", 1)[1] for a in actions})
    base += names[0] if len(names) == 1 else f"{names[0]}And{len(names) - 1}More"
    if any_resource:
        base += "OnAnyResourceNotKnownStatically"
    sid, n = base, 2
    while sid in used:
        sid, n = f"{base}{n}", n + 1
    used.add(sid)
    return sid


def _statements(reqs: Sequence[Requirement]) -> list[dict[str, Any]]:
    # (resource, condition) -> actions, then group resources that need the same actions + condition.
    by_resource: dict[tuple[str, str], set[str]] = {}
    for req in reqs:
        resource = "*" if req.resource is None else as_pattern(req.resource)
        cond = json.dumps(_conditions(req), sort_keys=True)
        by_resource.setdefault((resource, cond), set()).add(req.action)
    grouped: dict[tuple[tuple[str, ...], str], set[str]] = {}
    for (resource, cond), action_set in by_resource.items():
        grouped.setdefault((tuple(sorted(action_set, key=str.lower)), cond), set()).add(resource)
    statements = []
    for (actions, cond), resources in grouped.items():
        st: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": sorted(resources)}
        condition = json.loads(cond)
        if condition:
            st["Condition"] = condition
        statements.append(st)
    statements.sort(key=lambda s: (s["Action"][0].lower(), s["Resource"], json.dumps(s.get("Condition"))))
    return statements


def _allowed(statements: list[dict[str, Any]], reqs: Sequence[Requirement]) -> list[bool]:
    policy = parse_policy({"Version": "2012-10-17", "Statement": statements}, "generated")
    policies = PolicySet([policy])
    return [evaluate(to_request(r), policies).allowed for r in reqs]


def _minimise(statements: list[dict[str, Any]], reqs: Sequence[Requirement]) -> list[dict[str, Any]]:
    """Drop statements whose every use is covered by the others (broad ones win)."""
    if not statements:
        return statements
    target = _allowed(statements, reqs)
    kept = list(statements)
    # Try the narrowest statements first: those are the ones a broader grant makes redundant.
    order = sorted(range(len(statements)), key=lambda i: ("*" in statements[i]["Resource"], -i))
    for i in order:
        candidate = [s for s in kept if s is not statements[i]]
        if candidate and _allowed(candidate, reqs) == target:
            kept = candidate
    # Then the resources inside each statement: '*' makes the ARNs next to it redundant, and so on.
    for st in kept:
        for resource in sorted(st["Resource"], key=lambda r: r == "*"):
            if len(st["Resource"]) == 1:
                break
            before = st["Resource"]
            st["Resource"] = [r for r in before if r != resource]
            if _allowed(kept, reqs) != target:
                st["Resource"] = before
    return kept


def least_privilege_policy(requirements: Iterable[RequirementItem]) -> dict[str, Any]:
    """The IAM policy document (Version 2012-10-17) that grants exactly what the requirements need."""
    seen: set[Any] = set()
    reqs: list[Requirement] = []
    for item in requirements:
        req = requirement_of(item)
        if req.key() not in seen:
            seen.add(req.key())
            reqs.append(req)
    statements = _minimise(_statements(reqs), reqs)
    used: set[str] = set()
    out = []
    for st in statements:
        sid = _sid(st["Action"], st["Resource"] == ["*"], used)
        st["Action"] = st["Action"][0] if len(st["Action"]) == 1 else st["Action"]
        st["Resource"] = st["Resource"][0] if len(st["Resource"]) == 1 else st["Resource"]
        out.append({"Sid": sid, **st})
    return {"Version": "2012-10-17", "Statement": out}


def policy_for_definition(
    definition: Mapping[str, Any],
    *,
    state_machine_arn: str | None = None,
    region: str | None = None,
    account: str | None = None,
    partition: str = "aws",
) -> dict[str, Any]:
    """``asl-lint iam policy FILE``: the least-privilege policy document for a whole definition."""
    from asl_lint.iam.requirements import machine_requirements

    return least_privilege_policy(
        machine_requirements(
            definition,
            state_machine_arn=state_machine_arn,
            region=region,
            account=account,
            partition=partition,
        )
    )
