"""What a machine's own infrastructure code calls the resources its policy names.

``asl-lint iam policy`` derives each resource a workflow needs as symbolic text, the text the IAM
rules compare (``arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Worker.Name}``). In the
template or Terraform module that declares the machine, the same resource has a name a policy can
use: ``!GetAtt Worker.Arn``, ``aws_lambda_function.worker.arn``. :func:`references` gives, for one
loaded machine, the table from the one to the other:

- ``values``: the symbolic ARN (or queue URL) of each resource of the template or module, by
  ``Ref`` and by each attribute (asl_lint/iam/cfn_types.py, asl_lint/sources/terraform/resources.py)
  -> its expression (``Worker.Arn``: ``${Worker.Arn}`` in ``Fn::Sub``; ``aws_lambda_function.worker.arn``);
- ``names``: placeholders that stand for a part the code can name -> its expression: a generated
  name (``Worker.Name`` -> ``Worker``, which ``Ref`` gives for a function; in Terraform the name
  attribute); a Terraform variable or local (``var.region``) is written as it is;
- ``spelled``: placeholders the syntax writes as they are (CloudFormation's ``AWS::Region``,
  ``AWS::AccountId``, ``AWS::Partition``, ``AWS::URLSuffix``).

The machine itself is left out: its role naming it (``!Ref Machine``) would be a circular
dependency that CloudFormation rejects (a role's inline policy in Terraform likewise).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from asl_lint.sources.machines import LoadedMachine

# Symbolic values worth naming as a whole: ARNs and queue URLs (a bare name is left alone: the same
# text may be part of anything).
_WHOLE = ("arn:", "https://")
_TERRAFORM_NAME = re.compile(r"(?:var|local)\.[A-Za-z_][\w-]*")
PSEUDO = frozenset({"AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix"})


@dataclass(frozen=True)
class References:
    syntax: Literal["cloudformation", "terraform"]
    values: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    spelled: frozenset[str] = frozenset()

    def rewrite(self, symbolic: str) -> str:
        """``symbolic`` with what the code can name as ``${expression}`` placeholders: the ARN of a
        resource (alone, or followed by ``:``/``/`` and more: ``${Worker.Arn}:*``), then generated
        names and variables. Other placeholders are left as they are (unknown parts)."""
        for value in sorted(self.values, key=len, reverse=True):
            if symbolic == value or (symbolic.startswith(value) and symbolic[len(value)] in ":/"):
                symbolic = "${" + self.values[value] + "}" + symbolic[len(value):]
                break
        from asl_lint.sources.base import PLACEHOLDER

        return PLACEHOLDER.sub(lambda m: "${" + self.names.get(m.group(1), m.group(1)) + "}", symbolic)

    def writes(self, name: str) -> bool:
        """Whether a placeholder left by :meth:`rewrite` is something the code can write."""
        if name in self.spelled or name in self.values.values() or name in self.names.values():
            return True
        return self.syntax == "terraform" and _TERRAFORM_NAME.fullmatch(name) is not None


def references(machine: LoadedMachine) -> References | None:
    """The table for a machine of a CloudFormation/SAM/CDK template or a Terraform configuration;
    None for other machines (a definition file alone, ``serverless.yml``)."""
    context = machine.context
    if context is None:
        return None
    if context.layout in ("cloudformation", "sam", "cdk"):
        template = machine.located.template if machine.located.template is not None else _template(context.origin)
        return _cloudformation(template, context.id) if isinstance(template, dict) else None
    if context.layout == "terraform":
        return _terraform(context.origin, context.id)
    return None


# --- CloudFormation -------------------------------------------------------------------------------
def _template(path: str) -> Any:
    from asl_lint.sources.detect import detect_format, parse_text

    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    parsed = parse_text(text, detect_format(path, text))
    return None if parsed.fatal else parsed.value


def _cloudformation(template: dict[str, Any], machine_id: str) -> References:
    from asl_lint.iam.cfn import template_resolver
    from asl_lint.iam.cfn_types import TYPES

    resolve = template_resolver(template)
    resources = template.get("Resources") if isinstance(template.get("Resources"), dict) else {}
    out = References("cloudformation", spelled=PSEUDO)
    for logical, resource in (resources or {}).items():
        rtype = resource.get("Type") if isinstance(resource, dict) else None
        if logical == machine_id or rtype not in TYPES:
            continue
        _prop, ref_pattern, attributes = TYPES[rtype]
        candidates = [(logical, resolve({"Ref": logical}))]
        candidates += [(f"{logical}.{attr}", resolve({"Fn::GetAtt": [logical, attr]})) for attr in attributes]
        for expression, value in candidates:
            if isinstance(value, str) and value.startswith(_WHOLE):
                out.values.setdefault(value, expression)
        # A generated name (asl_lint/iam/cfn.py: "${Logical.Name}"): what Ref or an attribute gives.
        by_name = [attr for attr, pattern in attributes.items() if pattern == "{name}"]
        if ref_pattern == "{name}":
            out.names[f"{logical}.Name"] = logical
        elif by_name:
            out.names[f"{logical}.Name"] = f"{logical}.{by_name[0]}"
    return out


# --- Terraform ------------------------------------------------------------------------------------
def _terraform(origin: str, machine_id: str) -> References:
    from asl_lint.sources.terraform import evaluate, resources
    from asl_lint.sources.terraform.module import instances_of
    from asl_lint.sources.terraform.values import Str, Unknown

    address, _, root = machine_id.partition("@")
    out = References("terraform")
    for instance in instances_of(os.path.dirname(origin)):
        local = address[len(instance.prefix):] if address.startswith(instance.prefix) else None
        if local not in instance.module.resources or (root and (instance.root.module.dir or ".") != root):
            continue
        for resource_address in sorted(instance.module.resources):
            rtype, _, name = resource_address.partition(".")
            if resource_address == local or rtype not in resources.TYPES:
                continue
            name_argument, attributes = resources.TYPES[rtype]
            # "arn" first: where an id is the ARN too (a topic), the policy names the arn.
            for attr in sorted(attributes, key=lambda a: a != "arn"):
                value = evaluate.resource_attribute(instance, rtype, name, attr)
                symbolic = value.symbolic if isinstance(value, (Str, Unknown)) else None
                if isinstance(symbolic, str) and symbolic.startswith(_WHOLE):
                    out.values.setdefault(symbolic, f"{resource_address}.{attr}")
            if name_argument is not None:  # a name the configuration does not set: the attribute says it
                attribute = f"{resource_address}.{name_argument}"
                out.names[instance.prefix + attribute] = attribute
        out.names.update(_pseudo_data(instance.module.data))
        break
    return out


# The module's own data sources for the region and account it is applied in, by the attribute every
# AWS provider version has (``aws_region.name`` is deprecated from 6.0, ``region`` new in it).
_PSEUDO_DATA = {"aws_region": ("AWS::Region", "id"), "aws_caller_identity": ("AWS::AccountId", "account_id")}


def _pseudo_data(data: dict[str, Any]) -> dict[str, str]:
    """``AWS::Region``/``AWS::AccountId`` -> the module's ``data.aws_region.<name>.id`` /
    ``data.aws_caller_identity.<name>.account_id`` (``current`` first). Only a block with no
    arguments counts: ``name``/``region``, a ``provider`` alias, ``count`` or ``for_each`` may select
    another region or need an index. What the module does not declare stays ``*``."""
    found: dict[str, str] = {}
    for address in sorted(data, key=lambda a: (not a.endswith(".current"), a)):
        pseudo = _PSEUDO_DATA.get(address.partition(".")[0])
        body = data[address].body
        if pseudo is None or pseudo[0] in found or body.attributes or body.blocks:
            continue
        found[pseudo[0]] = f"data.{address}.{pseudo[1]}"
    return found
