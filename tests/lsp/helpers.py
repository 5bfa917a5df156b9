"""Opening, editing and waiting on documents in the language server under test."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

_counter = itertools.count()


def uri_for(tmp: Path, name: str) -> str:
    """A fresh file URI (each test opens its own document in the shared server)."""
    return (tmp / f"{next(_counter)}-{name}").as_uri()


async def wait_diagnostics(
    client: LanguageClient, uri: str, version: int | None = None, seen: list[int | None] | None = None
) -> list[types.Diagnostic]:
    """Wait for the publication for ``uri`` (of ``version``, when given) and return its diagnostics.

    ``seen`` collects the version of every publication for ``uri`` on the way.
    """
    while True:
        params: types.PublishDiagnosticsParams = await client.wait_for_notification(
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
        )
        if params.uri == uri and seen is not None:
            seen.append(params.version)
        if params.uri == uri and (version is None or params.version == version):
            return list(params.diagnostics)


async def open_doc(client: LanguageClient, uri: str, text: str, language: str = "json") -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    return await wait_diagnostics(client, uri, 1)


def change_full(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def change_range(client: LanguageClient, uri: str, version: int, rng: types.Range, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangePartial(range=rng, text=text)],
        )
    )


def pos(text: str, needle: str, delta: int = 0, nth: int = 0) -> types.Position:
    """LSP position (UTF-16) of the ``nth`` occurrence of ``needle`` plus ``delta`` code points."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    prefix = text[start:at]
    return types.Position(line, len(prefix.encode("utf-16-le")) // 2)


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """The text after applying LSP text edits (UTF-16 ranges), last first."""
    lines = text.split("\n")

    def offset(p: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: p.line])
        units = 0
        col = 0
        line = lines[p.line] if p.line < len(lines) else ""
        while col < len(line) and units < p.character:
            units += 2 if ord(line[col]) > 0xFFFF else 1
            col += 1
        return before + col

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def machine(states: dict[str, Any], start: str | None = None, **extra: Any) -> str:
    return json.dumps({"StartAt": start or next(iter(states)), "States": states, **extra}, indent=2)
