"""Completion: state names in transition fields, state types, fields valid for the state's type,
intrinsic functions and JSONata built-ins, Resource ARNs, error names in ErrorEquals.

The context comes from the current line (the text is often half-typed); names and the state under
the cursor come from the snapshot (the last one that parsed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from lsprotocol import types

from asl_lint.lsp.navigation import render_name
from asl_lint.lsp.signatures import intrinsic_signature, jsonata_names, jsonata_signature
from asl_lint.lsp.snapshot import Definition, Snapshot
from asl_lint.model.machine import STATE_TYPES, Scope
from asl_lint.source.pointer import parent, resolve

_TRANSITION = re.compile(r"""["']?\b(Next|Default|StartAt)["']?\s*:\s*(["']?)([^"']*)$""")
_TYPE = re.compile(r"""["']?\bType["']?\s*:\s*(["']?)(\w*)$""")
_RESOURCE = re.compile(r"""["']?\bResource["']?\s*:\s*(["']?)([^"']*)$""")
_INTRINSIC = re.compile(r"States\.[A-Za-z0-9]*$")
_JSONATA = re.compile(r"\$([A-Za-z0-9_]*)$")
_ERROR_ITEM = re.compile(r"""(?:ErrorEquals["']?\s*:\s*\[?|[\[,]|^\s*-)\s*(["']?)([A-Za-z0-9_.]*)$""")
_KEY = re.compile(r"""^\s*(?:[{,]\s*)?(["']?)([A-Za-z]*)$""")
_SUFFIXED = (
    "lambda:invoke.waitForTaskToken", "sqs:sendMessage.waitForTaskToken", "ecs:runTask.sync",
    "glue:startJobRun.sync", "batch:submitJob.sync", "codebuild:startBuild.sync",
    "states:startExecution.sync:2", "athena:startQueryExecution.sync",
)


@dataclass(frozen=True)
class Cursor:
    """The current line up to the cursor, and where the cursor is."""

    before: str
    line: int
    character: int  # UTF-16
    json: bool

    def replace(self, typed: str, new_text: str) -> types.TextEdit:
        """An edit replacing the ``typed`` text just before the cursor with ``new_text``."""
        units = len(typed.encode("utf-16-le")) // 2
        start = types.Position(self.line, self.character - units)
        return types.TextEdit(types.Range(start, types.Position(self.line, self.character)), new_text)


def _quoted(cursor: Cursor, quote: str, value: str) -> str:
    if quote:
        return value  # the client's closing quote (if any) stays where it is
    return json.dumps(value, ensure_ascii=False) if cursor.json else render_name("", value)


def _items(cursor: Cursor, quote: str, typed: str, labels: Iterable[str], kind: types.CompletionItemKind,
           details: dict[str, str] | None = None) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(
            label=label,
            kind=kind,
            detail=(details or {}).get(label),
            filter_text=label,
            text_edit=cursor.replace(typed, _quoted(cursor, quote, label)),
        )
        for label in labels
    ]


def _deepest_scope(definition: Definition, offset: int) -> Scope:
    best = definition.model.root
    for scope in definition.model.scopes:
        node = definition.span(scope.pointer)
        if node is not None and node.value.start <= offset <= node.value.end and scope.depth >= best.depth:
            best = scope
    return best


@cache
def _resource_arns() -> dict[str, str]:
    from asl_lint.errors.integration import classify
    from asl_lint.iam.integrations import HANDLERS

    arns = [f"arn:aws:states:::{api}" for api in (*HANDLERS, *_SUFFIXED)]
    found = {}
    for arn in sorted(arns):
        integration = classify(arn)
        found[arn] = integration.describe() if integration else ""
    return found


@cache
def _error_names() -> list[str]:
    from asl_lint.errors.matching import KNOWN_STATES_ERRORS
    from asl_lint.errors.table import load_table

    names = set(KNOWN_STATES_ERRORS)
    for row in load_table()["integrations"].values():
        for entry in (*row.get("required", ()), *row.get("also", ())):
            names.add(entry["error"])
    return sorted(names, key=lambda n: (not n.startswith("States."), n))


def _in_error_list(lines: list[str], line: int, before: str) -> bool:
    if "ErrorEquals" in before:
        return True
    for above in reversed(lines[max(0, line - 20) : line]):
        if "ErrorEquals" in above:
            return True
        if not re.match(r"""^\s*(-|["'\[\]]|States\.)""", above):
            return False
    return False


def _fields(definition: Definition, offset: int) -> tuple[list[str], str] | None:
    """Fields valid where the cursor is (a state or the root object), minus those present."""
    from asl_lint.schema.loader import definition as schema_def

    hit = definition.at(offset)
    if hit is None:
        return None
    pointer, is_key = hit
    try:
        value = resolve(definition.located.definition, pointer)
    except KeyError:
        return None
    # Next to a member (its key or scalar value) the cursor is in the member's object.
    holder = parent(pointer) if (is_key or not isinstance(value, dict | list)) and pointer else pointer
    if holder == "":
        raw = definition.model.raw
        return [f for f in schema_def("machine")["properties"] if f not in raw], "machine"
    state = definition.model.state_for_pointer(holder)
    if state is None or state.pointer != holder:
        return None
    kind = state.type if state.type in STATE_TYPES else None
    names: list[str] = []
    for state_type in (kind,) if kind else STATE_TYPES:
        names += [f for f in schema_def(state_type)["properties"] if f not in names]
    return [f for f in names if f not in state.raw], kind or "state"


def complete(snapshot: Snapshot | None, text_lines: list[str], position: types.Position,
             json_file: bool, offset: int) -> list[types.CompletionItem]:
    """Items for the cursor at ``position`` of the current text (``offset`` in the snapshot's text)."""
    line_text = text_lines[position.line] if position.line < len(text_lines) else ""
    column = _column(line_text, position.character)
    cursor = Cursor(line_text[:column], position.line, position.character, json_file)
    before = cursor.before
    definition = snapshot.definition_at(offset) if snapshot is not None else None

    if m := _TRANSITION.search(before):
        if definition is None:
            return []
        scope = _deepest_scope(definition, offset)
        details = {name: f"{s.type} state" for name, s in scope.states.items()}
        return _items(cursor, m.group(2), m.group(3), scope.states, types.CompletionItemKind.Reference, details)
    if m := _TYPE.search(before):
        return _items(cursor, m.group(1), m.group(2), STATE_TYPES, types.CompletionItemKind.EnumMember)
    if m := _RESOURCE.search(before):
        arns = _resource_arns()
        return _items(cursor, m.group(1), m.group(2), arns, types.CompletionItemKind.Value, arns)
    if (m := _ERROR_ITEM.search(before)) and _in_error_list(text_lines, position.line, before):
        return _error_items(cursor, m.group(1), m.group(2))
    if m := _INTRINSIC.search(before):
        from asl_lint.expr.intrinsics import FUNCTIONS

        return [
            types.CompletionItem(label=name, kind=types.CompletionItemKind.Function,
                                 detail=intrinsic_signature(sig), text_edit=cursor.replace(m.group(0), name + "("))
            for name, sig in FUNCTIONS.items()
        ]
    if (m := _JSONATA.search(before)) and "{%" in before:
        return [
            types.CompletionItem(label="$" + name, kind=types.CompletionItemKind.Function,
                                 detail=jsonata_signature(name), text_edit=cursor.replace(m.group(0), f"${name}("))
            for name in jsonata_names()
        ]
    if (m := _KEY.search(before)) and definition is not None:
        found = _fields(definition, offset)
        if found is None:
            return []
        names, owner = found
        return _items(cursor, m.group(1), m.group(2), names, types.CompletionItemKind.Field,
                      dict.fromkeys(names, f"field of {owner}"))
    return []


def _error_items(cursor: Cursor, quote: str, typed: str) -> list[types.CompletionItem]:
    return _items(cursor, quote, typed, _error_names(), types.CompletionItemKind.Constant)


def _column(line: str, character: int) -> int:
    """Code-point column of a UTF-16 character offset in ``line``."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)
