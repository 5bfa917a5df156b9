"""``aws_sfn_state_machine`` resources -> the definitions they deploy, with their machine's context.

``definition =`` may be, after evaluation (``local.x``, ``var.x`` and module inputs are followed):

- the text of a file: ``file(path)`` (sent as is), ``templatefile(path, vars)`` or
  ``data.template_file.x.rendered`` (rendered with ``vars``): an :class:`ExternalDefinition` the
  engine lints in that file, once per machine, with the literal variables substituted;
- ``jsonencode({...})``: the HCL object itself is the definition, every key and value at its place
  in the ``.tf`` file;
- a heredoc or a quoted string: its JSON text is parsed with an offset map into the ``.tf`` file;
  ``${...}`` interpolations that are known are filled in, the others stay ``${name}`` (unknown
  values, each with a substitution entry naming what it stands for).

A definition is reported by the file that holds its text (a ``locals`` file, the root module that
passes a heredoc into a module); an external file is named by the file that declares the machine.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from asl_lint.iam.cfn import apply_substitutions
from asl_lint.source.nodes import NodeSpan, SourceProblem
from asl_lint.source.pointer import escape
from asl_lint.source.text import LineIndex, Span
from asl_lint.sources.base import (
    ExternalDefinition,
    LocatedDefinition,
    MachineContext,
    MachineType,
    Site,
    SourceResult,
    Substitution,
)
from asl_lint.sources.offsets import MappedText
from asl_lint.sources.placeholders import find_placeholders
from asl_lint.sources.scalars import mapped_lookups, remap_positions
from asl_lint.sources.substitute import quote_bare_placeholders
from asl_lint.sources.terraform.evaluate import attribute, block_site, resource_attribute, site
from asl_lint.sources.terraform.hcl import Block
from asl_lint.sources.terraform.module import Instance
from asl_lint.sources.terraform.values import (
    Obj,
    Prim,
    Seq,
    Str,
    Unknown,
    Value,
    origin_of,
    to_python,
    unknowns_in,
)

MACHINE = "aws_sfn_state_machine"


@dataclass
class Machine:
    instance: Instance
    block: Block
    address: str
    definition: Value | None


def machines(instances: list[Instance]) -> list[Machine]:
    out = []
    for inst in instances:
        for address, block in sorted(inst.module.resources.items()):
            if address.startswith(MACHINE + "."):
                out.append(Machine(inst, block, inst.prefix + address, attribute(inst, block, "definition")))
    return out


def read_machines(file: str, everything: list[Instance], roots: int, result: SourceResult) -> None:
    """Add to ``result`` what the machines of ``everything`` deploy from ``file``."""
    same = os.path.normpath(file)
    for machine in machines(everything):
        value = machine.definition
        declared_here = os.path.normpath(machine.block.file) == same
        origin = origin_of(value)
        if value is not None and origin is not None:
            if declared_here:
                context = _context(machine, everything, roots, value)
                result.external.append(ExternalDefinition(origin.path, context, origin.site))
        elif isinstance(value, Str) and value.encoded is not None:
            encoded = value.encoded
            if isinstance(encoded, Obj) and encoded.file is not None and os.path.normpath(encoded.file) == same:
                context = _context(machine, everything, roots, value, encoded)
                result.definitions.append(_object_definition(encoded, file, context))
        elif isinstance(value, Str) and value.mapped is not None and value.file is not None \
                and os.path.normpath(value.file) == same:
            context = _context(machine, everything, roots, value, value)
            located = _text_definition(value, value.mapped, file, context, result.problems)
            if located is not None:
                result.definitions.append(located)
        elif declared_here and isinstance(value, Unknown) and value.missing is not None:
            attr = machine.block.body.attributes["definition"]
            here = value.span if value.file is not None and os.path.normpath(value.file) == same else None
            result.problems.append(SourceProblem(
                "ASL001", f"The definition file of {machine.address}, {value.missing}, is not a file",
                here or attr.value.span))
        elif declared_here and value is not None and not _elsewhere(value):
            attr = machine.block.body.attributes["definition"]
            reason = value.reason if isinstance(value, Unknown) and value.reason else "computed when Terraform runs"
            result.problems.append(SourceProblem(
                "ASL007", f"The definition of {machine.address} is not known statically: {reason}; it is not linted",
                attr.value.span))


def _elsewhere(value: Value) -> bool:
    """A definition written in another file of the configuration (that file reports it)."""
    if isinstance(value, Str) and value.encoded is not None:
        return isinstance(value.encoded, Obj) and value.encoded.file is not None
    return isinstance(value, Str) and value.mapped is not None and value.file is not None


# --- context ------------------------------------------------------------------------------------------
def _context(machine: Machine, everything: list[Instance], roots: int, definition: Value,
             written: Value | None = None) -> MachineContext:
    """The machine's context. ``written``: the definition's text or object when it is written in the
    .tf files (it may be in another file than the machine: a local, a caller's module input)."""
    from asl_lint.sources.terraform.iam import role_policies

    inst, block = machine.instance, machine.block
    name = machine.address
    machine_id = name if roots == 1 else f"{name}@{inst.root.module.dir or '.'}"
    kind = attribute(inst, block, "type")
    machine_type: MachineType | None = None
    if isinstance(kind, Str) and kind.known and kind.text.upper() in ("STANDARD", "EXPRESS"):
        machine_type = "EXPRESS" if kind.text.upper() == "EXPRESS" else "STANDARD"
    local_name = machine.address[len(inst.prefix):].split(".", 1)[1]
    arn = resource_attribute(inst, MACHINE, local_name, "arn")
    role_attr = block.body.attributes.get("role_arn")
    role_site = site(block.file, role_attr.span) if role_attr is not None else block_site(block)
    elsewhere = written is not None and written.file is not None and written.span is not None and \
        os.path.normpath(written.file) != os.path.normpath(block.file)
    if elsewhere and written is not None and written.file is not None and written.span is not None:
        # Findings about the role stay with the definition's file (linted on its own): at the
        # definition, and every finding names the machine.
        role_site = site(written.file, written.span)
    substitutions, complete, source, syntax = _substitutions(definition)
    return MachineContext(
        layout="terraform",
        origin=block.file,
        id=machine_id,
        name=name if roots == 1 else f"{name} (root module {inst.root.module.dir or '.'})",
        machine_type=machine_type,
        substitutions=substitutions,
        substitutions_complete=complete,
        substitution_source=source,
        template_syntax=syntax,
        policies=role_policies(inst, block, everything),
        state_machine_arn=arn.symbolic if isinstance(arn, (Str, Unknown)) else None,
        site=block_site(block),
        role_site=role_site,
        named_in_messages=elsewhere,
    )


def _substitutions(definition: Value) -> tuple[dict[str, Substitution], bool, str, Any]:
    """(entries, complete, how messages name them, template syntax) for a definition value."""
    origin = origin_of(definition)
    if origin is not None:
        if origin.variables is None:  # file(): the text is sent as it is
            return {}, True, "the machine's Terraform arguments (file() substitutes nothing; templatefile() would)", \
                "cloudformation"
        out = {}
        for key, value in origin.variables.items.items():
            key_span = origin.variables.key_spans.get(key)
            value_span = origin.variables.value_spans.get(key)
            where = None
            if key_span is not None and value_span is not None and origin.variables.file is not None:
                where = site(origin.variables.file, Span(key_span.start, value_span.end))
            out[key] = substitution(key, value, where)
        return out, True, origin.label, "terraform"
    # jsonencode / heredoc: the ``${name}`` left are the values not known statically, and any other
    # "${x}" was written "$${x}", Terraform's escape for the literal text: not complete.
    entries = {u.name: substitution(u.name, u, None) for u in unknowns_in(definition)}
    return entries, False, "Terraform expressions", "terraform"


def substitution(name: str, value: Value, where: Site | None) -> Substitution:
    if isinstance(value, (Seq, Obj)):
        # A list or an object: literal, its unknown parts (``${name}`` in it) described by ``parts``.
        parts = {u.name: substitution(u.name, u, None) for u in unknowns_in(value)}
        return Substitution(name, "literal", value=to_python(value), site=where, parts=parts)
    if isinstance(value, Prim) and value.value is not None:
        return Substitution(name, "literal", value=value.value, site=where)
    if isinstance(value, Str) and value.known:
        return Substitution(name, "literal", value=value.text, site=where)
    if isinstance(value, (Unknown, Str)) and value.ref is not None:
        return Substitution(name, "reference", ref=value.ref, symbolic=value.symbolic, site=where)
    if isinstance(value, (Str, Unknown)):
        return Substitution(name, "unknown", symbolic=value.symbolic, site=where)
    return Substitution(name, "unknown", site=where)


# --- definitions written in the .tf file -------------------------------------------------------
def _resolved(definition: Any, context: MachineContext) -> Any:
    symbolic = context.symbolic_values()
    return apply_substitutions(definition, symbolic) if symbolic else definition


def _object_definition(value: Obj, file: str, context: MachineContext) -> LocatedDefinition:
    """``jsonencode({...})``: the object's own spans, keys and values, in the .tf file."""
    definition = to_python(value)
    table: dict[str, NodeSpan] = {}
    strings: dict[str, Str] = {}
    _spans(value, "", NodeSpan(value.span or Span(0, 0)), table, strings, os.path.normpath(file))

    def string_span(rel: str, a: int, b: int) -> Span | None:
        found = strings.get(rel)
        if found is None or found.mapped is None or not found.known:
            return None
        return found.mapped.map_span(Span(a, b))

    return LocatedDefinition(
        definition=definition,
        pointer="",
        spans=table.get,
        kind="terraform",
        resource=context.id,
        placeholders=find_placeholders(definition),
        size=len(json.dumps(definition, separators=(",", ":"), ensure_ascii=False)),
        string_span=string_span,
        context=context,
        resolved=_resolved(definition, context),
    )


def _spans(value: Value, pointer: str, node: NodeSpan, table: dict[str, NodeSpan], strings: dict[str, Str],
           file: str) -> None:
    """Spans of a value written in ``file``; a part written elsewhere (another file, a local) maps
    wholly to the expression that uses it."""
    table[pointer] = node
    if isinstance(value, Str) and value.file is not None and os.path.normpath(value.file) == file:
        strings[pointer] = value
    if isinstance(value, Obj):
        for key, child in value.items.items():
            here = value.value_spans.get(key, node.value)
            key_span = value.key_spans.get(key)
            child_pointer = f"{pointer}/{escape(key)}"
            if _written_in(child, file, here):
                _spans(child, child_pointer, NodeSpan(child.span or here, key_span), table, strings, file)
            else:
                _flat(child, child_pointer, NodeSpan(here, key_span), table)
    elif isinstance(value, Seq):
        for index, child in enumerate(value.items):
            child_pointer = f"{pointer}/{index}"
            if _written_in(child, file, node.value):
                _spans(child, child_pointer, NodeSpan(child.span or node.value), table, strings, file)
            else:
                _flat(child, child_pointer, NodeSpan(node.value), table)


def _written_in(value: Value, file: str, where: Span) -> bool:
    """True when the value is written inside the expression that uses it (not a reference to a
    value written elsewhere: that maps wholly to the reference)."""
    return (value.file is not None and value.span is not None and os.path.normpath(value.file) == file
            and where.start <= value.span.start and value.span.end <= where.end)


def _flat(value: Value, pointer: str, node: NodeSpan, table: dict[str, NodeSpan]) -> None:
    table[pointer] = node
    inner = NodeSpan(node.value)
    if isinstance(value, Obj):
        for key, child in value.items.items():
            _flat(child, f"{pointer}/{escape(key)}", inner, table)
    elif isinstance(value, Seq):
        for index, child in enumerate(value.items):
            _flat(child, f"{pointer}/{index}", inner, table)


def _text_definition(value: Str, mapped: MappedText, file: str, context: MachineContext,
                     problems: list[SourceProblem]) -> LocatedDefinition | None:
    """A heredoc or string holding the definition's JSON: parsed, every span mapped into ``file``."""
    from asl_lint.source.json_parser import parse_json

    text = quote_bare_placeholders(mapped)
    inner = parse_json(text.text)
    label = f"The definition of {context.name}"
    for problem in inner.problems:
        message = problem.message
        if problem.code == "ASL001":
            message = f"{label} is not valid JSON: {_remap(message, text, file)}"
        problems.append(SourceProblem(problem.code, message, text.map_span(problem.span), problem.pointer))
    if inner.fatal or not isinstance(inner.value, dict):
        return None
    lookup, string_span = mapped_lookups(text, inner.spans.get, inner.value)

    return LocatedDefinition(
        definition=inner.value,
        pointer="",
        spans=lookup,
        kind="terraform",
        resource=context.id,
        placeholders=find_placeholders(inner.value),
        size=len(text),
        embedded_string=True,
        string_span=string_span,
        context=context,
        resolved=_resolved(inner.value, context),
    )


def _remap(message: str, mapped: MappedText, file: str) -> str:
    """Parser messages name places in the parsed text ("line 3, column 5"): name the file's."""
    from asl_lint.sources.terraform.evaluate import file_text

    original = file_text(file)
    return message if original is None else remap_positions(message, mapped, LineIndex(original))
