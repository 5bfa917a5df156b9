"""The execution role of an ``aws_sfn_state_machine`` and its policies, read from the configuration.

``role_arn`` naming an ``aws_iam_role`` of the configuration (``aws_iam_role.r.arn``, through
variables, locals and module outputs, or a literal ARN whose role name a role of the configuration
has) gives the role's:

- ``inline_policy`` blocks;
- ``aws_iam_role_policy`` resources whose ``role`` is that role (its name, id or ARN);
- ``aws_iam_role_policy_attachment`` / ``aws_iam_policy_attachment`` resources and
  ``managed_policy_arns`` entries: an ``aws_iam_policy`` of the configuration is read; any other
  ARN (an AWS-managed policy, one made elsewhere) is unresolved (ASL507);
- ``permissions_boundary``: the boundary, read the same way.

Policy documents are read from ``jsonencode(...)``, a heredoc or string, ``file()``/``templatefile()``
and ``data.aws_iam_policy_document.*.json``; one with parts not known statically keeps them as
symbolic ``${...}`` text, which matches only the same expression. A role that is not in the
configuration (``data.aws_iam_role``, a variable, a literal ARN of another stack) is unresolved.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from asl_lint.iam.evaluate import PolicySet
from asl_lint.sources.terraform.evaluate import Env, attribute, evaluate, python_value
from asl_lint.sources.terraform.values import Seq, Str, Unknown, Value

if TYPE_CHECKING:
    from asl_lint.sources.terraform.hcl import Block
    from asl_lint.sources.terraform.module import Instance

_ROLE_ATTACHERS = ("aws_iam_role_policy", "aws_iam_role_policy_attachment")


class _Role:
    def __init__(self, instance: Instance, block: Block, address: str) -> None:
        self.instance = instance
        self.block = block
        self.address = address
        name = attribute(instance, block, "name")
        self.name = name.text if isinstance(name, Str) and name.known else None


def role_policies(instance: Instance, machine: Block, everything: list[Instance]) -> PolicySet | None:
    """The policies of the machine's role; None when the machine has no ``role_arn``."""
    role_value = attribute(instance, machine, "role_arn")
    if role_value is None:
        return None
    role = _find_role(role_value, everything)
    if role is None:
        return PolicySet(unresolved=[_outside(role_value)])
    out = PolicySet()
    for dynamic in role.block.body.blocks_of("dynamic"):
        if dynamic.labels[:1] == ["inline_policy"]:
            out.unresolved.append(f"inline policies of {role.address} made by a dynamic block (not expanded)")
    for inline in role.block.body.blocks_of("inline_policy"):
        name = attribute(role.instance, inline, "name")
        label = f"{role.address}/{name.text if isinstance(name, Str) else 'inline_policy'}"
        _document(attribute(role.instance, inline, "policy"), label, out)
    managed = attribute(role.instance, role.block, "managed_policy_arns")
    for arn in managed.items if isinstance(managed, Seq) else [managed] if managed is not None else []:
        _managed(arn, everything, f"{role.address}.managed_policy_arns", out)
    for inst in everything:
        for address, block in sorted(inst.module.resources.items()):
            kind = address.split(".", 1)[0]
            full = inst.prefix + address
            if kind in _ROLE_ATTACHERS:
                target = attribute(inst, block, "role")
                if _maybe_role(target):
                    out.unresolved.append(f"{full} (its role is not known statically; it may attach to this role)")
                elif not _names_role(target, role):
                    continue
                elif kind == "aws_iam_role_policy":
                    _document(attribute(inst, block, "policy"), full, out)
                else:
                    _managed(attribute(inst, block, "policy_arn"), everything, full, out)
            elif kind == "aws_iam_policy_attachment":
                roles = attribute(inst, block, "roles")
                if (roles is not None and not isinstance(roles, Seq)) or (isinstance(roles, Seq) and any(
                        _maybe_role(r) for r in roles.items)):
                    out.unresolved.append(f"{full} (its roles are not known statically; it may attach to this role)")
                elif isinstance(roles, Seq) and any(_names_role(r, role) for r in roles.items):
                    _managed(attribute(inst, block, "policy_arn"), everything, full, out)
    boundary = attribute(role.instance, role.block, "permissions_boundary")
    if boundary is not None:
        limits = PolicySet()
        _managed(boundary, everything, f"{role.address}.permissions_boundary", limits)
        out.boundaries = limits.identity
        out.unresolved.extend(limits.unresolved)
    return out


def _find_role(value: Value, everything: list[Instance]) -> _Role | None:
    ref = value.ref
    if ref is not None and ref.type == "aws_iam_role":
        for inst in everything:
            local_address = ref.name[len(inst.prefix):] if ref.name.startswith(inst.prefix) else None
            block = inst.module.resources.get(local_address or "")
            if block is not None and inst.prefix + (local_address or "") == ref.name:
                return _Role(inst, block, ref.name)
    if isinstance(value, Str) and value.known and ":role/" in value.text:
        wanted = value.text.rsplit("/", 1)[-1]
        for inst in everything:
            for address, block in sorted(inst.module.resources.items()):
                if address.startswith("aws_iam_role."):
                    role = _Role(inst, block, inst.prefix + address)
                    if role.name == wanted:
                        return role
    return None


def _outside(value: Value) -> str:
    if value.ref is not None:
        return f"role {value.ref.name} (read from AWS, not declared in this Terraform configuration)"
    if isinstance(value, Str) and value.known:
        return f"role {value.text} (not declared in this Terraform configuration)"
    if isinstance(value, Unknown):
        return f"role {value.name} ({value.reason or 'not declared in this Terraform configuration'})"
    return "role (not known statically)"


def _maybe_role(value: Value | None) -> bool:
    """A ``role`` value that may be any role (``each.value``, a variable nobody sets)."""
    return isinstance(value, Unknown) and (value.ref is None or value.ref.type != "aws_iam_role")


def _names_role(value: Value | None, role: _Role) -> bool:
    """True when a ``role``/``roles`` value is the role: a reference to it, or its name or ARN."""
    if value is None:
        return False
    if value.ref is not None and value.ref.type == "aws_iam_role":
        return value.ref.name == role.address
    if isinstance(value, Str) and value.known and role.name is not None:
        return value.text == role.name or value.text.endswith(f":role/{role.name}")
    return False


def _document(value: Value | None, label: str, out: PolicySet) -> None:
    if value is None:
        return
    if isinstance(value, Str) and value.encoded is not None:
        document = python_value(value.encoded)
    elif isinstance(value, Str):
        text = value.symbolic
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            reason = "known only after apply" if not value.known else f"not JSON: {why}"
            out.unresolved.append(f"policy {label} ({reason})")
            return
    else:
        reason = value.reason if isinstance(value, Unknown) and value.reason else "not known statically"
        out.unresolved.append(f"policy {label} ({reason})")
        return
    policy = out.parse(document, label)
    if policy is not None:
        out.identity.append(policy)


def _managed(arn: Value | None, everything: list[Instance], label: str, out: PolicySet) -> None:
    """An attached policy by ARN: an ``aws_iam_policy`` of the configuration, else unresolved."""
    if arn is None:
        return
    block, inst, address = _policy_resource(arn, everything)
    if block is not None and inst is not None:
        _document(evaluate(block.body.attributes["policy"].value, Env(inst, block.file))
                  if "policy" in block.body.attributes else None, address, out)
        return
    shown = arn.text if isinstance(arn, Str) and arn.known else arn.ref.name if arn.ref else \
        arn.name if isinstance(arn, Unknown) else "(computed)"
    out.unresolved.append(f"managed policy {shown} attached by {label} (document not in the configuration)")


def _policy_resource(arn: Value, everything: list[Instance]) -> tuple[Block | None, Instance | None, str]:
    ref = arn.ref
    for inst in everything:
        for address, block in inst.module.resources.items():
            if not address.startswith("aws_iam_policy."):
                continue
            full = inst.prefix + address
            if ref is not None and ref.name == full:
                return block, inst, full
            if isinstance(arn, Str) and arn.known and ":iam::aws:policy/" not in arn.text:
                name = attribute(inst, block, "name")
                if isinstance(name, Str) and name.known and arn.text.endswith(f":policy/{name.text}"):
                    return block, inst, full
    return None, None, ""
