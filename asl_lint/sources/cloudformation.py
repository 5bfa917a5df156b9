"""CloudFormation, SAM and CDK output: state machines in templates, with their machines' context.

One :class:`LocatedDefinition` per ``AWS::StepFunctions::StateMachine`` (kind ``cfn``) or
``AWS::Serverless::StateMachine`` (kind ``sam``) resource whose definition is in the template:

- ``Definition`` (an object): spans are the template's own. ``DefinitionSubstitutions`` with
  literal values are applied inside strings (a whole-string ``"${X}"`` takes the literal's type);
  intrinsic functions inside the definition (``!GetAtt Fn.Arn``) become unknown ``${…}`` values
  (``intrinsics``).
- ``DefinitionString`` (a string, ``Fn::Sub`` with or without a variable map, ``Fn::Join`` as CDK
  writes it): the text AWS would receive is rebuilt with an offset map into the template (see
  ``offsets``/``scalars``), parsed with our JSON parser, and every span is mapped back. Literal
  substitution values are filled in; everything else stays a ``${…}`` placeholder (an unknown
  value), quoted when it stands outside a JSON string so the text still parses.
- ``DefinitionUri`` as a local path (relative to the template's folder): an
  :class:`ExternalDefinition`. The engine lints that file with this machine's context, so its
  findings keep the file's own path and positions. ``DefinitionUri`` as an S3 location (an
  object or an ``s3://`` URI) and ``DefinitionS3Location``: ASL007 (info), the definition is not
  here; a local path that is not a file: ASL001 at the ``DefinitionUri`` value.
- A DefinitionString that is not JSON gives an ASL001 problem at the mapped place of the error
  (ASL002 duplicate keys likewise); a shape we cannot rebuild (``Fn::If`` …) is skipped.

Each machine's :class:`MachineContext`: ``DefinitionSubstitutions`` (literals; ``!Ref``/
``!GetAtt``/``!Sub`` of a template resource as references with the symbolic ARN the IAM layer
compares), the execution role's policies (``asl_lint.iam.sources``: SAM ``Policies``, policy
templates, ``Role``/``RoleArn`` to a template role with its inline, attached and managed policies,
connectors), ``Type``/``StateMachineType``, and a name: the logical id, or for CDK output the
construct path from the ``aws:cdk:path`` metadata.

Facts: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html,
https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.pointer import escape
from asl_lint.source.text import LineIndex, Span
from asl_lint.sources.base import (
    Document,
    DocumentFormat,
    ExternalDefinition,
    LayoutName,
    LocatedDefinition,
    MachineContext,
    ResourceRef,
    Site,
    SourceResult,
    Substitution,
    is_definition,
)
from asl_lint.sources.intrinsics import (
    intrinsic_name,
    resolve_object,
    text_literals,
    typed_literals,
    unknown_token,
)
from asl_lint.sources.offsets import MappedText
from asl_lint.sources.placeholders import find_placeholders
from asl_lint.sources.scalars import map_scalar, mapped_lookups, remap_positions, string_span_lookup
from asl_lint.sources.substitute import quote_bare_placeholders, substitute

Kind = Literal["cfn", "sam"]
KINDS: dict[str, Kind] = {"AWS::StepFunctions::StateMachine": "cfn", "AWS::Serverless::StateMachine": "sam"}


class _Unsupported(Exception):
    """A DefinitionString shape we cannot rebuild (say ``Fn::If`` at the top): skipped."""


def is_template(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("Resources"), dict)


class CloudFormationLayout:
    """Templates (CloudFormation, SAM, CDK output), recognised by a ``Resources`` mapping."""

    name: LayoutName = "cloudformation"
    formats: frozenset[DocumentFormat] = frozenset({"json", "yaml"})
    markers: tuple[str, ...] = tuple(KINDS)
    link_markers: tuple[str, ...] = ("DefinitionUri",)  # the only key naming a local file
    infrastructure = True

    def recognise(self, doc: Document) -> bool:
        value = doc.parsed.value if doc.parsed is not None else None
        return is_template(value) and not is_definition(value)

    def read(self, doc: Document) -> SourceResult:
        assert doc.parsed is not None
        return read_template(doc.parsed, doc.file, doc.text)


def read_template(parsed: ParseResult, file: str, text: str) -> SourceResult:
    """Every state machine of a parsed template: located inline definitions, external files."""
    result = SourceResult(layout="cloudformation", is_template=True)
    template = parsed.value
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return result
    reader = _Reader(parsed, text, _is_json(file, text), file, template)
    for logical_id, resource in resources.items():
        rtype = resource.get("Type") if isinstance(resource, dict) else None
        kind = KINDS.get(rtype) if isinstance(rtype, str) else None
        if kind is None:
            continue
        props = resource.get("Properties")
        if not isinstance(props, dict):
            continue
        logical = str(logical_id)
        base = f"/Resources/{escape(logical)}/Properties"
        context = reader.context(logical, kind, props)
        try:
            located = reader.locate(logical, kind, props, base, result.problems)
        except (_Unsupported, RecursionError):
            continue
        if located is not None:
            located.template = template
            named = reader.template_names(located)
            located.context = replace(context, substitutions={**named, **context.substitutions})
            result.definitions.append(located)
            continue
        reader.external(logical, kind, props, base, context, result)
    return result


def did_you_mean(path: str, infra_file: str) -> str:
    from asl_lint.sources.project import suggest_path

    found = suggest_path(path)
    if found is None:
        return ""
    return f"; did you mean {os.path.relpath(found, os.path.dirname(infra_file) or '.')!r}?"


def kind_layout(kind: Kind) -> Literal["cloudformation", "sam"]:
    return "sam" if kind == "sam" else "cloudformation"


def node_site(parsed: ParseResult, file: str, index: LineIndex, pointer: str, key: bool = False) -> Site:
    """The place of a node of a parsed file (its key with ``key``, when it has one)."""
    node = parsed.spans.get(pointer)
    span = Span(0, 0) if node is None else (node.key if key and node.key is not None else node.value)
    return Site.at(file, index, span, pointer)


def site_span(site: Site) -> Span:
    return Span(site.start, site.end)


def _cdk_path(resource: Mapping[str, Any]) -> str | None:
    """The construct path CDK records in the resource's metadata, without the trailing ``/Resource``."""
    metadata = resource.get("Metadata")
    path = metadata.get("aws:cdk:path") if isinstance(metadata, dict) else None
    if not isinstance(path, str) or not path:
        return None
    return path[: -len("/Resource")] if path.endswith("/Resource") else path


def _at(document: Any, pointer: str) -> Any:
    from asl_lint.source.pointer import resolve

    try:
        return resolve(document, pointer)
    except KeyError:
        return None


def _sub_variables(node: Any) -> dict[str, Any]:
    """The variable maps of every ``Fn::Sub [body, {name: value}]`` in a template value."""
    found: dict[str, Any] = {}
    stack = [node]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            arg = value.get("Fn::Sub") if len(value) == 1 else None
            if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
                found.update((str(k), v) for k, v in arg[1].items())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def _ref_to(target: str, attribute: str | None, resources: Mapping[str, Any]) -> ResourceRef | None:
    resource = resources.get(target)
    if not isinstance(resource, dict):
        return None
    rtype = resource.get("Type")
    return ResourceRef(rtype if isinstance(rtype, str) else "", target, attribute)


def _reference(value: Any, resources: Mapping[str, Any]) -> ResourceRef | None:
    """The template resource a substitution value names: ``!Ref R``, ``!GetAtt R.Attr``, ``!Sub '${R.Attr}'``."""
    name = intrinsic_name(value)
    arg = value.get(name) if isinstance(value, dict) and name else None
    if name == "Ref" and isinstance(arg, str):
        return _ref_to(arg, None, resources)
    if name == "Fn::GetAtt":
        parts = arg.split(".", 1) if isinstance(arg, str) else arg
        if isinstance(parts, list) and len(parts) == 2 and all(isinstance(p, str) for p in parts):
            return _ref_to(parts[0], parts[1], resources)
    if name == "Fn::Sub":
        body = arg[0] if isinstance(arg, list) and arg else arg
        if isinstance(body, str):
            for match in re.finditer(r"\$\{([^}!][^}]*)\}", body):
                target, _, attribute = match.group(1).partition(".")
                found = _ref_to(target, attribute or None, resources)
                if found is not None:
                    return found
    return None


def _is_json(path: str, text: str) -> bool:
    from asl_lint.sources.detect import detect_format

    return detect_format(path, text) == "json"


class _Reader:
    def __init__(self, parsed: ParseResult, text: str, json_file: bool, file: str = "", template: Any = None) -> None:
        self.parsed = parsed
        self.text = text
        self.json_file = json_file
        self.file = file
        self.template = template if isinstance(template, dict) else {}
        self._index: LineIndex | None = None
        self._resolve: Any = None

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def span(self, pointer: str) -> Span:
        node = self.parsed.spans.get(pointer)
        return node.value if node is not None else Span(0, 0)

    def site(self, pointer: str, key: bool = False) -> Site:
        return node_site(self.parsed, self.file, self.index, pointer, key)

    def resolver(self) -> Any:
        if self._resolve is None:
            from asl_lint.iam.cfn import template_resolver

            self._resolve = template_resolver(self.template)
        return self._resolve

    # --- the machine's context -----------------------------------------------------------------
    def context(self, logical_id: str, kind: Kind, props: dict[str, Any]) -> MachineContext:
        from asl_lint.iam.sources import policies_for_state_machine, state_machine_arn

        resource_pointer = f"/Resources/{escape(logical_id)}"
        base = resource_pointer + "/Properties"
        resource = self.template["Resources"][logical_id]
        cdk_path = _cdk_path(resource)
        declared = props.get("Type" if kind == "sam" else "StateMachineType")
        machine_type: Any = declared.upper() if isinstance(declared, str) and declared.upper() in (
            "STANDARD", "EXPRESS") else None
        role_key = next((k for k in ("RoleArn", "Role", "Policies") if k in props), None)
        try:
            policies = policies_for_state_machine(self.template, logical_id)
            arn = state_machine_arn(self.template, logical_id)
        except (KeyError, TypeError, AttributeError, ValueError):  # a template too broken to read a role from
            from asl_lint.iam.evaluate import PolicySet

            # Said (ASL507), never silently skipped: the IAM findings are unknown, not absent.
            policies = PolicySet(unresolved=["the execution role (the template is too malformed to read it)"])
            arn = None
        return MachineContext(
            layout="cdk" if cdk_path else kind_layout(kind),
            origin=self.file,
            id=logical_id,
            name=cdk_path or logical_id,
            machine_type=machine_type,
            substitutions=self.substitutions(props.get("DefinitionSubstitutions"), base + "/DefinitionSubstitutions"),
            substitutions_complete=True,
            substitution_source=f"the DefinitionSubstitutions of {logical_id}",
            policies=policies,
            state_machine_arn=arn,
            site=self.site(resource_pointer, key=True),
            role_site=self.site(f"{base}/{role_key}" if role_key else resource_pointer, key=True),
            named_in_messages=bool(cdk_path),
        )

    def substitutions(self, mapping: Any, pointer: str) -> dict[str, Substitution]:
        if not isinstance(mapping, dict):
            return {}
        resources = self.template.get("Resources") or {}
        out: dict[str, Substitution] = {}
        for key, value in mapping.items():
            name = str(key)
            site = self.site(f"{pointer}/{escape(name)}")
            if isinstance(value, (str, int, float, bool)):
                out[name] = Substitution(name, "literal", value=value, site=site)
                continue
            resolved = self.resolver()(value)
            symbolic = resolved if isinstance(resolved, str) else None
            ref = _reference(value, resources)
            out[name] = Substitution(name, "reference" if ref else "unknown", ref=ref, symbolic=symbolic, site=site)
        return out

    def template_names(self, located: LocatedDefinition) -> dict[str, Substitution]:
        """Placeholders a template gives a value at deploy time: CloudFormation functions written in
        the definition (``${GetAtt:Fn.Arn}``), and names of its resources and parameters (what
        ``Fn::Sub`` resolves, in a ``DefinitionString`` or in a value of a ``Definition``)."""
        resources = self.template.get("Resources") or {}
        parameters = self.template.get("Parameters") or {}
        variables = _sub_variables(_at(self.template, located.pointer))
        out: dict[str, Substitution] = {}
        for placeholder in located.placeholders:
            name = placeholder.name
            if name in variables:
                value = variables[name]
                resolved = self.resolver()(value)
                out[name] = Substitution(name, "reference" if _reference(value, resources) else "unknown",
                                         ref=_reference(value, resources),
                                         symbolic=resolved if isinstance(resolved, str) else None)
            elif name.startswith(("Ref:", "GetAtt:")):
                target, _, attribute = name.split(":", 1)[1].partition(".")
                out[name] = Substitution(name, "reference", ref=_ref_to(target, attribute or None, resources))
            elif name.startswith("Fn::") or name == "Value":
                out[name] = Substitution(name, "unknown")
            else:  # a name Fn::Sub resolves: a resource (attribute) or a parameter
                target, _, attribute = name.partition(".")
                if target in resources:
                    out[name] = Substitution(name, "reference", ref=_ref_to(target, attribute or None, resources))
                elif target in parameters and not attribute:
                    out[name] = Substitution(name, "unknown")
        return out

    def external(self, logical_id: str, kind: Kind, props: dict[str, Any], base: str, context: MachineContext,
                 result: SourceResult) -> None:
        """DefinitionUri / DefinitionS3Location: a local file to lint with this context, ASL001 or ASL007."""
        key = next((k for k in ("DefinitionUri", "DefinitionS3Location") if k in props), None)
        if key is None:
            return
        value = props[key]
        pointer = f"{base}/{key}"
        site = self.site(pointer)
        if isinstance(value, str) and not value.lower().startswith("s3://") and key == "DefinitionUri":
            from asl_lint.sources.base import external_path

            path = external_path(self.file, value)
            if os.path.isfile(path):
                result.external.append(ExternalDefinition(path, context, site))
            else:
                result.problems.append(SourceProblem(
                    "ASL001", f"DefinitionUri of {logical_id} names {value!r}, which is not a file "
                              f"(looked for {path}): `sam build` fails on it{did_you_mean(path, self.file)}",
                    site_span(site), pointer))
            return
        if intrinsic_name(value) is not None:
            where = "computed at deploy time"
        elif isinstance(value, dict) or (isinstance(value, str) and value.lower().startswith("s3://")):
            where = "in S3"
        else:
            return  # not a definition location at all: the template's own problem
        result.problems.append(SourceProblem(
            "ASL007", f"The definition of {logical_id} is {where} ({key}), not in this project: asl-lint cannot "
                      "check it; keep it in a local file (DefinitionUri: path/to/file.asl.json) to have it linted",
            site_span(site), pointer))

    def locate(self, logical_id: str, kind: Kind, props: dict[str, Any], base: str,
               problems: list[SourceProblem]) -> LocatedDefinition | None:
        raw_subs = props.get("DefinitionSubstitutions")
        subs = text_literals(raw_subs)
        typed = typed_literals(raw_subs)
        definition = props.get("Definition")
        if isinstance(definition, dict) and intrinsic_name(definition) is None:
            return self._object(logical_id, kind, definition, base + "/Definition", subs, typed)
        if "DefinitionString" in props:
            return self._string(logical_id, kind, props["DefinitionString"], base + "/DefinitionString", subs,
                                typed, problems)
        return None  # DefinitionUri, DefinitionS3Location, or nothing usable

    # --- Definition: an object in the template ----------------------------------------------
    def _object(self, logical_id: str, kind: Kind, definition: dict[str, Any], pointer: str,
                subs: dict[str, str], typed: dict[str, Any]) -> LocatedDefinition:
        resolved = resolve_object(definition, subs, typed)
        spans = self.parsed.spans
        try:
            size = len(json.dumps(resolved, separators=(",", ":"), ensure_ascii=False))
        except (TypeError, ValueError):
            size = 0
        def lookup(rel: str) -> NodeSpan | None:
            return spans.get(pointer + rel)

        return LocatedDefinition(
            definition=resolved,
            pointer=pointer,
            spans=lookup,
            # Only strings the template holds as they are (not substituted) map character by character.
            string_span=string_span_lookup(self.text, self.json_file, lookup, resolved, definition),
            kind=kind,
            resource=logical_id,
            substitutions=dict(typed),
            placeholders=find_placeholders(resolved),
            size=size,
        )

    # --- DefinitionString: JSON text inside the template --------------------------------------
    def _string(self, logical_id: str, kind: Kind, value: Any, pointer: str, subs: dict[str, str],
                typed: dict[str, Any], problems: list[SourceProblem]) -> LocatedDefinition | None:
        from asl_lint.source.json_parser import parse_json

        known: dict[str, Any] = {}  # literal values used, for LocatedDefinition.substitutions
        mapped = self._render(value, pointer, known, 0)
        known.update(typed)
        mapped = substitute(mapped, subs.get, fn_sub=False)
        mapped = quote_bare_placeholders(mapped)
        inner = parse_json(mapped.text)
        for problem in inner.problems:
            span = mapped.map_span(problem.span)
            message = self._remap_message(problem.message, mapped)
            if problem.code == "ASL001":
                message = f"DefinitionString of {logical_id} is not valid JSON: {message}"
            problems.append(SourceProblem(problem.code, message, span, pointer + problem.pointer))
        if inner.fatal:
            return None
        spans, string_span = mapped_lookups(mapped, inner.spans.get, inner.value)

        return LocatedDefinition(
            definition=inner.value,
            pointer=pointer,
            spans=spans,
            string_span=string_span,
            kind=kind,
            resource=logical_id,
            substitutions=dict(known),
            placeholders=find_placeholders(inner.value),
            size=len(mapped),
            embedded_string=True,
        )

    def _render(self, value: Any, pointer: str, known: dict[str, Any], depth: int) -> MappedText:
        """The text of a DefinitionString (or a part of one), mapped into the template."""
        if depth > 20:
            raise _Unsupported
        if isinstance(value, str):
            return map_scalar(self.text, self.span(pointer), value, self.json_file)
        name = intrinsic_name(value)
        if name == "Fn::Sub":
            return self._sub(value[name], f"{pointer}/{escape(name)}", known, depth)
        if name == "Fn::Join":
            return self._join(value[name], f"{pointer}/{escape(name)}", known, depth)
        raise _Unsupported

    def _sub(self, arg: Any, pointer: str, known: dict[str, Any], depth: int) -> MappedText:
        variables: Any = {}
        if isinstance(arg, list) and arg and isinstance(arg[0], str):
            body, variables = arg[0], arg[1] if len(arg) > 1 else {}
            mapped = self._render(body, pointer + "/0", known, depth + 1)
        elif isinstance(arg, str):
            mapped = self._render(arg, pointer, known, depth + 1)
        else:
            raise _Unsupported
        sub_known = text_literals(variables)
        known.update(typed_literals(variables))
        return substitute(mapped, sub_known.get, fn_sub=True)

    def _join(self, arg: Any, pointer: str, known: dict[str, Any], depth: int) -> MappedText:
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)
                and isinstance(arg[1], list)):
            raise _Unsupported
        separator, parts = arg
        out = MappedText()
        for index, part in enumerate(parts):
            part_pointer = f"{pointer}/1/{index}"
            if index and separator:
                sep = self.span(pointer + "/0")
                out.add_opaque(separator, sep.start, sep.end)
            if isinstance(part, str) or intrinsic_name(part) in ("Fn::Sub", "Fn::Join"):
                try:
                    out.extend(self._render(part, part_pointer, known, depth + 1))
                    continue
                except _Unsupported:
                    pass
            span = self.span(part_pointer)
            out.add_opaque(unknown_token(part), span.start, span.end)
        return out

    def _remap_message(self, message: str, mapped: MappedText) -> str:
        if self._index is None:
            self._index = LineIndex(self.text)
        return remap_positions(message, mapped, self._index)
