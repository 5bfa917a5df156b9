"""IAM policy documents as a small immutable model, and parsers for the shapes they arrive in.

Shapes: a policy document (JSON text or dict), and the outputs of ``aws iam get-role``,
``get-role-policy``, ``list-attached-role-policies``, ``get-policy-version`` and
``get-account-authorization-details``. Anything that names a policy without its document (a
managed policy ARN, a boundary ARN) is returned as an *unresolved* reason, never guessed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote

Effect = Literal["Allow", "Deny"]


class PolicyParseError(ValueError):
    """The text is not a policy document (or a known AWS CLI output holding one)."""


@dataclass(frozen=True)
class Statement:
    """One statement. ``actions``/``resources`` hold the patterns of Action *or* NotAction etc."""

    effect: Effect
    actions: tuple[str, ...]
    not_action: bool = False
    resources: tuple[str, ...] = ("*",)
    not_resource: bool = False
    # operator -> condition key -> policy values (all as strings; numbers/bools stringified)
    condition: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    sid: str | None = None
    index: int = 0
    source: str = "policy"
    # False for Version 2008-10-17 (or absent): ${...} is literal text there.
    variables: bool = True
    has_resource: bool = True

    @property
    def label(self) -> str:
        """How messages name this statement: ``'Sid' (policy #2)``."""
        sid = f"'{self.sid}' " if self.sid else ""
        return f"statement {sid}({self.source} #{self.index})"

    def to_json(self) -> dict[str, Any]:
        """The statement as an IAM JSON fragment (for messages and fixes)."""
        out: dict[str, Any] = {}
        if self.sid:
            out["Sid"] = self.sid
        out["Effect"] = self.effect
        out["NotAction" if self.not_action else "Action"] = _one_or_list(self.actions)
        if self.has_resource:
            out["NotResource" if self.not_resource else "Resource"] = _one_or_list(self.resources)
        if self.condition:
            out["Condition"] = {
                op: {k: _one_or_list(v) for k, v in keys.items()} for op, keys in self.condition.items()
            }
        return out


@dataclass(frozen=True)
class Policy:
    name: str
    statements: tuple[Statement, ...]
    version: str = "2012-10-17"


def _one_or_list(values: Sequence[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PolicyParseError(f"{what} must be a string or a list of strings")


def _cond_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise PolicyParseError("condition values must be strings, numbers or booleans")


def _parse_condition(raw: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PolicyParseError("Condition must be an object")
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for op, keys in raw.items():
        if not isinstance(keys, Mapping):
            raise PolicyParseError(f"Condition operator {op} must map keys to values")
        out[str(op)] = {
            str(k): tuple(_cond_value(x) for x in (v if isinstance(v, list) else [v])) for k, v in keys.items()
        }
    return out


def parse_statement(raw: Mapping[str, Any], *, index: int, source: str, variables: bool = True) -> Statement:
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyParseError(f"statement #{index}: Effect must be Allow or Deny, not {effect!r}")
    if ("Action" in raw) == ("NotAction" in raw):
        raise PolicyParseError(f"statement #{index}: exactly one of Action / NotAction is required")
    not_action = "NotAction" in raw
    actions = _strings(raw["NotAction" if not_action else "Action"], "Action")
    not_resource = "NotResource" in raw
    has_resource = not_resource or "Resource" in raw
    resources = _strings(raw["NotResource" if not_resource else "Resource"], "Resource") if has_resource else ()
    sid = raw.get("Sid")
    return Statement(
        effect=effect,
        actions=actions,
        not_action=not_action,
        resources=resources,
        not_resource=not_resource,
        condition=_parse_condition(raw.get("Condition")),
        sid=str(sid) if sid not in (None, "") else None,
        index=index,
        source=source,
        variables=variables,
        has_resource=has_resource,
    )


def parse_policy(document: str | Mapping[str, Any], name: str = "policy") -> Policy:
    """Parse one policy document: JSON text (also URL-encoded, as the raw IAM API returns it) or a dict.

    ``Statement`` may be one object or a list. Raises :class:`PolicyParseError`.
    """
    doc: Any = document
    if isinstance(doc, str):
        text = doc.strip()
        if text.startswith("%7B") or text.startswith("%7b"):
            text = unquote(text)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyParseError(f"{name}: not JSON: {exc}") from exc
    if not isinstance(doc, Mapping) or "Statement" not in doc:
        raise PolicyParseError(f"{name}: a policy document needs a Statement")
    version = str(doc.get("Version", "2008-10-17"))
    raw_statements = doc["Statement"]
    if isinstance(raw_statements, Mapping):
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list):
        raise PolicyParseError(f"{name}: Statement must be an object or a list")
    variables = version == "2012-10-17"
    statements = tuple(
        parse_statement(s, index=i, source=name, variables=variables)
        for i, s in enumerate(raw_statements)
        if isinstance(s, Mapping)
    )
    return Policy(name=name, statements=statements, version=version)


@dataclass
class CliPolicies:
    """What one AWS CLI output contributed: identity policies, boundaries, unresolved references."""

    identity: list[Policy] = field(default_factory=list)
    boundaries: list[Policy] | None = None
    unresolved: list[str] = field(default_factory=list)


def _role_details(data: Mapping[str, Any], role: str | None) -> Mapping[str, Any] | None:
    roles = [r for r in data.get("RoleDetailList", []) if isinstance(r, Mapping)]
    if role is not None:
        roles = [r for r in roles if role in (r.get("RoleName"), r.get("Arn"))]
    return roles[0] if len(roles) == 1 else None


def _managed_documents(data: Mapping[str, Any]) -> dict[str, Any]:
    """Managed policy ARN -> default version document, from get-account-authorization-details."""
    docs: dict[str, Any] = {}
    for pol in data.get("Policies", []):
        for version in pol.get("PolicyVersionList", []):
            if version.get("IsDefaultVersion"):
                docs[str(pol.get("Arn"))] = version.get("Document")
    return docs


def parse_cli_output(data: Any, *, name: str = "policy", role: str | None = None) -> CliPolicies:
    """Read any supported shape: a policy document or one of the AWS CLI outputs listed above.

    ``role`` (name or ARN) selects the role in a ``get-account-authorization-details`` output that
    holds several.
    """
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise PolicyParseError(f"{name}: not JSON: {exc}") from exc
    if not isinstance(data, Mapping):
        raise PolicyParseError(f"{name}: expected a JSON object")
    out = CliPolicies()
    if "Statement" in data:
        out.identity.append(parse_policy(data, name))
    elif "PolicyDocument" in data:  # get-role-policy
        pname = str(data.get("PolicyName", name))
        out.identity.append(parse_policy(data["PolicyDocument"], pname))
    elif "PolicyVersion" in data:  # get-policy-version
        out.identity.append(parse_policy(data["PolicyVersion"]["Document"], name))
    elif "AttachedPolicies" in data:  # list-attached-role-policies
        for att in data["AttachedPolicies"]:
            out.unresolved.append(f"managed policy {att.get('PolicyArn')} (document not available)")
    elif "Role" in data:  # get-role: names a boundary, holds no permissions itself
        boundary = data["Role"].get("PermissionsBoundary")
        if boundary:
            out.boundaries = []
            out.unresolved.append(
                f"permissions boundary {boundary.get('PermissionsBoundaryArn')} (document not available)"
            )
    elif "RoleDetailList" in data:
        _read_authorization_details(data, role, name, out)
    else:
        raise PolicyParseError(f"{name}: not a policy document or a known AWS CLI output")
    return out


def _read_authorization_details(data: Mapping[str, Any], role: str | None, name: str, out: CliPolicies) -> None:
    detail = _role_details(data, role)
    if detail is None:
        raise PolicyParseError(f"{name}: name the role (none or several roles match {role!r})")
    managed = _managed_documents(data)
    for inline in detail.get("RolePolicyList", []):
        out.identity.append(parse_policy(inline["PolicyDocument"], str(inline.get("PolicyName", name))))
    for att in detail.get("AttachedManagedPolicies", []):
        arn = str(att.get("PolicyArn"))
        if managed.get(arn) is not None:
            out.identity.append(parse_policy(managed[arn], str(att.get("PolicyName", arn))))
        else:
            out.unresolved.append(f"managed policy {arn} (document not in the output)")
    boundary = detail.get("PermissionsBoundary")
    if boundary:
        arn = str(boundary.get("PermissionsBoundaryArn"))
        out.boundaries = []
        if managed.get(arn) is not None:
            out.boundaries.append(parse_policy(managed[arn], arn.rsplit("/", 1)[-1]))
        else:
            out.unresolved.append(f"permissions boundary {arn} (document not in the output)")
