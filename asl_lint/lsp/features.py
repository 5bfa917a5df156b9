"""Registers the request handlers (hover, navigation, completion, symbols, rename, code actions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asl_lint.lsp.server import AslLanguageServer


def register(server: AslLanguageServer, guarded: Callable[[Any], Callable[..., Any]]) -> None:
    pass
