"""What locating produces, and the dispatch between standalone files and templates."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.text import Span

SpanLookup = Callable[[str], NodeSpan | None]
PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class Placeholder:
    """A ``${Name}`` left in the definition whose value is unknown (ASL006)."""

    name: str
    pointer: str  # relative to the definition root


@dataclass
class LocatedDefinition:
    """One state machine definition found in a file.

    ``spans`` maps a pointer relative to the definition root to the node's place in the *file*
    text, also when the definition was parsed out of a ``DefinitionString`` (offsets mapped back).
    """

    definition: Any
    pointer: str
    spans: SpanLookup
    kind: Literal["standalone", "cfn", "sam"] = "standalone"
    resource: str | None = None
    template: Any = None
    substitutions: dict[str, Any] = field(default_factory=dict)
    placeholders: list[Placeholder] = field(default_factory=list)
    size: int = 0  # characters of the definition as AWS receives it (for the 1 MB quota)
    embedded_string: bool = False  # parsed from a DefinitionString
    # File span of code points [a, b) of the decoded string at a relative pointer, through escapes
    # and substitutions; None when unknown (then the caller narrows the span itself).
    string_span: Callable[[str, int, int], Span | None] | None = None

    def file_pointer(self, relative: str) -> str:
        return self.pointer + relative


@dataclass
class LocateResult:
    definitions: list[LocatedDefinition] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    is_template: bool = False


def is_definition(value: Any) -> bool:
    return isinstance(value, dict) and "StartAt" in value and "States" in value


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
            # No "${" in the text (nor an escape that could spell one): no placeholder to look for.
            placeholders=find_placeholders(value) if "${" in text or "\\" in text else [],
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


def is_unknown(value: Any) -> bool:
    """True for values a placeholder stands for (never a reason for an error)."""
    return isinstance(value, str) and "${" in value and PLACEHOLDER.search(value) is not None
