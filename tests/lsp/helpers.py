"""Opening, editing and waiting on documents in the language server under test."""

from __future__ import annotations

import asyncio
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


def record_publications(client: LanguageClient) -> None:
    """Keep every publishDiagnostics the client receives, in order (``client.published``): the
    server sends two in quick succession, and ``wait_for_notification`` misses one that arrives
    before it is called again."""
    published: list[types.PublishDiagnosticsParams] = []
    features = client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(*args: Any) -> Any:
        published.append(args[-1])
        return original(*args)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record
    client.published = published  # type: ignore[attr-defined]
    client.published_read = 0  # type: ignore[attr-defined]


async def wait_diagnostics(
    client: LanguageClient, uri: str, version: int | None = None, seen: list[int | None] | None = None,
    *, complete: bool = True, timeout: float = 60,
) -> list[types.Diagnostic]:
    """Wait for the next publication for ``uri`` (of ``version``, when given) and return its
    diagnostics.

    The server publishes a definition twice per version: the fast checks' findings, then all of
    them. ``complete`` waits for the second (a document that is no definition is published once:
    wait for it with ``complete=False``). ``seen`` collects the version of every publication for
    ``uri`` on the way.
    """
    published: list[types.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]
    deadline = asyncio.get_running_loop().time() + timeout
    count = 0
    while True:
        while client.published_read < len(published):  # type: ignore[attr-defined]
            params = published[client.published_read]  # type: ignore[attr-defined]
            client.published_read += 1  # type: ignore[attr-defined]
            if params.uri == uri and seen is not None:
                seen.append(params.version)
            if params.uri == uri and (version is None or params.version == version):
                count += 1
                if count == (2 if complete else 1):
                    return list(params.diagnostics)
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"no {'complete ' if complete else ''}publication for {uri} version {version}")
        await asyncio.sleep(0.005)


async def open_doc(client: LanguageClient, uri: str, text: str, language: str = "json",
                   complete: bool = True) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    return await wait_diagnostics(client, uri, 1, complete=complete)


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
