"""Code actions: the fixes findings carry, and "suppress this finding".

Fixes are pointer-addressed Edits; ``asl_lint.fix.fix_text`` (the ``--fix`` engine) turns them into
text in the document's own style, and the action sends the smallest text edit that makes it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from lsprotocol import types

from asl_lint.diagnostics import Diagnostic, Edit, Fix
from asl_lint.engine.suppress import parse_directive
from asl_lint.lsp.convert import to_lsp, to_range
from asl_lint.lsp.snapshot import Definition, Snapshot
from asl_lint.source.text import LineIndex, Span

_IGNORE = re.compile(r"(ignore\[)([^\]]*)(\])", re.I)


def minimal_edit(old: str, new: str, index: LineIndex) -> types.TextEdit:
    """One edit replacing only what differs between ``old`` and ``new``."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return types.TextEdit(to_range(index, Span(start, end_old)), new[start:end_new])


def _action(title: str, uri: str, old: str, new: str, index: LineIndex, diag: types.Diagnostic,
            preferred: bool) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=preferred,
        edit=types.WorkspaceEdit(changes={uri: [minimal_edit(old, new, index)]}),
    )


def _apply(text: str, path: str, diag: Diagnostic) -> str | None:
    from asl_lint.fix import fix_text

    new_text, count = fix_text(text, path, [diag])
    return new_text if count and new_text != text else None


def _owner(snapshot: Snapshot, pointer: str) -> Definition | None:
    best = None
    for definition in snapshot.definitions:
        base = definition.located.pointer
        if (not base or pointer == base or pointer.startswith(base + "/")) and (
            best is None or len(base) > len(best.located.pointer)
        ):
            best = definition
    return best


def with_code(comment: str | None, code: str) -> str:
    """A Comment that also suppresses ``code`` (added to an existing directive when there is one)."""
    if not comment:
        return f"asl-lint: ignore[{code}]"
    directive = parse_directive(comment)
    if isinstance(directive, tuple) and directive[0] == "ignore":
        return _IGNORE.sub(lambda m: f"{m.group(1)}{m.group(2)},{code}{m.group(3)}", comment, count=1)
    return f"{comment} asl-lint: ignore[{code}]"


def _suppress_json(text: str, path: str, snapshot: Snapshot, diag: Diagnostic) -> tuple[str, str] | None:
    owner = _owner(snapshot, diag.pointer)
    if owner is None or owner.located.embedded_string:
        return None
    relative = diag.pointer[len(owner.located.pointer) :]
    state = owner.model.state_for_pointer(relative)
    holder = state.raw if state is not None else owner.model.raw
    if not isinstance(holder, dict):
        return None
    comment = holder.get("Comment")
    if comment is not None and not isinstance(comment, str):
        return None
    pointer = f"{state.pointer if state else ''}/Comment"
    edit = Edit("replace" if "Comment" in holder else "add", pointer, with_code(comment, diag.code))
    new = _apply(text, path, replace(diag, fix=Fix("suppress", (edit,))))
    where = f"state '{state.name}'" if state else "the state machine"
    return (f"Suppress {diag.code} for {where}", new) if new else None


def _suppress_yaml(text: str, index: LineIndex, diag: Diagnostic) -> tuple[str, str]:
    """A ``# asl-lint: ignore[CODE]`` line above the finding's line, at its indentation."""
    line_text = index.line_text(diag.line)
    indent = line_text[: len(line_text) - len(line_text.lstrip())]
    at = index.offset(diag.line, 1)
    newline = "\r\n" if "\r\n" in text else "\n"
    new = f"{text[:at]}{indent}# asl-lint: ignore[{diag.code}]{newline}{text[at:]}"
    return f"Suppress {diag.code} on this line", new


def code_actions(uri: str, path: str, text: str, yaml: bool, diagnostics: list[Diagnostic],
                 snapshot: Snapshot | None) -> list[types.CodeAction]:
    index = LineIndex(text)
    actions: list[types.CodeAction] = []
    suppressions: list[types.CodeAction] = []
    for diag in diagnostics:
        lsp_diag = to_lsp(diag, index)
        if diag.fix is not None:
            new = _apply(text, path, diag)
            if new is not None:
                actions.append(_action(diag.fix.title, uri, text, new, index, lsp_diag, True))
        found = None
        owner = _owner(snapshot, diag.pointer) if snapshot is not None else None
        if yaml and not (owner is not None and owner.located.embedded_string):
            found = _suppress_yaml(text, index, diag)  # never inside a DefinitionString block
        elif not yaml and snapshot is not None:
            found = _suppress_json(text, path, snapshot, diag)
        if found is not None:
            suppressions.append(_action(found[0], uri, text, found[1], index, lsp_diag, False))
    return actions + suppressions
