"""Scanning a whole parsed JSON/YAML document: every member name and string value, with its path.

Name/Value pairs (ECS and Batch container `Environment`, CodeBuild `EnvironmentVariablesOverride`,
command-line argument lists) carry the key context in a sibling member, so the `Name` is used as the key
of the `Value`; a `Type` of SECRETS_MANAGER / PARAMETER_STORE marks the value as a reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from asl_lint.secrets.detector import AllowList, SecretMatch, scan

Path = tuple[str | int, ...]
_REFERENCE_TYPES = frozenset({"SECRETS_MANAGER", "PARAMETER_STORE"})


@dataclass(frozen=True)
class TreeMatch:
    """A secret found at `path` (members/indices from the root); `in_key` when found in the member name
    `path[-1]` itself rather than in its value."""

    path: Path
    in_key: bool
    match: SecretMatch


def _context_key(node: dict[str, Any], member: str) -> str:
    """The key that describes `member`'s value: the sibling Name for Name/Value pairs."""
    if member in ("Value", "value"):
        name = node.get("Name", node.get("name", node.get("Key", node.get("key"))))
        if isinstance(name, str):
            return name
    return member


def scan_tree(node: Any, *, allow: AllowList | None = None, path: Path = ()) -> Iterator[TreeMatch]:
    """Every secret in a parsed document, depth first, in document order."""
    if isinstance(node, dict):
        kind = node.get("Type", node.get("type"))
        is_reference_pair = isinstance(kind, str) and kind in _REFERENCE_TYPES
        for member, value in node.items():
            name = str(member)
            for m in scan(name, allow=allow):
                yield TreeMatch((*path, name), True, m)
            if isinstance(value, str):
                if is_reference_pair and name in ("Value", "value"):
                    continue
                for m in scan(value, key=_context_key(node, name), allow=allow):
                    yield TreeMatch((*path, name), False, m)
            else:
                yield from scan_tree(value, allow=allow, path=(*path, name))
    elif isinstance(node, list):
        member = next((p for p in reversed(path) if isinstance(p, str)), None)
        previous: Any = None
        for index, item in enumerate(node):
            if isinstance(item, str):
                # command lines: ["--db-password", "<value>"] – the flag names the value
                flag = isinstance(previous, str) and previous.startswith("-") and not item.startswith("-")
                key = previous.lstrip("-") if flag else member
                for m in scan(item, key=key, allow=allow):
                    yield TreeMatch((*path, index), False, m)
            else:
                yield from scan_tree(item, allow=allow, path=(*path, index))
            previous = item
    elif isinstance(node, str):
        for m in scan(node, allow=allow):
            yield TreeMatch(path, False, m)
