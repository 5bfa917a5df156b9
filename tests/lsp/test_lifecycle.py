"""Editors' real capabilities (pytest-lsp checks every answer against them), clean shutdown/exit,
and the project's config honoured."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.helpers import change_full, machine, open_doc, pos, record_publications, uri_for, wait_diagnostics

TEXT = machine({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Bee"},
                "B": {"Type": "Succeed"}})


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "asl_lint", "lsp"]),
    params=["neovim", "visual_studio_code"],
)
async def editor(lsp_client: LanguageClient, request: pytest.FixtureRequest) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities(request.param))
    )
    record_publications(lsp_client)
    yield  # the test itself shuts the server down


@pytest.mark.asyncio
async def test_editor_session_then_clean_exit(editor: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "editor.asl.json")
    diags = await open_doc(editor, uri, TEXT)
    ident = types.TextDocumentIdentifier(uri=uri)
    assert await editor.text_document_hover_async(types.HoverParams(ident, pos(TEXT, '"Bee"', 1))) is not None
    assert await editor.text_document_document_symbol_async(types.DocumentSymbolParams(ident))
    await editor.text_document_completion_async(types.CompletionParams(ident, pos(TEXT, '"Bee"', 1)))
    diag = next(d for d in diags if d.code == "ASL101")
    actions = await editor.text_document_code_action_async(
        types.CodeActionParams(ident, diag.range, types.CodeActionContext(diagnostics=[diag]))
    )
    assert actions
    editor.text_document_did_close(types.DidCloseTextDocumentParams(ident))
    assert await wait_diagnostics(editor, uri, complete=False) == []  # closing clears what was published
    await editor.shutdown_session()
    server = editor._server
    assert server is not None and server.returncode == 0


@pytest.mark.asyncio(loop_scope="module")
async def test_project_config_is_honoured(client: LanguageClient, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".asl-lint.toml").write_text('ignore = ["ASL101"]\n', encoding="utf-8")
    uri = uri_for(project, "configured.asl.json")
    diags = await open_doc(client, uri, TEXT)
    assert diags and not [d for d in diags if d.code == "ASL101"]
    change_full(client, uri, 2, TEXT.replace("Bee", "Bea"))
    assert not [d for d in await wait_diagnostics(client, uri, 2) if d.code == "ASL101"]
