"""RFC 6901 JSON pointers."""

from __future__ import annotations

from typing import Any


def escape(token: str | int) -> str:
    text = str(token)
    if "~" not in text and "/" not in text:  # nearly every name (the parser escapes each key)
        return text
    return text.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: str | int) -> str:
    """Append reference tokens to a pointer: ``join("/States", "A b")`` -> ``"/States/A b"``."""
    for token in tokens:
        base = f"{base}/{escape(token)}"
    return base


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [unescape(t) for t in pointer[1:].split("/")]


def parent(pointer: str) -> str:
    return pointer[: pointer.rfind("/")] if pointer else ""


def resolve(document: Any, pointer: str) -> Any:
    """The value at ``pointer``; raises KeyError when it does not exist."""
    node = document
    for token in split(pointer):
        if isinstance(node, dict):
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit():
                raise KeyError(pointer)
            index = int(token)
            if index >= len(node):
                raise KeyError(pointer)
            node = node[index]
        else:
            raise KeyError(pointer)
    return node
