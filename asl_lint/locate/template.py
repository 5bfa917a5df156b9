"""State machines inside CloudFormation and SAM templates, with positions in the template file.

One :class:`LocatedDefinition` per ``AWS::StepFunctions::StateMachine`` (kind ``cfn``) or
``AWS::Serverless::StateMachine`` (kind ``sam``) resource:

- ``Definition`` (an object): spans are the template's own. ``DefinitionSubstitutions`` with
  literal values are applied inside strings (a whole-string ``"${X}"`` takes the literal's type);
  intrinsic functions inside the definition (``!GetAtt Fn.Arn``) become unknown ``${…}`` values
  (``intrinsics``).
- ``DefinitionString`` (a string, ``Fn::Sub`` with or without a variable map, ``Fn::Join`` as CDK
  writes it): the text AWS would receive is rebuilt with an offset map into the template (see
  ``offsets``/``scalars``), parsed with our JSON parser, and every span is mapped back. Literal
  substitution values are filled in; everything else stays a ``${…}`` placeholder (an unknown
  value), quoted when it stands outside a JSON string so the text still parses.
- ``DefinitionUri`` / ``DefinitionS3Location``: nothing is located here. A local file is linted
  as a file of its own (``*.asl.*`` or found by a directory walk), so its findings carry its own
  path and positions; linting it again from the template would duplicate them under the wrong
  file. (The cost: its DefinitionSubstitutions are not applied, so its ``${X}`` stay unknown.)
- A DefinitionString that is not JSON gives an ASL001 problem at the mapped place of the error
  (ASL002 duplicate keys likewise); a shape we cannot rebuild (``Fn::If`` …) is skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from asl_lint.locate.base import LocatedDefinition, LocateResult, find_placeholders
from asl_lint.locate.intrinsics import (
    intrinsic_name,
    resolve_object,
    text_literals,
    typed_literals,
    unknown_token,
)
from asl_lint.locate.offsets import MappedText
from asl_lint.locate.scalars import map_scalar, string_span_lookup
from asl_lint.locate.substitute import quote_bare_placeholders, substitute
from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.pointer import escape
from asl_lint.source.text import LineIndex, Span

Kind = Literal["cfn", "sam"]
KINDS: dict[str, Kind] = {"AWS::StepFunctions::StateMachine": "cfn", "AWS::Serverless::StateMachine": "sam"}
_WHERE = re.compile(r"line (\d+), column (\d+)")


class _Unsupported(Exception):
    """A DefinitionString shape we cannot rebuild (say ``Fn::If`` at the top): skipped."""


def locate_in_template(parsed: ParseResult, path: Path, text: str) -> LocateResult:
    result = LocateResult(is_template=True)
    template = parsed.value
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return result
    reader = _Reader(parsed, text, _is_json(path, text))
    for logical_id, resource in resources.items():
        rtype = resource.get("Type") if isinstance(resource, dict) else None
        kind = KINDS.get(rtype) if isinstance(rtype, str) else None
        if kind is None:
            continue
        props = resource.get("Properties")
        if not isinstance(props, dict):
            continue
        base = f"/Resources/{escape(str(logical_id))}/Properties"
        try:
            located = reader.locate(str(logical_id), kind, props, base, result.problems)
        except (_Unsupported, RecursionError):
            continue
        if located is not None:
            located.template = template
            result.definitions.append(located)
    return result


def _is_json(path: Path, text: str) -> bool:
    from asl_lint.engine.runner import detect_format

    return detect_format(str(path), text) == "json"


class _Reader:
    def __init__(self, parsed: ParseResult, text: str, json_file: bool) -> None:
        self.parsed = parsed
        self.text = text
        self.json_file = json_file
        self._index: LineIndex | None = None

    def span(self, pointer: str) -> Span:
        node = self.parsed.spans.get(pointer)
        return node.value if node is not None else Span(0, 0)

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
        inner_spans = inner.spans

        def spans(rel: str) -> NodeSpan | None:
            node = inner_spans.get(rel)
            if node is None:
                return None
            key = mapped.map_span(node.key) if node.key is not None else None
            return NodeSpan(mapped.map_span(node.value), key)

        inner_string_span = string_span_lookup(mapped.text, True, inner_spans.get, inner.value)

        def string_span(rel: str, a: int, b: int) -> Span | None:
            # Through the inner JSON literal's escapes, then through the template's own.
            span = inner_string_span(rel, a, b)
            return None if span is None else mapped.map_span(span)

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
        """Parser messages name places in the inner text ("line 3, column 5"): name the file's."""
        if "line " not in message:
            return message
        inner_index = LineIndex(mapped.text)
        if self._index is None:
            self._index = LineIndex(self.text)
        index = self._index

        def replace(match: re.Match[str]) -> str:
            offset = inner_index.offset(int(match.group(1)), int(match.group(2)))
            line, column = index.position(mapped.map_start(offset))
            return f"line {line}, column {column}"

        return _WHERE.sub(replace, message)
