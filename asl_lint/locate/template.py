"""State machines inside CloudFormation and SAM templates, with positions in the template file.

One :class:`LocatedDefinition` per ``AWS::StepFunctions::StateMachine`` (kind ``cfn``) or
``AWS::Serverless::StateMachine`` (kind ``sam``) resource:

- ``Definition`` (an object): spans are the template's own. ``DefinitionSubstitutions`` with
  literal values are applied inside strings (a whole-string ``"${X}"`` takes the literal's type);
  intrinsic functions inside the definition (``!GetAtt Fn.Arn``) become unknown ``${…}`` values.
- ``DefinitionString`` (a string, ``Fn::Sub`` with or without a variable map, ``Fn::Join`` as CDK
  writes it): the text AWS would receive is rebuilt with an offset map into the template (see
  ``offsets``/``scalars``), parsed with our JSON parser, and every span is mapped back. Literal
  substitution values are filled in; everything else stays a ``${…}`` placeholder (an unknown
  value), quoted when it stands outside a JSON string so the text still parses.
- ``DefinitionUri`` / ``DefinitionS3Location``: nothing is located here. A local file is linted
  as a file of its own (``*.asl.*`` or found by a directory walk), so its findings carry its own
  path and positions; linting it again from the template would duplicate them under the wrong
  file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asl_lint.locate.base import LocatedDefinition, LocateResult, find_placeholders
from asl_lint.locate.offsets import MappedText
from asl_lint.locate.scalars import map_scalar
from asl_lint.locate.substitute import literal, quote_bare_placeholders, substitute
from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.pointer import escape, resolve
from asl_lint.source.text import LineIndex, Span

KINDS = {"AWS::StepFunctions::StateMachine": "cfn", "AWS::Serverless::StateMachine": "sam"}
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_WHOLE_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}\Z")
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


def _intrinsic(value: Any) -> str | None:
    """The function name when ``value`` is a CloudFormation intrinsic ({"Ref": …}, {"Fn::X": …})."""
    if isinstance(value, dict) and len(value) == 1:
        (name,) = value
        if name == "Ref" or (isinstance(name, str) and name.startswith("Fn::")):
            return str(name)
    return None


def unknown_token(value: Any) -> str:
    """A readable unknown placeholder for an intrinsic: ``${Ref:Bucket}``, ``${GetAtt:Fn.Arn}``."""
    name = _intrinsic(value) or "Value"
    arg = value.get(name) if isinstance(value, dict) else None
    if name == "Ref" and isinstance(arg, str):
        return "${Ref:" + arg + "}"
    if name == "Fn::GetAtt":
        if isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            return "${GetAtt:" + ".".join(arg) + "}"
        if isinstance(arg, str):
            return "${GetAtt:" + arg + "}"
    return "${" + name + "}"


def _typed(mapping: Any) -> dict[str, Any]:
    """The literal entries of a substitution map with their own types (names → values)."""
    if not isinstance(mapping, dict):
        return {}
    return {str(key): value for key, value in mapping.items() if literal(value) is not None}


def _known(mapping: Any) -> dict[str, str]:
    """The literal entries of a substitution map (names → text)."""
    if not isinstance(mapping, dict):
        return {}
    known: dict[str, str] = {}
    for key, value in mapping.items():
        text = literal(value)
        if text is not None:
            known[str(key)] = text
    return known


class _Reader:
    def __init__(self, parsed: ParseResult, text: str, json_file: bool) -> None:
        self.parsed = parsed
        self.text = text
        self.json_file = json_file
        self._index: LineIndex | None = None

    def span(self, pointer: str) -> Span:
        node = self.parsed.spans.get(pointer)
        return node.value if node is not None else Span(0, 0)

    def locate(self, logical_id: str, kind: str, props: dict[str, Any], base: str,
               problems: list[SourceProblem]) -> LocatedDefinition | None:
        raw_subs = props.get("DefinitionSubstitutions")
        subs = _known(raw_subs)
        typed = _typed(raw_subs)
        definition = props.get("Definition")
        if isinstance(definition, dict) and _intrinsic(definition) is None:
            return self._object(logical_id, kind, definition, base + "/Definition", subs, typed)
        if "DefinitionString" in props:
            return self._string(logical_id, kind, props["DefinitionString"], base + "/DefinitionString", subs,
                                typed, problems)
        return None  # DefinitionUri, DefinitionS3Location, or nothing usable

    # --- Definition: an object in the template ----------------------------------------------
    def _object(self, logical_id: str, kind: str, definition: dict[str, Any], pointer: str,
                subs: dict[str, str], typed: dict[str, Any]) -> LocatedDefinition:
        resolved = _resolve_object(definition, subs, typed)
        spans = self.parsed.spans
        try:
            size = len(json.dumps(resolved, separators=(",", ":"), ensure_ascii=False))
        except (TypeError, ValueError):
            size = 0
        def string_span(rel: str, a: int, b: int) -> Span | None:
            node = spans.get(pointer + rel)
            value = _at(resolved, rel)
            # Only a string the template holds as it is (not substituted) maps character by character.
            if node is None or not isinstance(value, str) or _at(definition, rel) != value:
                return None
            return map_scalar(self.text, node.value, value, self.json_file).map_span(Span(a, b))

        return LocatedDefinition(
            definition=resolved,
            pointer=pointer,
            spans=lambda rel: spans.get(pointer + rel),
            string_span=string_span,
            kind=kind,  # type: ignore[arg-type]
            resource=logical_id,
            substitutions=dict(typed),
            placeholders=find_placeholders(resolved),
            size=size,
        )

    # --- DefinitionString: JSON text inside the template --------------------------------------
    def _string(self, logical_id: str, kind: str, value: Any, pointer: str, subs: dict[str, str],
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

        def string_span(rel: str, a: int, b: int) -> Span | None:
            node = inner_spans.get(rel)
            value = _at(inner.value, rel)
            if node is None or not isinstance(value, str):
                return None
            literal_map = map_scalar(mapped.text, node.value, value, json_file=True)
            return mapped.map_span(literal_map.map_span(Span(a, b)))

        return LocatedDefinition(
            definition=inner.value,
            pointer=pointer,
            spans=spans,
            string_span=string_span,
            kind=kind,  # type: ignore[arg-type]
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
        name = _intrinsic(value)
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
        sub_known = _known(variables)
        known.update(_typed(variables))
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
            if isinstance(part, str) or _intrinsic(part) in ("Fn::Sub", "Fn::Join"):
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


def _at(document: Any, pointer: str) -> Any:
    try:
        return resolve(document, pointer)
    except KeyError:
        return None


def _resolve_object(node: Any, subs: dict[str, str], typed: dict[str, Any]) -> Any:
    """A copy of an object ``Definition`` with substitutions applied and intrinsics made unknown."""
    stack: list[tuple[Any, Callable[[Any], None]]] = []
    root: list[Any] = [None]

    def set_root(value: Any) -> None:
        root[0] = value

    stack.append((node, set_root))
    while stack:
        value, store = stack.pop()
        name = _intrinsic(value)
        if name is not None:
            store(_intrinsic_value(value, name, subs))
        elif isinstance(value, dict):
            copy: dict[Any, Any] = {}
            store(copy)
            for key, child in value.items():
                stack.append((child, _setter(copy, key)))
        elif isinstance(value, list):
            items: list[Any] = [None] * len(value)
            store(items)
            for index, child in enumerate(value):
                stack.append((child, _setter(items, index)))
        elif isinstance(value, str) and "${" in value:
            whole = _WHOLE_PLACEHOLDER.match(value)
            if whole and whole.group(1) in typed:
                store(typed[whole.group(1)])
            else:
                store(_PLACEHOLDER.sub(lambda m: subs.get(m.group(1), m.group(0)), value))
        else:
            store(value)
    return root[0]


def _setter(container: Any, key: Any) -> Callable[[Any], None]:
    def store(value: Any) -> None:
        container[key] = value

    return store


def _intrinsic_value(value: dict[str, Any], name: str, subs: dict[str, str], depth: int = 0) -> Any:
    """An intrinsic inside an object Definition as text: Sub and Join with their literal parts
    filled in and the rest as ``${…}`` unknowns; any other function is wholly unknown."""
    arg = value[name]
    if depth > 20:
        return unknown_token(value)
    if name == "Fn::Sub":
        body: Any = arg
        variables: Any = {}
        if isinstance(arg, list) and arg:
            body, variables = arg[0], arg[1] if len(arg) > 1 else {}
        if isinstance(body, str):
            local = _known(variables)

            def fill(match: re.Match[str]) -> str:
                name = match.group(1)
                if name.startswith("!"):
                    return "${" + name[1:] + "}"
                return local.get(name, match.group(0))

            resolved = _PLACEHOLDER.sub(fill, body)
            return _PLACEHOLDER.sub(lambda m: subs.get(m.group(1), m.group(0)), resolved)
    if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) \
            and isinstance(arg[1], list):
        parts: list[str] = []
        for part in arg[1]:
            inner = _intrinsic(part)
            text = literal(part) if inner is None else _intrinsic_value(part, inner, subs, depth + 1)
            parts.append(text if isinstance(text, str) else unknown_token(part))
        return arg[0].join(parts)
    return unknown_token(value)
