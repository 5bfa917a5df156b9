"""``${...}`` placeholders left in a definition: where they are, and whether one is an escaped literal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asl_lint.source.pointer import escape
from asl_lint.sources.base import PLACEHOLDER, Placeholder

# How the deployed text spells a literal "${": CloudFormation's Fn::Sub writes ``${!Name}``,
# Terraform's templatefile ``$${name}``. Neither is a placeholder.
ESCAPES = ("${!", "$${")


def find_placeholders(definition: Any, base: str = "") -> list[Placeholder]:
    """Every ``${...}`` in a string of the definition, with the pointer of its string."""
    found: list[Placeholder] = []
    if isinstance(definition, str) and "${" in definition:
        found += [Placeholder(match.group(1), base) for match in PLACEHOLDER.finditer(definition)]
    # A container's path is a link to its parent's: pointers are written only for the strings
    # that hold a placeholder, not for every container of a large definition.
    Chain = tuple[Any, Any] | None
    stack: list[tuple[Any, Chain]] = [(definition, None)] if isinstance(definition, dict | list) else []
    while stack:
        node, chain = stack.pop()
        members = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in members:
            if isinstance(child, dict | list):
                stack.append((child, (chain, key)))
            elif isinstance(child, str) and "${" in child:
                keys: list[Any] = []
                link: Chain = (chain, key)
                while link is not None:
                    link, step = link
                    keys.append(step)
                pointer = base + "".join(f"/{escape(step)}" for step in reversed(keys))
                found += [Placeholder(match.group(1), pointer) for match in PLACEHOLDER.finditer(child)]
    found.sort(key=lambda p: p.pointer)
    return found


@dataclass(frozen=True)
class Occurrence:
    """One ``${name}`` inside a string of the definition."""

    pointer: str  # of the string, relative to the definition root
    name: str
    span: tuple[int, int]  # code points of the placeholder inside the string
    whole: bool  # the string is exactly this placeholder


def is_pseudo(name: str) -> bool:
    """CloudFormation pseudo parameters (AWS::Region, …): unknown by nature, never reported.

    ``${!X}`` outside Fn::Sub keeps its ``!``: no placeholder either.
    """
    return name.startswith(("AWS::", "!", "Ref:AWS::"))


def occurrences(definition: Any, placeholders: list[Placeholder]) -> list[Occurrence]:
    """Every placeholder occurrence, in document order (objects in key order)."""
    from asl_lint.source.pointer import resolve

    if not placeholders:
        return []  # (the walk below is a tenth of a re-lint of a large definition)
    order = _document_order(definition)
    out: list[Occurrence] = []
    for pointer in sorted({p.pointer for p in placeholders}, key=lambda p: order.get(p, len(order))):
        try:
            value = resolve(definition, pointer)
        except KeyError:
            continue
        if isinstance(value, str):
            for match in PLACEHOLDER.finditer(value):
                out.append(Occurrence(pointer, match.group(1), (match.start(), match.end()), match.group(0) == value))
    return out


def _document_order(definition: Any) -> dict[str, int]:
    """Pointer → position of every string value, walking objects in key order."""
    order: dict[str, int] = {}
    stack: list[tuple[Any, str]] = [(definition, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            stack.extend(reversed([(v, f"{pointer}/{escape(k)}") for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(v, f"{pointer}/{i}") for i, v in enumerate(node)]))
        elif isinstance(node, str):
            order[pointer] = len(order)
    return order


def escaped_in_file(raw: str, name: str) -> bool:
    """Whether the file text of a string writes ``${name}`` only in an escaped form (``${!name}``,
    ``$${name}``): the deployed text then holds the literal ``${name}``."""
    import re

    escaped = re.search(r"(?:\$\{!|\$\$\{)" + re.escape(name.lstrip("!")) + r"\}", raw) is not None
    plain = re.search(r"(?<!\$)\$\{" + re.escape(name) + r"\}", raw) is not None
    return escaped and not plain
