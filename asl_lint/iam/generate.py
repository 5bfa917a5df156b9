"""The least-privilege identity policy a workflow needs, as a ready-to-paste IAM document.

Statements group the actions needed on the same resources (and conditions); unknown resources
become ``*`` with a Sid that says so; unknown parts of ARNs become ``*``. Statements made redundant
by broader ones are dropped, so every statement left is needed by some task. Output order is
deterministic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from asl_lint.iam.evaluate import Request, match_statement
from asl_lint.iam.glob import Tri, has_placeholder, match
from asl_lint.iam.policy import parse_statement
from asl_lint.iam.task import Requirement

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
RequirementItem = Requirement | tuple[str, str, Requirement]


def requirement_of(item: RequirementItem) -> Requirement:
    return item if isinstance(item, Requirement) else item[2]


def to_request(req: Requirement) -> Request:
    return Request(req.action, req.resource, req.context)


def as_pattern(text: str, keep: Callable[[str], bool] | None = None) -> str:
    """Unknown parts become ``*`` (runs of them collapse to one). ``keep``: the placeholders (by name)
    that stay, because the output can name what they stand for (see ``asl_lint.iam.formats``)."""
    if keep is None:
        replaced = _PLACEHOLDER.sub("*", text)
    else:
        replaced = _PLACEHOLDER.sub(lambda m: m.group(0) if keep(m.group(0)[2:-1]) else "*", text)
    return re.sub(r"\*+", "*", replaced)


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


def _statements(reqs: Sequence[Requirement], keep: Callable[[str], bool] | None) -> list[dict[str, Any]]:
    # (resource, condition) -> actions, then group resources that need the same actions + condition.
    by_resource: dict[tuple[str, str], set[str]] = {}
    for req in reqs:
        resource = "*" if req.resource is None else as_pattern(req.resource, keep)
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


def _minimise(statements: list[dict[str, Any]], reqs: Sequence[Requirement]) -> list[dict[str, Any]]:
    """Drop every resource pattern (and so statement) whose requests another kept pattern grants.

    Works on (statement, resource) units: for an Allow-only policy a request is allowed exactly when
    some unit grants it (action, condition and that resource pattern all match), so counting the
    units that grant each request decides removals without re-evaluating whole policies.
    """
    requests = [to_request(r) for r in reqs]
    grants: dict[tuple[int, str], list[int]] = {}
    for si, st in enumerate(statements):
        # Action and condition do not depend on the resource pattern: match them once.
        anywhere = parse_statement({**st, "Resource": "*"}, index=si, source="generated")
        for qi, request in enumerate(requests):
            if match_statement(anywhere, request).overall is not Tri.YES:
                continue
            for pattern in st["Resource"]:
                hit = (pattern == "*") if request.resource is None else match(pattern, request.resource, "resource")
                if hit is True or hit is Tri.YES:
                    grants.setdefault((si, pattern), []).append(qi)
    count = [0] * len(requests)
    for served in grants.values():
        for qi in served:
            count[qi] += 1
    # Narrow grants go first: a broader one ('*', wildcards) is what makes them redundant.
    units = sorted(grants, key=lambda u: (u[1] == "*", "*" in u[1] or "?" in u[1], -u[0], u[1]))
    removed: set[tuple[int, str]] = set()
    for unit in units:
        if all(count[qi] > 1 for qi in grants[unit]):
            removed.add(unit)
            for qi in grants[unit]:
                count[qi] -= 1
    kept = []
    for si, st in enumerate(statements):
        resources = [r for r in st["Resource"] if (si, r) in grants and (si, r) not in removed]
        if resources:
            kept.append({**st, "Resource": resources})
    return kept


def least_privilege_policy(requirements: Iterable[RequirementItem],
                           keep: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """The IAM policy document (Version 2012-10-17) that grants exactly what the requirements need.

    ``keep``: placeholders (by name) left in the resources, for a template to fill in; every other
    unknown part is ``*``."""
    seen: set[Any] = set()
    reqs: list[Requirement] = []
    for item in requirements:
        req = requirement_of(item)
        if req.key() not in seen:
            seen.add(req.key())
            reqs.append(req)
    statements = _minimise(_statements(reqs, keep), reqs)
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
