"""Scanning a whole parsed JSON/YAML document: every member name and string value, with its path.

Name/Value pairs (ECS and Batch container `Environment`, CodeBuild `EnvironmentVariablesOverride`,
command-line argument lists) carry the key context in a sibling member, so the `Name` is used as the key
of the `Value`; a `Type` of SECRETS_MANAGER / PARAMETER_STORE marks the value as a reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from asl_lint.secrets.detector import MIN_LENGTH, AllowList, SecretMatch, scan

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
    allowed = None if allow is None else (allow.values, tuple(p.pattern for p in allow.patterns))
    yield from _scan(node, allow, allowed, path)


# What was found below each object, by identity, paths relative to it: the language server
# re-parses only what an edit touched, so every other state is the very object it was before and
# is not scanned again (the entry holds the object: its id stays its own). What an object holds
# does not depend on where it is (a list's key comes from a member name inside the object).
_Found = tuple[tuple[Path, bool, SecretMatch], ...]
_SEEN: dict[tuple[int, Any], tuple[Any, _Found]] = {}
_SEEN_SIZE = 20_000


def _scan(node: Any, allow: AllowList | None, allowed: Any, path: Path) -> Iterator[TreeMatch]:
    if isinstance(node, dict):
        entry = (id(node), allowed)
        seen = _SEEN.get(entry)
        if seen is None or seen[0] is not node:
            found = tuple((m.path, m.in_key, m.match) for m in _scan_object(node, allow, allowed))
            if len(_SEEN) >= _SEEN_SIZE:
                _SEEN.clear()
            seen = _SEEN[entry] = (node, found)
        for relative, in_key, match in seen[1]:
            yield TreeMatch((*path, *relative), in_key, match)
    elif isinstance(node, list):
        member = next((p for p in reversed(path) if isinstance(p, str)), None)
        previous: Any = None
        for index, item in enumerate(node):
            if isinstance(item, str):
                if len(item) < MIN_LENGTH:
                    previous = item
                    continue
                # command lines: ["--db-password", "<value>"] – the flag names the value
                flag = isinstance(previous, str) and previous.startswith("-") and not item.startswith("-")
                key = previous.lstrip("-") if flag else member
                for m in scan(item, key=key, allow=allow):
                    yield TreeMatch((*path, index), False, m)
            else:
                yield from _scan(item, allow, allowed, (*path, index))
            previous = item
    elif isinstance(node, str):
        for m in scan(node, allow=allow):
            yield TreeMatch(path, False, m)


def _scan_object(node: dict[str, Any], allow: AllowList | None, allowed: Any) -> Iterator[TreeMatch]:
    """The matches of one object, paths from it."""
    kind = node.get("Type", node.get("type"))
    is_reference_pair = isinstance(kind, str) and kind in _REFERENCE_TYPES
    for member, value in node.items():
        name = str(member)
        if len(name) >= MIN_LENGTH:  # (``scan`` finds nothing in shorter text: most names, many values)
            for m in scan(name, allow=allow):
                yield TreeMatch((name,), True, m)
        if isinstance(value, str):
            if len(value) < MIN_LENGTH or (is_reference_pair and name in ("Value", "value")):
                continue
            for m in scan(value, key=_context_key(node, name), allow=allow):
                yield TreeMatch((name,), False, m)
        elif isinstance(value, dict | list):
            yield from _scan(value, allow, allowed, (name,))
