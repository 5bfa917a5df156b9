"""Where the execution role's policies come from: files, CloudFormation/SAM templates, Terraform plans.

Whatever cannot be read statically (a managed policy by ARN, an imported role, a policy computed at
apply time) goes to ``PolicySet.unresolved`` with a reason (ASL507) and is never assumed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from asl_lint.iam import sam_templates
from asl_lint.iam.cfn import Resolver, apply_substitutions, template_resolver
from asl_lint.iam.evaluate import PolicySet
from asl_lint.iam.policy import Policy, parse_cli_output

__all__ = [
    "apply_substitutions",
    "definition_for_state_machine",
    "definition_from_terraform_plan",
    "policies_for_state_machine",
    "policies_from_files",
    "policies_from_terraform_plan",
    "state_machine_arn",
    "substitutions_for_state_machine",
    "template_resolver",
]

_SM_TYPES = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")


def policies_from_files(paths: Iterable[str | Path], *, role: str | None = None) -> PolicySet:
    """Policy documents or AWS CLI outputs (``get-role-policy``, ``get-account-authorization-details``,
    ...), one per file. Raises PolicyParseError for a file that is none of these."""
    out = PolicySet()
    for path in paths:
        p = Path(path)
        read = parse_cli_output(p.read_text(encoding="utf-8"), name=p.name, role=role)
        out.extend(PolicySet(read.identity, read.boundaries, read.unresolved))
    return out


# --- CloudFormation / SAM ------------------------------------------------------------------------


def _role_logical_id(value: Any, resources: Mapping[str, Any], resolve: Resolver) -> str | None:
    """The logical id of the template role a RoleArn / Role value points at, if any."""
    if isinstance(value, Mapping) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else list(arg)
            return str(parts[0]) if parts else None
        if fn == "Ref" and arg in resources:
            return str(arg)
        if fn == "Fn::Sub" and isinstance(arg, str) and arg.startswith("${") and arg.endswith(".Arn}"):
            return arg[2:-5]
    if isinstance(value, (str, Mapping)):
        text = resolve(value)
        if isinstance(text, str) and ":role/" in text:
            name = text.rsplit("/", 1)[-1]
            for logical, res in resources.items():
                props = (res or {}).get("Properties") or {}
                if res.get("Type") == "AWS::IAM::Role" and resolve(props.get("RoleName")) == name:
                    return str(logical)
    return None


def _document(value: Any, resolve: Resolver, name: str, out: PolicySet) -> Policy | None:
    doc = resolve(value)
    statements = doc.get("Statement") if isinstance(doc, Mapping) else None
    if isinstance(statements, list) and not all(isinstance(s, Mapping) for s in statements):
        # e.g. a statement chosen by Fn::If: which one applies is not known statically.
        out.unresolved.append(f"policy {name} has statements chosen at deploy time (Fn::If)")
        doc = {**doc, "Statement": [s for s in statements if isinstance(s, Mapping)]}
    return out.parse(doc, name)


def _managed(value: Any, resources: Mapping[str, Any], resolve: Resolver, out: PolicySet) -> Policy | None:
    """A managed policy reference: a template AWS::IAM::ManagedPolicy, else unresolved."""
    if isinstance(value, Mapping) and set(value) == {"Ref"}:
        res = resources.get(value["Ref"])
        if isinstance(res, Mapping) and res.get("Type") == "AWS::IAM::ManagedPolicy":
            return _document((res.get("Properties") or {}).get("PolicyDocument"), resolve, value["Ref"], out)
    arn = resolve(value)
    for logical, res in resources.items():
        if (res or {}).get("Type") == "AWS::IAM::ManagedPolicy" and resolve({"Ref": logical}) == arn:
            return _document((res.get("Properties") or {}).get("PolicyDocument"), resolve, logical, out)
    out.unresolved.append(f"managed policy {arn} (document not in the template)")
    return None


def _attached_to(res: Mapping[str, Any], role: str, role_name: Any, resolve: Resolver) -> bool:
    props = res.get("Properties") or {}
    targets = list(props.get("Roles") or [])
    if "RoleName" in props:
        targets.append(props["RoleName"])
    for target in targets:
        if target == {"Ref": role} or (isinstance(role_name, str) and resolve(target) == role_name):
            return True
    return False


def _attached_policies(
    resources: Mapping[str, Any], role: str, role_name: Any, resolve: Resolver, out: PolicySet
) -> None:
    """Policy resources of the template that name the role in ``Roles`` / ``RoleName``."""
    for logical, res in resources.items():
        kind = (res or {}).get("Type")
        if kind in ("AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::ManagedPolicy") and _attached_to(
            res, role, role_name, resolve
        ):
            doc = _document((res.get("Properties") or {}).get("PolicyDocument"), resolve, logical, out)
            if doc:
                out.identity.append(doc)


def _role_policies(template: Mapping[str, Any], role: str, resolve: Resolver) -> PolicySet:
    resources: Mapping[str, Any] = template.get("Resources") or {}
    props = (resources[role].get("Properties") or {}) if isinstance(resources.get(role), Mapping) else {}
    out = PolicySet()
    for i, inline in enumerate(props.get("Policies") or []):
        name = f"{role}/{resolve(inline.get('PolicyName')) if isinstance(inline, Mapping) else i}"
        doc = _document(inline.get("PolicyDocument") if isinstance(inline, Mapping) else None, resolve, name, out)
        if doc:
            out.identity.append(doc)
    for ref in props.get("ManagedPolicyArns") or []:
        doc = _managed(ref, resources, resolve, out)
        if doc:
            out.identity.append(doc)
    role_name = resolve(props["RoleName"]) if "RoleName" in props else None
    _attached_policies(resources, role, role_name, resolve, out)
    if "PermissionsBoundary" in props:
        boundary = _managed(props["PermissionsBoundary"], resources, resolve, out)
        out.boundaries = [boundary] if boundary else []
    return out


def _sam_policies(logical: str, props: Mapping[str, Any], template: Mapping[str, Any], resolve: Resolver) -> PolicySet:
    """The role SAM generates from ``Policies`` (inline documents, managed names/ARNs, templates)."""
    resources: Mapping[str, Any] = template.get("Resources") or {}
    out = PolicySet()
    items = props.get("Policies") or []
    if not isinstance(items, list):
        items = [items]
    for i, item in enumerate(items):
        name = f"{logical}RolePolicy{i}"
        if isinstance(item, str):
            shown = item if item.startswith("arn:") else f"arn:aws:iam::aws:policy/{item}"
            out.unresolved.append(f"managed policy {shown} (document not in the template)")
        elif isinstance(item, Mapping) and "Statement" in item:
            doc = _document(item, resolve, name, out)
            if doc:
                out.identity.append(doc)
        elif isinstance(item, Mapping) and len(item) == 1:
            ((key, params),) = item.items()
            if key == "Ref" or key.startswith("Fn::"):
                doc = _managed(item, resources, resolve, out)
            elif (expanded := sam_templates.expand(key, params or {})) is not None:
                doc = _document(expanded, resolve, f"{name} ({key})", out)
            else:
                out.unresolved.append(f"SAM policy template {key} (not expanded statically)")
                doc = None
            if doc:
                out.identity.append(doc)
    # Template policies may attach to the role SAM generates, by its logical id "<StateMachine>Role".
    _attached_policies(resources, f"{logical}Role", None, resolve, out)
    if "PermissionsBoundary" in props:
        boundary = _managed(props["PermissionsBoundary"], resources, resolve, out)
        out.boundaries = [boundary] if boundary else []
    return out


def _sam_connectors(logical: str, props: Mapping[str, Any], resources: Mapping[str, Any], resolve: Resolver,
                    out: PolicySet) -> None:
    """The statements SAM connectors whose source is this state machine add to its role
    (``iam/sam_connectors.py``); a connector that cannot be expanded statically is unresolved."""
    from asl_lint.iam import sam_connectors

    def mapping(value: Any) -> Mapping[str, Any]:  # a malformed template is ASL003's business, not a crash
        return value if isinstance(value, Mapping) else {}

    # Embedded connectors are a resource attribute, beside Properties (also accepted under them).
    resource = mapping(resources.get(logical))
    embedded = {**mapping(props.get("Connectors")), **mapping(resource.get("Connectors"))}
    found: list[tuple[str, Any]] = [(f"{logical}.{name}", mapping(c).get("Properties")) for name, c in embedded.items()]
    for name, res in resources.items():
        if mapping(res).get("Type") != "AWS::Serverless::Connector":
            continue
        connector = mapping(res.get("Properties"))
        source = mapping(connector.get("Source"))
        if source.get("Id") == logical or source == {"Ref": logical}:
            found.append((name, connector))
    for name, properties in found:
        expanded = sam_connectors.expand(properties, resources) if isinstance(properties, Mapping) else (
            "it has no Properties")
        if isinstance(expanded, str):
            out.unresolved.append(f"SAM connector {name} (not expanded statically: {expanded})")
            continue
        doc = _document(expanded, resolve, f"connector {name}", out)
        if doc:
            out.identity.append(doc)


def well_formed(template: Mapping[str, Any]) -> Mapping[str, Any]:
    """The template without the resources that are not objects (``Broken: just-a-string``): one
    malformed resource (ASL003's business) must not keep the role of every machine from being read."""
    resources = template.get("Resources")
    if not isinstance(resources, Mapping):
        return {**template, "Resources": {}}
    if all(isinstance(res, Mapping) for res in resources.values()):
        return template
    return {**template, "Resources": {k: v for k, v in resources.items() if isinstance(v, Mapping)}}


def policies_for_state_machine(
    template: Mapping[str, Any],
    logical_id: str,
    *,
    partition: str = "aws",
    region: str | None = None,
    account: str | None = None,
) -> PolicySet:
    """The execution role's policies of one state machine in a CloudFormation or SAM template."""
    template = well_formed(template)
    resources: Mapping[str, Any] = template.get("Resources") or {}
    res = resources.get(logical_id)
    if not isinstance(res, Mapping) or res.get("Type") not in _SM_TYPES:
        raise KeyError(f"{logical_id} is not a state machine of this template")
    resolve = template_resolver(template, partition=partition, region=region, account=account)
    props = res.get("Properties") or {}
    if res["Type"] == "AWS::Serverless::StateMachine" and "Role" not in props:
        out = _sam_policies(logical_id, props, template, resolve)
    else:
        role_value = props.get("Role" if res["Type"] == "AWS::Serverless::StateMachine" else "RoleArn")
        role = _role_logical_id(role_value, resources, resolve)
        if role is None or (resources.get(role) or {}).get("Type") != "AWS::IAM::Role":
            shown = resolve(role_value)
            shown = shown if isinstance(shown, str) else role_value
            return PolicySet(unresolved=[f"role {shown} (not in the template)"])
        out = _role_policies(template, role, resolve)
    _sam_connectors(logical_id, props, resources, resolve, out)
    return out


def state_machine_arn(
    template: Mapping[str, Any],
    logical_id: str,
    *,
    partition: str = "aws",
    region: str | None = None,
    account: str | None = None,
) -> str:
    """The state machine's own ARN as the template knows it (generated names stay symbolic)."""
    resolve = template_resolver(well_formed(template), partition=partition, region=region, account=account)
    arn = resolve({"Ref": logical_id})
    return arn if isinstance(arn, str) else "${" + logical_id + "}"


def substitutions_for_state_machine(
    template: Mapping[str, Any],
    logical_id: str,
    *,
    partition: str = "aws",
    region: str | None = None,
    account: str | None = None,
) -> dict[str, str]:
    """``DefinitionSubstitutions`` with their intrinsics resolved (``!GetAtt Conn.Arn`` -> the
    connection ARN pattern), ready for ``apply_substitutions(definition, subs)``."""
    res = (template.get("Resources") or {}).get(logical_id) or {}
    resolve = template_resolver(template, partition=partition, region=region, account=account)
    subs = resolve((res.get("Properties") or {}).get("DefinitionSubstitutions") or {})
    if not isinstance(subs, Mapping):
        return {}
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in subs.items()}


def definition_for_state_machine(
    template: Mapping[str, Any],
    logical_id: str,
    *,
    partition: str = "aws",
    region: str | None = None,
    account: str | None = None,
) -> dict[str, Any] | None:
    """The definition (``Definition`` or ``DefinitionString``) with intrinsics resolved and
    ``DefinitionSubstitutions`` applied, so ARNs in it compare with the role's policies."""
    res = (template.get("Resources") or {}).get(logical_id) or {}
    props = res.get("Properties") or {}
    resolve = template_resolver(template, partition=partition, region=region, account=account)
    definition: Any = resolve(props["Definition"]) if "Definition" in props else None
    if definition is None and "DefinitionString" in props:
        text = resolve(props["DefinitionString"])
        try:
            definition = json.loads(text) if isinstance(text, str) else None
        except json.JSONDecodeError:
            definition = None
    if not isinstance(definition, dict):
        return None
    subs = substitutions_for_state_machine(template, logical_id, partition=partition, region=region, account=account)
    return apply_substitutions(definition, subs)


# --- Terraform -------------------------------------------------------------------------------------


def _tf_resources(module: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    yield from module.get("resources") or []
    for child in module.get("child_modules") or []:
        yield from _tf_resources(child)


def _tf_config(module: Mapping[str, Any], prefix: str = "") -> dict[str, Mapping[str, Any]]:
    """address -> configuration expressions (root and module calls)."""
    out: dict[str, Mapping[str, Any]] = {}
    for res in module.get("resources") or []:
        out[prefix + str(res.get("address"))] = res.get("expressions") or {}
    for name, call in (module.get("module_calls") or {}).items():
        out.update(_tf_config(call.get("module") or {}, f"{prefix}module.{name}."))
    return out


def _tf_refs(expressions: Mapping[str, Any], key: str, prefix: str) -> list[str]:
    """Addresses an expression refers to (``aws_iam_role.sfn.arn`` -> ``aws_iam_role.sfn``)."""
    refs = (expressions.get(key) or {}).get("references") or []
    return [prefix + ".".join(str(r).split(".")[:2]) for r in refs if not str(r).startswith(("var.", "local."))]


def policies_from_terraform_plan(plan: Mapping[str, Any], address: str | None = None) -> PolicySet:
    """The role policies of an ``aws_sfn_state_machine`` in ``terraform show -json`` output."""
    resources = {
        str(r.get("address")): r for r in _tf_resources((plan.get("planned_values") or {}).get("root_module") or {})
    }
    config = _tf_config((plan.get("configuration") or {}).get("root_module") or {})
    machines = [a for a, r in resources.items() if r.get("type") == "aws_sfn_state_machine"]
    if address is None:
        if len(machines) != 1:
            raise KeyError(f"name the state machine: the plan has {len(machines)}")
        address = machines[0]
    machine = resources[address]
    prefix = address.rsplit("aws_sfn_state_machine.", 1)[0]
    role_addr = next(
        (a for a in _tf_refs(config.get(address, {}), "role_arn", prefix) if a.startswith(prefix + "aws_iam_role.")),
        None,
    )
    role_arn = (machine.get("values") or {}).get("role_arn")
    if role_addr is None and isinstance(role_arn, str):
        role_addr = next((a for a, r in resources.items() if _is_role(r, role_arn)), None)
    if role_addr is None or role_addr not in resources:
        return PolicySet(unresolved=[f"role {role_arn or '(computed)'} of {address} (not in the plan)"])
    return _tf_role_policies(resources, config, role_addr)


def definition_from_terraform_plan(plan: Mapping[str, Any], address: str | None = None) -> dict[str, Any] | None:
    """The ``definition`` JSON of an ``aws_sfn_state_machine`` in the plan (None when computed)."""
    resources = {
        str(r.get("address")): r for r in _tf_resources((plan.get("planned_values") or {}).get("root_module") or {})
    }
    machines = [a for a, r in resources.items() if r.get("type") == "aws_sfn_state_machine"]
    address = address or (machines[0] if len(machines) == 1 else None)
    text = ((resources.get(address or "") or {}).get("values") or {}).get("definition")
    try:
        definition = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return None
    return definition if isinstance(definition, dict) else None


def _is_role(res: Mapping[str, Any], arn: str) -> bool:
    values = res.get("values") or {}
    if res.get("type") != "aws_iam_role":
        return False
    return arn == values.get("arn") or (bool(values.get("name")) and arn.endswith(f":role/{values.get('name')}"))


def _tf_doc(text: Any, name: str, out: PolicySet) -> None:
    if not isinstance(text, str):
        out.unresolved.append(f"policy {name} (known only after apply)")
        return
    policy = out.parse(text, name)
    if policy is not None:
        out.identity.append(policy)


def _tf_role_policies(
    resources: Mapping[str, Mapping[str, Any]], config: Mapping[str, Mapping[str, Any]], role_addr: str
) -> PolicySet:
    role = resources[role_addr].get("values") or {}
    prefix = role_addr.rsplit("aws_iam_role.", 1)[0]
    out = PolicySet()
    for inline in role.get("inline_policy") or []:
        if inline.get("policy"):
            _tf_doc(inline.get("policy"), f"{role_addr}/{inline.get('name')}", out)
    policies_by_arn = {
        (r.get("values") or {}).get("arn"): a for a, r in resources.items() if r.get("type") == "aws_iam_policy"
    }

    def attached_policy(arn: Any, refs: list[str], label: str) -> None:
        target = next((a for a in refs if a.startswith(prefix + "aws_iam_policy.")), None) or policies_by_arn.get(arn)
        if target and target in resources:
            _tf_doc((resources[target].get("values") or {}).get("policy"), target, out)
        else:
            out.unresolved.append(f"managed policy {arn or '(computed)'} attached by {label}")

    for arn in role.get("managed_policy_arns") or []:
        attached_policy(arn, [], role_addr)
    for addr, res in resources.items():
        values = res.get("values") or {}
        refs = _tf_refs(config.get(addr, {}), "role", prefix)
        mine = role_addr in refs or (values.get("role") is not None and values.get("role") == role.get("name"))
        if not mine:
            continue
        if res.get("type") == "aws_iam_role_policy":
            _tf_doc(values.get("policy"), addr, out)
        elif res.get("type") == "aws_iam_role_policy_attachment":
            attached_policy(values.get("policy_arn"), _tf_refs(config.get(addr, {}), "policy_arn", prefix), addr)
    boundary = role.get("permissions_boundary")
    if boundary:
        target = policies_by_arn.get(boundary)
        out.boundaries = []
        if target:
            doc = PolicySet()
            _tf_doc((resources[target].get("values") or {}).get("policy"), target, doc)
            out.boundaries.extend(doc.identity)
            out.unresolved.extend(doc.unresolved)
        else:
            out.unresolved.append(f"permissions boundary {boundary} (not in the plan)")
    return out
