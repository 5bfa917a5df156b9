"""Registers the request handlers: hover, definition, references, completion, symbols, rename,
code actions. Each answers from the engine's lint of the current text and from the snapshot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from asl_lint.lsp import actions, completion, hover, navigation, symbols
from asl_lint.lsp.convert import to_range
from asl_lint.lsp.documents import is_candidate
from asl_lint.lsp.snapshot import Snapshot
from asl_lint.source.text import LineIndex, Span

if TYPE_CHECKING:
    from asl_lint.lsp.server import AslLanguageServer


@dataclass
class Request:
    """The document a request is about, and its cursor as a code-point offset."""

    uri: str
    path: str
    text: str
    index: LineIndex
    offset: int
    snapshot: Snapshot | None

    @property
    def snapshot_offset(self) -> int:
        return self.snapshot.offset_in(self.text, self.offset) if self.snapshot else self.offset

    def range_of(self, span: Span) -> types.Range:
        """A span of the snapshot's text as a range of the current text."""
        if self.snapshot is not None and not self.current:
            moved = self.snapshot.offset_from
            span = Span(moved(self.text, span.start), moved(self.text, span.end))
        return to_range(self.index, span)

    @property
    def current(self) -> bool:
        """The snapshot is of this very text (exact edits need that)."""
        return self.snapshot is not None and self.snapshot.text == self.text


def _request(ls: AslLanguageServer, uri: str, position: types.Position | None = None) -> Request | None:
    doc = ls.workspace.get_text_document(uri)
    path = ls.path_of(uri)
    if not is_candidate(path, doc.source):
        return None
    index = LineIndex(doc.source)
    offset = index.offset_from_utf16(position.line, position.character) if position else 0
    return Request(uri, path, doc.source, index, offset, ls.snapshot(uri))


def register(server: AslLanguageServer, guarded: Callable[[Any], Callable[..., Any]]) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(None)
    def on_hover(ls: AslLanguageServer, params: types.HoverParams) -> types.Hover | None:
        req = _request(ls, params.text_document.uri, params.position)
        if req is None:
            return None
        parts: list[str] = []
        linted = ls.linted(req.uri)
        if linted is not None:
            parts += hover.finding_docs(linted.result.diagnostics, req.offset)
        if req.snapshot is not None:
            parts += hover.structure_docs(req.snapshot, req.snapshot_offset)
        line_number = params.position.line + 1
        column = req.offset - req.index.offset(line_number, 1)
        parts += hover.signature_docs(req.index.line_text(line_number), column)
        return hover.hover(parts)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded(None)
    def on_definition(ls: AslLanguageServer, params: types.DefinitionParams) -> types.Location | None:
        req = _request(ls, params.text_document.uri, params.position)
        if req is None or req.snapshot is None:
            return None
        return navigation.definition(req.snapshot, req.uri, req.snapshot_offset, req.range_of)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded([])
    def on_references(ls: AslLanguageServer, params: types.ReferenceParams) -> list[types.Location]:
        req = _request(ls, params.text_document.uri, params.position)
        if req is None or req.snapshot is None:
            return []
        include = params.context.include_declaration
        return navigation.references(req.snapshot, req.uri, req.snapshot_offset, include, req.range_of)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(None)
    def on_prepare_rename(
        ls: AslLanguageServer, params: types.PrepareRenameParams
    ) -> types.PrepareRenamePlaceholder | None:
        req = _request(ls, params.text_document.uri, params.position)
        if req is None or req.snapshot is None or not req.current:
            return None
        return navigation.prepare_rename(req.snapshot, req.offset, req.range_of)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    @guarded(None)
    def on_rename(ls: AslLanguageServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        req = _request(ls, params.text_document.uri, params.position)
        if req is None or req.snapshot is None or not req.current:
            return None  # renaming needs exact spans: only on text that parses
        return navigation.rename(req.snapshot, req.uri, req.offset, params.new_name, req.range_of)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=['"', ":", ".", "$", " "]),
    )
    @guarded(None)
    def on_completion(ls: AslLanguageServer, params: types.CompletionParams) -> types.CompletionList | None:
        req = _request(ls, params.text_document.uri, params.position)
        if req is None:
            return None
        json_file = not req.path.lower().endswith((".yaml", ".yml"))
        # The context comes from the half-typed line; the state at the cursor from the snapshot.
        lines = req.text.split("\n")
        items = completion.complete(req.snapshot, lines, params.position, json_file, req.snapshot_offset)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded([])
    def on_symbols(ls: AslLanguageServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        req = _request(ls, params.text_document.uri)
        if req is None or req.snapshot is None:
            return []
        return symbols.document_symbols(req.snapshot, req.range_of)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    @guarded([])
    def on_code_action(ls: AslLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        req = _request(ls, params.text_document.uri, params.range.start)
        linted = ls.linted(params.text_document.uri)
        if req is None or linted is None:
            return []
        end = req.index.offset_from_utf16(params.range.end.line, params.range.end.character)
        keys = {d.data.get("key") for d in params.context.diagnostics if isinstance(d.data, dict)}
        chosen = [
            diag for key, diag in linted.by_key.items()
            if key in keys or (diag.start_offset <= end and req.offset <= diag.end_offset)
        ]
        snapshot = req.snapshot if req.current else None
        yaml = req.path.lower().endswith((".yaml", ".yml"))
        return actions.code_actions(req.uri, req.path, req.text, yaml, chosen, snapshot)
