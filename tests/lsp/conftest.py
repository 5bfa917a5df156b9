"""A pytest-lsp client driving ``python -m asl_lint lsp`` over stdio, and helpers to talk to it."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.helpers import record_publications

SERVER = [sys.executable, "-m", "asl_lint", "lsp"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    record_publications(lsp_client)
    yield
    await lsp_client.shutdown_session()
