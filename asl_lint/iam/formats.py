"""``asl-lint iam policy --format``: the least-privilege policy as a plain IAM document, or ready to
paste into the template or Terraform module that declares the machine.

- ``json``: an IAM policy document; what is not known statically is ``*`` (``function:*`` for a
  function whose name the template generates).
- ``cloudformation``: the same document where every resource the template declares is named the
  way the template names it: ``{"Fn::GetAtt": ["Worker", "Arn"]}``, ``{"Ref": "Topic"}``,
  ``{"Fn::Sub": "${Worker.Arn}:*"}``, with ``${AWS::Partition}``, ``${AWS::Region}`` and
  ``${AWS::AccountId}`` in the ARNs it builds. JSON is YAML too: it pastes under ``PolicyDocument:``
  or as a SAM ``Policies:`` item.
- ``terraform``: a ``jsonencode({...})`` expression for an ``aws_iam_role_policy``'s ``policy``,
  naming resources of the machine's module by their attributes (``aws_lambda_function.worker.arn``,
  ``"${aws_lambda_function.worker.arn}:*"``) and variables as ``var.x``; the region and account are
  the module's ``data "aws_region"`` (``.id``) and ``data "aws_caller_identity"`` (``.account_id``)
  when it declares them, else ``*``.

What neither the template nor the module can name (a resource of another stack, a value computed
at run time) is ``*`` in every format. The state machine's own ARN is never written as a reference
to the machine (a circular dependency): its known name is spelled out, a generated one is ``*``.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from asl_lint.sources.base import PLACEHOLDER

if TYPE_CHECKING:
    from asl_lint.sources.machines import LoadedMachine

Format = Literal["json", "cloudformation", "terraform"]


def machine_policy(machine: LoadedMachine, fmt: Format = "json", state_machine_arn: str | None = None) -> Any:
    """The policy document one machine needs, in ``fmt`` (a JSON value; for ``terraform``, HCL text).

    Raises ValueError when the machine is declared in code of another syntax (Terraform for
    ``cloudformation``, a template for ``terraform``)."""
    from asl_lint.iam.generate import least_privilege_policy
    from asl_lint.iam.requirements import machine_requirements

    resolved = machine.resolved()
    if not isinstance(resolved, dict):
        raise ValueError(f"{machine.file}: the definition of {machine.name} is not an object")
    arn = state_machine_arn or machine.state_machine_arn
    requirements = [req for _, _, req in machine_requirements(resolved, state_machine_arn=arn)]
    if fmt == "json":
        return least_privilege_policy(requirements)
    from asl_lint.sources.references import PSEUDO, References, references

    layout = machine.context.layout if machine.context is not None else None
    syntax = None if layout is None else "terraform" if layout == "terraform" else "cloudformation"
    if syntax is not None and syntax != fmt:
        raise ValueError(f"--format {fmt}: {machine.name} ({machine.file}) is declared in {_layout_name(layout)}: "
                         f"use --format {syntax}")
    # A definition file with no machine around it (or a serverless.yml, whose resources asl-lint does
    # not name) has nothing to refer to: only what the syntax writes itself (AWS::Region ...).
    table = references(machine) or References(fmt, spelled=PSEUDO if fmt == "cloudformation" else frozenset())
    rewritten = [replace(req, resource=table.rewrite(req.resource)) if req.resource is not None else req
                 for req in requirements]
    document = least_privilege_policy(rewritten, keep=table.writes)
    return _cloudformation(document) if fmt == "cloudformation" else "jsonencode(" + _hcl(document, "") + ")"


def _layout_name(layout: str | None) -> str:
    return {"cloudformation": "a CloudFormation template", "sam": "a SAM template", "cdk": "a CDK template",
            "serverless": "serverless.yml", "terraform": "Terraform"}.get(layout or "", "no template")


# --- CloudFormation ---------------------------------------------------------------------------------
_REFERENCE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}")


def _cloudformation(value: Any) -> Any:
    """Strings with placeholders become intrinsic functions (``Ref``, ``Fn::GetAtt``, ``Fn::Sub``)."""
    if isinstance(value, dict):
        return {key: _cloudformation(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cloudformation(item) for item in value]
    if not isinstance(value, str) or PLACEHOLDER.search(value) is None:
        return value
    whole = _REFERENCE.fullmatch(value)
    if whole is not None and "::" not in value:
        logical, attribute = whole.groups()
        return {"Ref": logical} if attribute is None else {"Fn::GetAtt": [logical, attribute]}
    if value.startswith("arn:aws:"):  # the partition is taken to be aws: the template says which it is
        value = "arn:${AWS::Partition}:" + value[len("arn:aws:"):]
    return {"Fn::Sub": value}


# --- Terraform --------------------------------------------------------------------------------------
_IDENTIFIER = re.compile(r"[A-Za-z_][\w-]*")


def _hcl(value: Any, indent: str) -> str:
    """A JSON value written as an HCL expression (objects, tuples, strings with interpolations)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = [key if _IDENTIFIER.fullmatch(key) else json.dumps(key) for key in value]
        lines = [(key, _hcl(item, inner)) for key, item in zip(keys, value.values(), strict=True)]
        return "{\n" + "".join(f"{inner}{line}\n" for line in _aligned(lines)) + indent + "}"
    if isinstance(value, list):
        items = [_hcl(item, inner) for item in value]
        if all("\n" not in item for item in items) and sum(len(item) + 2 for item in items) + len(indent) < 90:
            return "[" + ", ".join(items) + "]"
        return "[\n" + "".join(f"{inner}{item},\n" for item in items) + indent + "]"
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole is not None and _TRAVERSAL.fullmatch(whole.group(1)):
            return whole.group(1)  # a reference: written bare
        return _string(value)
    return json.dumps(value)


# What the references table writes: a resource attribute, a variable, a local.
_TRAVERSAL = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+")


def _string(text: str) -> str:
    """A quoted HCL string: references are interpolations; any other ``${``/``%{`` (an IAM policy
    variable such as ``${aws:username}``) is escaped, so Terraform leaves it to IAM."""
    out, pos = [], 0
    for match in PLACEHOLDER.finditer(text):
        if _TRAVERSAL.fullmatch(match.group(1)):
            out.append(_literal(text[pos:match.start()]))
            out.append(match.group(0))
            pos = match.end()
    out.append(_literal(text[pos:]))
    return '"' + "".join(out) + '"'


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("${", "$${").replace("%{", "%%{")


def _aligned(lines: list[tuple[str, str]]) -> list[str]:
    """``key = value`` lines, the ``=`` of neighbouring one-line attributes aligned as ``terraform fmt`` does."""
    out: list[str] = []
    group: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(key) for key, _ in group), default=0)
        out.extend(f"{key.ljust(width)} = {text}" for key, text in group)
        group.clear()

    for key, text in lines:
        if "\n" in text:
            flush()
            out.append(f"{key} = {text}")
        else:
            group.append((key, text))
    flush()
    return out

