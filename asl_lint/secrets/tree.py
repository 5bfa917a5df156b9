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
# Member names in which ``scan`` finds nothing, whatever the allow-list (it only removes matches):
# the same few dozen names make up most of every definition.
_CLEAN_NAMES: set[str] = set()


def _scan(node: Any, allow: AllowList | None, allowed: Any, path: Path) -> Iterator[TreeMatch]:
    if isinstance(node, dict):
        found: Any = _object(node, allow, allowed)
    elif isinstance(node, list):
        found = _list(node, next((p for p in reversed(path) if isinstance(p, str)), None), allow, allowed)
    elif isinstance(node, str):
        found = [((), False, m) for m in scan(node, allow=allow)]
    else:
        return
    for relative, in_key, match in found:
        yield TreeMatch((*path, *relative), in_key, match)


# (Lists and plain loops below, not nested generators: a definition has thousands of objects and
# few secrets, and every generator level cost more than the scan of its strings.)
def _object(node: dict[str, Any], allow: AllowList | None, allowed: Any) -> _Found:
    """The matches below one object, paths from it, in document order."""
    entry = (id(node), allowed)
    seen = _SEEN.get(entry)
    if seen is not None and seen[0] is node:
        return seen[1]
    out: list[tuple[Path, bool, SecretMatch]] = []
    kind = node.get("Type", node.get("type"))
    is_reference_pair = isinstance(kind, str) and kind in _REFERENCE_TYPES
    for member, value in node.items():
        name = str(member)
        if len(name) >= MIN_LENGTH and name not in _CLEAN_NAMES:  # (``scan`` finds nothing in shorter text)
            if not scan(name):
                if len(_CLEAN_NAMES) >= _SEEN_SIZE:
                    _CLEAN_NAMES.clear()
                _CLEAN_NAMES.add(name)
            else:
                out += [((name,), True, m) for m in scan(name, allow=allow)]
        if isinstance(value, str):
            if len(value) < MIN_LENGTH or (is_reference_pair and name in ("Value", "value")):
                continue
            out += [((name,), False, m) for m in scan(value, key=_context_key(node, name), allow=allow)]
        elif isinstance(value, dict):
            out += [((name, *relative), in_key, m) for relative, in_key, m in _object(value, allow, allowed)]
        elif isinstance(value, list):
            out += [((name, *relative), in_key, m) for relative, in_key, m in _list(value, name, allow, allowed)]
    found = tuple(out)
    if len(_SEEN) >= _SEEN_SIZE:
        _SEEN.clear()
    _SEEN[entry] = (node, found)
    return found


def _list(node: list[Any], member: str | None, allow: AllowList | None, allowed: Any
          ) -> list[tuple[Path, bool, SecretMatch]]:
    """The matches below one list, paths from it; ``member``: the name of the member holding it."""
    out: list[tuple[Path, bool, SecretMatch]] = []
    previous: Any = None
    for index, item in enumerate(node):
        if isinstance(item, str):
            if len(item) < MIN_LENGTH:
                previous = item
                continue
            # command lines: ["--db-password", "<value>"] – the flag names the value
            flag = isinstance(previous, str) and previous.startswith("-") and not item.startswith("-")
            key = previous.lstrip("-") if flag else member
            out += [((index,), False, m) for m in scan(item, key=key, allow=allow)]
        elif isinstance(item, dict):
            out += [((index, *relative), in_key, m) for relative, in_key, m in _object(item, allow, allowed)]
        elif isinstance(item, list):
            out += [((index, *relative), in_key, m) for relative, in_key, m in _list(item, member, allow, allowed)]
        previous = item
    return out
