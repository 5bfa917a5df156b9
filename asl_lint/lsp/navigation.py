"""Go to definition, references and rename between states and the fields that name them."""

from __future__ import annotations

import json
import re

from lsprotocol import types

from asl_lint.lsp.convert import Ranger
from asl_lint.lsp.snapshot import Definition, NameRef, Snapshot
from asl_lint.source.text import Span

_PLAIN_YAML = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*( [A-Za-z0-9_.\-]+)*$")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def name_at(snapshot: Snapshot, offset: int) -> tuple[Definition, NameRef] | None:
    definition = snapshot.definition_at(offset)
    if definition is None:
        return None
    ref = definition.name_at(offset)
    return (definition, ref) if ref is not None else None


def _name_span(definition: Definition, pointer: str, is_declaration: bool) -> Span | None:
    node = definition.span(pointer)
    if node is None:
        return None
    return node.key if is_declaration else node.value


def definition(snapshot: Snapshot, uri: str, offset: int, ranger: Ranger) -> types.Location | None:
    found = name_at(snapshot, offset)
    if found is None:
        return None
    owner, ref = found
    state = ref.scope.states.get(ref.name)
    span = _name_span(owner, state.pointer, True) if state is not None else None
    return types.Location(uri, ranger(span)) if span is not None else None


def references(
    snapshot: Snapshot, uri: str, offset: int, include_declaration: bool, ranger: Ranger
) -> list[types.Location]:
    found = name_at(snapshot, offset)
    if found is None:
        return []
    owner, ref = found
    locations = []
    for pointer, is_declaration in owner.occurrences(ref.scope, ref.name):
        span = _name_span(owner, pointer, is_declaration)
        if span is not None and (include_declaration or not is_declaration):
            locations.append(types.Location(uri, ranger(span)))
    return locations


def render_name(raw: str, name: str) -> str:
    """A name written in the style of the text it replaces (JSON string, quoted or plain YAML)."""
    if raw.startswith("'"):
        return "'" + name.replace("'", "''") + "'"
    if raw.startswith('"') or not _PLAIN_YAML.match(name) or name.lower() in _YAML_WORDS:
        return json.dumps(name, ensure_ascii=False)
    return name


def rename(snapshot: Snapshot, uri: str, offset: int, new_name: str, ranger: Ranger) -> types.WorkspaceEdit | None:
    found = name_at(snapshot, offset)
    if found is None or not new_name:
        return None
    owner, ref = found
    if owner.located.embedded_string:
        return None  # inside a DefinitionString every edit would need escaping twice
    edits = []
    for pointer, is_declaration in owner.occurrences(ref.scope, ref.name):
        span = _name_span(owner, pointer, is_declaration)
        if span is None:
            continue
        raw = snapshot.text[span.start : span.end]
        edits.append(types.TextEdit(ranger(span), render_name(raw, new_name)))
    return types.WorkspaceEdit(changes={uri: edits}) if edits else None


def prepare_rename(snapshot: Snapshot, offset: int, ranger: Ranger) -> types.PrepareRenamePlaceholder | None:
    """The name's range, and the bare name (no quotes) for the editor's rename box."""
    found = name_at(snapshot, offset)
    if found is None or found[0].located.embedded_string:
        return None
    span = _name_span(found[0], found[1].pointer, found[1].is_declaration)
    return types.PrepareRenamePlaceholder(ranger(span), found[1].name) if span is not None else None
