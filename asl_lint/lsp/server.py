"""The language server: document sync, debounced diagnostics, and the navigation features.

Handlers only translate between LSP and the engine/model/graph: analysis lives elsewhere.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from asl_lint import __version__
from asl_lint.lsp import memory
from asl_lint.lsp.configs import ConfigCache, is_config_file
from asl_lint.lsp.documents import Linted, is_asl_path, is_candidate, lint_document
from asl_lint.lsp.snapshot import Snapshot, build_snapshot

log = logging.getLogger("asl_lint.lsp")
# Seconds of quiet typing before a re-lint. It counts toward the latency an editor sees: the fast
# diagnostics of a 500-state definition are published well within 0.1 s of the last keystroke.
CHANGE_DELAY = 0.03
# Seconds without a change before the navigation view of a new text is built ahead of requests
# (built while typing, it would hold up the lint of the next keystroke).
SNAPSHOT_IDLE = 0.3
R = TypeVar("R")


@dataclass
class DocState:
    linted: Linted | None = None
    snapshot: Snapshot | None = None  # of the current text, when it parses
    good: Snapshot | None = None  # the last snapshot that parsed (navigation on half-typed text)
    good_text: str | None = None  # the last text that parsed with a definition in it
    failed_text: str | None = None  # the last text whose snapshot could not be built
    task: asyncio.Task[None] | None = None
    waiting: bool = False  # the task is still in its debounce delay
    published: bool = False
    generation: int = 0  # bumped by every change: work for an older generation stops early


class AslLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("asl-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.configs = ConfigCache()
        self.docs: dict[str, DocState] = {}
        self.lint_lock = asyncio.Lock()

    # --- documents ---------------------------------------------------------------------------
    def path_of(self, uri: str) -> str:
        return to_fs_path(uri) or uri

    def state(self, uri: str) -> DocState:
        return self.docs.setdefault(uri, DocState())

    def snapshot(self, uri: str) -> Snapshot | None:
        """The navigation view of the current text, or of the last text that parsed."""
        doc = self.workspace.get_text_document(uri)
        state = self.docs.get(uri) or DocState()  # a request on a document never opened keeps nothing
        path = self.path_of(uri)
        if not is_candidate(path, doc.source):
            return None
        text = doc.source
        if (state.snapshot is None or state.snapshot.text != text) and state.failed_text != text:
            built = build_snapshot(path, text, doc.version)
            if built is None:
                state.failed_text = text  # parse each broken text once
            else:
                state.snapshot = state.good = built
                state.good_text = text
        if state.snapshot is not None and state.snapshot.text == text:
            return state.snapshot
        if state.good_text is not None and (state.good is None or state.good.text != state.good_text):
            state.good = build_snapshot(path, state.good_text, None) or state.good
        return state.good

    def linted(self, uri: str) -> Linted | None:
        """The lint of the current text (None while a newer version is pending)."""
        state = self.docs.get(uri)
        if state is None or state.linted is None:
            return None
        doc = self.workspace.get_text_document(uri)
        return state.linted if state.linted.text == doc.source else None

    # --- diagnostics -------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float, force: bool = False) -> None:
        state = self.state(uri)
        state.generation += 1  # what runs for the previous text stops at its next checkpoint
        if state.task is not None and not state.task.done() and state.waiting:
            state.task.cancel()  # still in its quiet period: debounce
        state.task = asyncio.ensure_future(self._lint_later(uri, delay, force))

    async def _lint_later(self, uri: str, delay: float, force: bool) -> None:
        state = self.state(uri)
        try:
            state.waiting = True
            if delay:
                await asyncio.sleep(delay)
            state.waiting = False
            await self.lint_now(uri, force)
        except asyncio.CancelledError:
            raise
        except Exception:  # a broken document never kills the server
            log.exception("linting %s failed", uri)

    async def lint_now(self, uri: str, force: bool = False) -> None:
        """Lint the current text in two steps, each published: the fast checks, then everything
        (reusing what the first step found). A newer change stops the work for this one."""
        if uri not in self.docs:
            return  # closed meanwhile
        doc = self.workspace.get_text_document(uri)
        path, text, version = self.path_of(uri), doc.source, doc.version
        state = self.state(uri)
        done = state.linted
        if not force and done is not None and done.complete and done.text == text and done.version == version:
            return  # an earlier task already linted this very version
        if not is_candidate(path, text):
            self._publish_if_needed(uri, state, None, version)
            return
        config = self.configs.for_path(path)
        loop = asyncio.get_running_loop()
        generation = state.generation

        def superseded() -> bool:  # asked from the worker thread too
            return uri not in self.docs or state.generation != generation

        memo: dict[tuple[str, str, str], list[Any]] = {}
        for fast in (True, False):
            # One lint at a time: a second thread would only slow the first down (2 cores, the GIL);
            # the lock is let go between the steps so that a newer text's fast step comes first.
            async with self.lint_lock:
                if superseded():
                    return
                job = functools.partial(lint_document, path, text, version, config, fast=fast, memo=memo,
                                        stop=superseded, previous=state.linted)
                linted = await loop.run_in_executor(None, job)
            latest = self.workspace.get_text_document(uri)
            if superseded() or latest.version != version or latest.source != text:
                return  # stale: a newer version is (or will be) linted
            state.linted = linted
            self._publish_if_needed(uri, state, linted, version)
            if linted.is_definition and not linted.result.unparsable:
                state.good_text = text  # navigation on later, half-typed texts starts from this one
        if linted.is_definition and not linted.result.unparsable:
            # Warm the navigation view off the event loop once typing pauses (requests build it
            # themselves otherwise).
            await asyncio.sleep(SNAPSHOT_IDLE)
            if superseded():
                return
            async with self.lint_lock:
                snapshot = await loop.run_in_executor(None, build_snapshot, path, text, version)
            if snapshot is not None and state.good_text == text:
                state.good = snapshot
                if self.workspace.get_text_document(uri).source == text:
                    state.snapshot = snapshot
            if not superseded():
                memory.collect_when_idle()  # typing paused: the cycles wait no longer (lsp.memory)

    def _publish_if_needed(self, uri: str, state: DocState, linted: Linted | None, version: int | None) -> None:
        # Other JSON/YAML files stay quiet unless they are (or just were) definitions.
        show = linted is not None and (
            is_asl_path(self.path_of(uri)) or linted.is_definition or (state.published and linted.result.unparsable)
        )
        if show and linted is not None:
            self.publish(uri, version, linted.diagnostics)
            state.published = True
        elif state.published:
            self.publish(uri, version, [])
            state.published = False

    def publish(self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics)
        )

    def relint_all(self) -> None:
        for uri in list(self.docs):
            self.schedule(uri, 0, force=True)

    def relint_project_of(self, paths: list[str], skip: frozenset[str] = frozenset()) -> None:
        """Files changed on disk (saved, or seen by the client's file watcher): lint again every other
        open document of the same project, whose deployment they may change (a template, tfvars,
        a policy document). The project caches notice what changed (``sources.stamps``)."""
        from asl_lint.sources.project import project_root

        roots = {project_root(os.path.dirname(os.path.abspath(path))) for path in paths}
        for uri in list(self.docs):
            if uri in skip:  # (an open document's own save re-lints it already)
                continue
            folder = os.path.dirname(os.path.abspath(self.path_of(uri)))
            if project_root(folder) in roots:
                self.schedule(uri, 0, force=True)


def guarded(default: Any) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """A request handler that logs its failure and answers ``default`` instead of crashing."""

    def wrap(fn: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(fn)
        def inner(ls: AslLanguageServer, params: Any) -> Any:
            try:
                return fn(ls, params)
            except Exception:
                log.exception("%s failed", fn.__name__)
                return default

        return inner

    return wrap


def create_server() -> AslLanguageServer:
    server = AslLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AslLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        if is_config_file(ls.path_of(uri)):
            return
        ls.state(uri)
        ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AslLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.docs:
            ls.schedule(uri, CHANGE_DELAY)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: AslLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if is_config_file(ls.path_of(uri)):
            ls.configs.clear()  # the project's config changed: every document is linted again
            ls.relint_all()
            return
        if uri in ls.docs:
            ls.schedule(uri, 0, force=True)
        ls.relint_project_of([ls.path_of(uri)], skip=frozenset({uri}))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: AslLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [ls.path_of(change.uri) for change in params.changes]
        if any(is_config_file(path) for path in paths):
            ls.configs.clear()
            ls.relint_all()
        elif paths:
            ls.relint_project_of(paths, skip=frozenset(change.uri for change in params.changes))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AslLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        state = ls.docs.pop(uri, None)
        if state is None:
            return
        if state.task is not None and state.waiting:
            state.task.cancel()  # a lint already running finishes and finds the document gone
        if state.published:
            ls.publish(uri, None, [])

    from asl_lint.lsp import features

    features.register(server, guarded)
    return server


def serve(reader: BinaryIO | None = None, writer: BinaryIO | None = None) -> None:
    """Run the language server until the client says exit: over stdio, or the given byte streams
    (a socket or pipe connection the client opened, see ``asl-lint lsp --socket/--pipe``)."""
    # stderr only: stdout carries the protocol. pygls logs every message at INFO: too chatty.
    logging.basicConfig(level=logging.WARNING, format="asl-lint lsp: %(levelname)s %(name)s %(message)s")
    log.setLevel(logging.INFO)
    server = create_server()
    memory.settle()
    server.start_io(reader, writer)
