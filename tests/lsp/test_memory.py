"""The server's collection policy (``asl_lint.lsp.memory``): startup frozen, thresholds raised, a
full collection when typing pauses and none while a newer text waits."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest
from lsprotocol import types
from pygls.workspace import Workspace

from asl_lint.lsp import memory, server

DEFINITION = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}'


def test_settle_freezes_what_is_loaded_and_raises_the_thresholds() -> None:
    # (in a child process: freezing this test process's objects would outlive the test)
    code = ("import gc, json; from asl_lint.lsp import memory, server; server.create_server(); memory.settle();"
            " print(json.dumps([gc.get_threshold(), gc.get_freeze_count()]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    thresholds, frozen = json.loads(out)
    assert tuple(thresholds) == memory.THRESHOLDS == (50_000, 20, 100)
    assert frozen > 30_000  # the modules the server imported, pygls and lsprotocol among them


def _server(monkeypatch: pytest.MonkeyPatch, collections: list[str]) -> tuple[server.AslLanguageServer, list[int]]:
    monkeypatch.setattr(server, "SNAPSHOT_IDLE", 0)
    monkeypatch.setattr(memory, "collect_when_idle", lambda: collections.append("full"))
    ls = server.AslLanguageServer()
    ls.protocol._workspace = Workspace(None)
    published: list[int] = []
    monkeypatch.setattr(ls, "publish", lambda uri, version, diagnostics: published.append(version))
    return ls, published


def _open(ls: server.AslLanguageServer, uri: str, version: int, text: str) -> None:
    ls.workspace.put_text_document(types.TextDocumentItem(uri=uri, language_id="json", version=version, text=text))
    ls.state(uri)


def test_a_full_collection_follows_the_complete_diagnostics(monkeypatch: pytest.MonkeyPatch) -> None:
    collections: list[str] = []
    ls, published = _server(monkeypatch, collections)
    uri = "file:///project/idle.asl.json"
    _open(ls, uri, 1, DEFINITION)
    asyncio.run(ls.lint_now(uri))
    assert published == [1, 1]  # the fast checks, then all of them
    assert collections == ["full"]


def test_no_collection_when_a_newer_text_is_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    collections: list[str] = []
    ls, published = _server(monkeypatch, collections)
    uri = "file:///project/busy.asl.json"
    _open(ls, uri, 1, DEFINITION)
    original = server.build_snapshot

    def snapshot_then_type(*args: Any) -> Any:
        ls.state(uri).generation += 1  # a keystroke arrives while the navigation view is built
        return original(*args)

    monkeypatch.setattr(server, "build_snapshot", snapshot_then_type)
    asyncio.run(ls.lint_now(uri))
    assert published == [1, 1]
    assert collections == []
