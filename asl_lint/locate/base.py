"""What locating produces, and the dispatch between standalone files and templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asl_lint.source.nodes import ParseResult, SourceProblem
from asl_lint.sources.base import (
    PLACEHOLDER,
    LocatedDefinition,
    Placeholder,
    SpanLookup,
    is_definition,
    is_unknown,
)

__all__ = ["PLACEHOLDER", "LocateResult", "LocatedDefinition", "Placeholder", "SpanLookup", "is_definition",
           "is_unknown", "locate"]

@dataclass
class LocateResult:
    definitions: list[LocatedDefinition] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    is_template: bool = False


def is_template(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("Resources"), dict)


def locate(parsed: ParseResult, path: Path, text: str) -> LocateResult:
    value = parsed.value
    if is_template(value) and not is_definition(value):
        from asl_lint.locate.template import locate_in_template

        return locate_in_template(parsed, path, text)
    result = LocateResult()
    if value is None:
        return result
    spans = parsed.spans
    from asl_lint.engine.runner import detect_format
    from asl_lint.locate.scalars import string_span_lookup

    json_file = detect_format(str(path), text) == "json"
    result.definitions.append(
        LocatedDefinition(
            definition=value,
            pointer="",
            spans=spans.get,
            string_span=string_span_lookup(text, json_file, spans.get, value),
            kind="standalone",
            placeholders=find_placeholders(value),
            size=len(text),
        )
    )
    return result


def find_placeholders(definition: Any, base: str = "") -> list[Placeholder]:
    """Every ``${...}`` in a string of the definition, with the pointer of its string."""
    from asl_lint.source.pointer import escape

    found: list[Placeholder] = []
    stack: list[tuple[Any, str]] = [(definition, base)]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                stack.append((child, f"{pointer}/{escape(key)}"))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                stack.append((child, f"{pointer}/{index}"))
        elif isinstance(node, str) and "${" in node:
            for match in PLACEHOLDER.finditer(node):
                found.append(Placeholder(match.group(1), pointer))
    found.sort(key=lambda p: p.pointer)
    return found
