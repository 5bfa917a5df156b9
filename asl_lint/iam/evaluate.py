"""The IAM decision for one request against the execution role's policies (three-valued).

Explicit deny wins; otherwise an identity Allow is needed, and when permission boundaries are given
they must allow too. Unknown parts (a ``None`` resource, ``${...}`` placeholders, context keys whose
presence cannot be known, unresolved policies) give ``unknown`` rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from asl_lint.iam.conditions import ContextValue, evaluate_condition, normalise_context
from asl_lint.iam.glob import Tri, match
from asl_lint.iam.policy import Policy, PolicyParseError, Statement, parse_policy

Outcome = Literal["allowed", "implicit_deny", "explicit_deny", "unknown"]

# ${key} or ${key, 'default'} where key is service:name (one colon): an IAM policy variable.
# ${AWS::Region}, ${Param} and the like are symbolic template values, not IAM variables.
_VARIABLE = re.compile(r"\$\{\s*([A-Za-z0-9-]+:[^:,}\s][^,}]*?)\s*(?:,\s*'([^']*)'\s*)?\}")
# Keys that are never statically known, even in the action's own service.
_OPAQUE_KEY_PARTS = ("resourcetag", "requesttag", "tagkeys", "principaltag", ":resource/")


@dataclass(frozen=True)
class Request:
    action: str
    resource: str | None = None
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    # True: every condition key not in ``context`` is known to be absent (tests, full contexts).
    complete_context: bool = False


@dataclass
class PolicySet:
    identity: list[Policy] = field(default_factory=list)
    boundaries: list[Policy] | None = None
    unresolved: list[str] = field(default_factory=list)

    def extend(self, other: PolicySet) -> None:
        self.identity.extend(other.identity)
        if other.boundaries is not None:
            self.boundaries = [*(self.boundaries or []), *other.boundaries]
        self.unresolved.extend(other.unresolved)

    def parse(self, document: str | Mapping[str, Any], name: str) -> Policy | None:
        """``document`` parsed as policy ``name``; when it cannot be, that is recorded as unresolved."""
        try:
            return parse_policy(document, name)
        except PolicyParseError as exc:
            self.unresolved.append(f"policy {name} could not be read ({exc})")
            return None

    def statements(self) -> Iterable[Statement]:
        for pol in self.identity:
            yield from pol.statements


@dataclass(frozen=True)
class StatementMatch:
    statement: Statement
    action: Tri
    resource: Tri
    condition: Tri

    @property
    def overall(self) -> Tri:
        return min(self.action, self.resource, self.condition)

    def why_not(self, request: Request) -> str:
        """Why this statement does not (certainly) grant the request, for messages."""
        st = self.statement
        if self.action is not Tri.YES:
            return f"{st.label} does not cover action {request.action}"
        if self.resource is Tri.NO:
            res = ", ".join(st.resources) or "(no Resource)"
            kind = "NotResource" if st.not_resource else "Resource"
            return f"{st.label} allows {request.action} but its {kind} is {res}"
        if self.condition is Tri.NO:
            return f"{st.label} allows {request.action} but its Condition does not hold ({_cond_text(st)})"
        return f"{st.label} may allow {request.action}, depending on values unknown statically"


def _cond_text(st: Statement) -> str:
    parts = []
    for op, keys in st.condition.items():
        for key, values in keys.items():
            parts.append(f"{op} {key} = {', '.join(values)}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    statement: Statement | None = None  # the Allow that grants, or the Deny that blocks
    closest: Statement | None = None  # the Allow that came closest, when not granted
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.outcome == "allowed"


class _Context:
    def __init__(self, request: Request) -> None:
        self.values = normalise_context(request.context)
        self.service = request.action.split(":", 1)[0].lower()
        self.complete = request.complete_context

    def lookup(self, key: str) -> list[str] | Tri | None:
        k = key.lower()
        if k in self.values:
            return self.values[k]
        if self.complete or k == "aws:username":  # a role session never has aws:username
            return None
        if any(part in k for part in _OPAQUE_KEY_PARTS):
            return Tri.UNKNOWN
        # The requirement builder sets every key of the call's own service that the call carries.
        return None if k.startswith(self.service + ":") else Tri.UNKNOWN

    def expand(self, text: str, enabled: bool) -> str | Tri | None:
        """Substitute policy variables; None when one cannot be resolved, Tri.UNKNOWN when unknown."""
        if not enabled or "${" not in text:
            return text
        unknown = False
        missing = False

        def sub(m: re.Match[str]) -> str:
            nonlocal unknown, missing
            found = self.lookup(m.group(1))
            if isinstance(found, list) and len(found) == 1:
                return found[0]
            if found is None and m.group(2) is not None:
                return m.group(2)
            if found is None:
                missing = True
            else:
                unknown = True
            return ""

        out = _VARIABLE.sub(sub, text)
        if missing:
            return None
        return Tri.UNKNOWN if unknown else out


def match_statement(st: Statement, request: Request, ctx: _Context | None = None) -> StatementMatch:
    ctx = ctx or _Context(request)
    a = max((match(p, request.action, "action") for p in st.actions), default=Tri.NO)
    if st.not_action:
        a = a.negate()
    if a is Tri.NO:
        return StatementMatch(st, a, Tri.NO, Tri.NO)
    r = _resource(st, request, ctx)
    c = evaluate_condition(st.condition, ctx.lookup, lambda v: ctx.expand(v, st.variables))
    return StatementMatch(st, a, r, c)


def _resource(st: Statement, request: Request, ctx: _Context) -> Tri:
    if not st.has_resource:
        return Tri.NO  # identity statements must name resources; such a statement grants nothing
    best = Tri.NO
    for raw in st.resources:
        pattern = ctx.expand(raw, st.variables)
        if pattern is None:
            hit = Tri.NO
        elif isinstance(pattern, Tri):
            hit = Tri.UNKNOWN
        elif request.resource is None:
            hit = Tri.YES if pattern == "*" else Tri.UNKNOWN
        else:
            hit = match(pattern, request.resource, "resource")
        best = max(best, hit)
    return best.negate() if st.not_resource else best


def _best(matches: list[StatementMatch]) -> StatementMatch | None:
    if not matches:
        return None
    # Prefer the statement that gets furthest: action, then resource, then condition.
    return max(matches, key=lambda m: (m.overall, m.action, m.resource, m.condition))


def evaluate(request: Request, policies: PolicySet) -> Decision:
    """Decide one request. See the module docstring for the rules."""
    ctx = _Context(request)
    boundary_statements = [s for p in policies.boundaries or [] for s in p.statements]
    all_statements = list(policies.statements()) + boundary_statements
    denies = [match_statement(s, request, ctx) for s in all_statements if s.effect == "Deny"]
    deny = _best(denies)
    if deny is not None and deny.overall is Tri.YES:
        return Decision("explicit_deny", statement=deny.statement, reason=f"denied by {deny.statement.label}")

    allows = [match_statement(s, request, ctx) for s in policies.statements() if s.effect == "Allow"]
    allow = _best(allows)
    effective = allow.overall if allow else Tri.NO
    reason = ""
    # Only a statement that covers the action is worth naming as "closest".
    closest = allow if allow is not None and allow.action is not Tri.NO else None
    if policies.boundaries is not None and effective is not Tri.NO:
        bound = _best([match_statement(s, request, ctx) for s in boundary_statements if s.effect == "Allow"])
        bound_level = bound.overall if bound else Tri.NO
        if bound_level is Tri.NO:
            closest = bound
            why = bound.why_not(request) if bound else "it allows nothing"
            reason = f"the permissions boundary does not allow it: {why}"
        effective = min(effective, bound_level)

    if effective is Tri.NO:
        if not reason:
            reason = closest.why_not(request) if closest else "no statement allows it"
        if policies.unresolved:
            return Decision(
                "unknown",
                closest=closest.statement if closest else None,
                reason=f"{reason}; unresolved: {'; '.join(policies.unresolved)}",
            )
        return Decision("implicit_deny", closest=closest.statement if closest else None, reason=reason)
    if effective is Tri.UNKNOWN or (deny is not None and deny.overall is Tri.UNKNOWN):
        why = (
            f"{deny.statement.label} may deny it"
            if deny is not None and deny.overall is Tri.UNKNOWN
            else allow.why_not(request)
            if allow
            else ""
        )
        return Decision("unknown", statement=allow.statement if allow else None, reason=why)
    assert allow is not None
    return Decision("allowed", statement=allow.statement, reason=f"allowed by {allow.statement.label}")
