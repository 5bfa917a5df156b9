"""Serverless Framework projects (the ``serverless-step-functions`` plugin): ``serverless.yml``.

A file is of this layout when its top level has ``stepFunctions.stateMachines`` (a mapping) and
``service`` or ``provider`` (what the Framework requires). Each machine under
``stepFunctions.stateMachines``:

- ``definition`` written inline: linted where it is, positions in ``serverless.yml``; CloudFormation
  functions in it (``Fn::GetAtt: [hello, Arn]``, ``Ref``), which the plugin passes to
  CloudFormation, are unknown values.
- ``definition: ${file(path)}``: the file (relative to ``serverless.yml``) is linted with this
  machine's context; ``${file(path):key}`` (a part of a file) and other variables are not read (ASL007).
- Serverless variables (``${self:…}``, ``${opt:…}``, ``${sls:…}``, ``${env:…}``, ``${ssm:…}``, …) are
  filled in by the Framework before deploying: unknown values, never a finding.
- ``type: EXPRESS``; ``name`` names the machine in messages (else its key).
- ``role``: read like CloudFormation against the CloudFormation in ``resources.Resources``
  (``Fn::GetAtt: [Role, Arn]`` → that role's inline and attached policies); a role ARN given as a
  string is not in the project (ASL507). Without ``role`` the plugin generates the role from the
  definition's own Task resources (plus ``iamRoleStatements``): asl-lint does not model that
  generation, so the IAM coverage rules stay silent for such a machine.

Facts: https://github.com/serverless-operations/serverless-step-functions (README: Setup, IAM Role,
Express Workflow), https://www.serverless.com/framework/docs/providers/aws/guide/variables
"""

from __future__ import annotations

import os
from typing import Any

from asl_lint._lazy import lazy_compile
from asl_lint.source.nodes import SourceProblem
from asl_lint.source.pointer import escape
from asl_lint.source.text import LineIndex, Span
from asl_lint.sources.base import (
    Document,
    DocumentFormat,
    ExternalDefinition,
    LayoutName,
    LocatedDefinition,
    MachineContext,
    Site,
    SourceResult,
    external_path,
    is_definition,
)
from asl_lint.sources.cloudformation import did_you_mean, node_site
from asl_lint.sources.intrinsics import resolve_object
from asl_lint.sources.placeholders import find_placeholders
from asl_lint.sources.scalars import string_span_lookup

_FILE = lazy_compile(r"\A\$\{file\(\s*([^):]+?)\s*\)(:[^}]*)?\}\Z")


class ServerlessLayout:
    """``serverless.yml`` (or ``.yaml``/``.json``) with ``stepFunctions.stateMachines``."""

    name: LayoutName = "serverless"
    formats: frozenset[DocumentFormat] = frozenset({"json", "yaml"})
    markers: tuple[str, ...] = ("stepFunctions",)
    link_markers: tuple[str, ...] = ("${file(",)  # definition: ${file(path)}
    infrastructure = True

    def recognise(self, doc: Document) -> bool:
        value = doc.parsed.value if doc.parsed is not None else None
        if not isinstance(value, dict) or is_definition(value):
            return False
        functions = value.get("stepFunctions")
        machines = functions.get("stateMachines") if isinstance(functions, dict) else None
        return isinstance(machines, dict) and ("service" in value or "provider" in value)

    def read(self, doc: Document) -> SourceResult:
        assert doc.parsed is not None
        return _Reader(doc).read()


class _Reader:
    def __init__(self, doc: Document) -> None:
        assert doc.parsed is not None
        self.doc = doc
        self.parsed = doc.parsed
        self.value: dict[str, Any] = doc.parsed.value
        self.index = LineIndex(doc.text)
        resources = self.value.get("resources")
        cfn = resources.get("Resources") if isinstance(resources, dict) else None
        self.resources: dict[str, Any] = cfn if isinstance(cfn, dict) else {}

    def site(self, pointer: str, key: bool = False) -> Site:
        return node_site(self.parsed, self.doc.file, self.index, pointer, key)

    def read(self) -> SourceResult:
        result = SourceResult(layout="serverless", is_template=True)
        machines = self.value["stepFunctions"]["stateMachines"]
        for key, machine in machines.items():
            if not isinstance(machine, dict):
                continue
            pointer = f"/stepFunctions/stateMachines/{escape(str(key))}"
            context = self.context(str(key), machine, pointer)
            definition = machine.get("definition")
            where = pointer + "/definition"
            if isinstance(definition, dict):
                result.definitions.append(self.inline(definition, where, context))
            elif isinstance(definition, str) and (match := _FILE.match(definition.strip())) and not match.group(2):
                path = external_path(self.doc.file, match.group(1).strip("'\""))
                site = self.site(where)
                if os.path.isfile(path):
                    result.external.append(ExternalDefinition(path, context, site))
                else:
                    result.problems.append(SourceProblem(
                        "ASL001", f"The definition of {context.name} names {match.group(1)!r}, which is not a file "
                                  f"(looked for {path}){did_you_mean(path, self.doc.file)}",
                        Span(site.start, site.end), where))
            elif definition is not None:
                site = self.site(where)
                result.problems.append(SourceProblem(
                    "ASL007", f"The definition of {context.name} is computed by the Serverless Framework "
                              f"({_short(definition)}): asl-lint cannot check it", Span(site.start, site.end), where))
        return result

    def context(self, key: str, machine: dict[str, Any], pointer: str) -> MachineContext:
        name = machine.get("name")
        shown = name if isinstance(name, str) and "${" not in name else key
        declared = machine.get("type")
        machine_type: Any = declared.upper() if isinstance(declared, str) and declared.upper() in (
            "STANDARD", "EXPRESS") else None
        policies = None
        role_site = None
        if "role" in machine:
            policies = self.role_policies(machine["role"])
            role_site = self.site(pointer + "/role", key=True)
        arn = f"arn:aws:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:{shown}" if shown == name else None
        return MachineContext(
            layout="serverless",
            origin=self.doc.file,
            id=key,
            name=shown,
            machine_type=machine_type,
            substitutions_complete=False,  # every ${...} here is a Serverless variable
            substitution_source="Serverless variables",
            policies=policies,
            state_machine_arn=arn,
            site=self.site(pointer, key=True),
            role_site=role_site,
        )

    def role_policies(self, role: Any) -> Any:
        """The role of ``role:``, read from ``resources.Resources`` as CloudFormation would."""
        from asl_lint.iam.evaluate import PolicySet
        from asl_lint.iam.sources import policies_for_state_machine

        template = {"Resources": {**self.resources, "__Machine": {
            "Type": "AWS::StepFunctions::StateMachine", "Properties": {"RoleArn": role}}}}
        try:
            return policies_for_state_machine(template, "__Machine")
        except (KeyError, TypeError, AttributeError, ValueError):
            return PolicySet(unresolved=[f"role {_short(role)} (not readable statically)"])

    def inline(self, definition: dict[str, Any], pointer: str, context: MachineContext) -> LocatedDefinition:
        resolved = resolve_object(definition, {}, {})
        spans = self.parsed.spans

        def lookup(rel: str) -> Any:
            return spans.get(pointer + rel)

        return LocatedDefinition(
            definition=resolved,
            pointer=pointer,
            spans=lookup,
            string_span=string_span_lookup(self.doc.text, self.doc.format == "json", lookup, resolved, definition),
            kind="serverless",
            resource=context.id,
            placeholders=find_placeholders(resolved),
            size=len(_json(resolved)),
            context=context,
        )


def _json(value: Any) -> str:
    import json

    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return ""


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else _json(value)
    return text if len(text) <= 60 else text[:57] + "..."
