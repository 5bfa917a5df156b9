"""ASL006: the ``${...}`` placeholders nothing resolved, once per name, at the first occurrence."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from asl_lint.locate.base import Placeholder
from asl_lint.source.pointer import escape


@dataclass(frozen=True)
class PlaceholderFinding:
    pointer: str
    name: str
    span: tuple[int, int] | None  # code points of the placeholder inside its string


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


def is_pseudo(name: str) -> bool:
    """CloudFormation pseudo parameters (AWS::Region, …) are unknown by nature.

    ``${!X}`` is Fn::Sub's escape for the literal text ``${X}``: no placeholder at all.
    """
    return name.startswith(("AWS::", "!", "Ref:AWS::"))


def describe(name: str, templated: bool) -> str:
    """What the unknown value is, in the user's terms (the template locator writes CloudFormation
    functions as ``${Ref:X}``, ``${GetAtt:X.Arn}`` or ``${Fn::If}``)."""
    if name.startswith("Ref:"):
        what = f"'!Ref {name[4:]}' is resolved by CloudFormation at deploy time"
    elif name.startswith("GetAtt:"):
        what = f"'!GetAtt {name[7:]}' is resolved by CloudFormation at deploy time"
    elif name.startswith("Fn::") or name == "Value":
        function = name if name != "Value" else "CloudFormation function"
        what = f"This {function} is resolved by CloudFormation at deploy time"
    elif templated:
        what = (
            f"'${{{name}}}' is a substitution placeholder that no DefinitionSubstitutions entry gives a "
            "literal value (an entry set with !Ref or !GetAtt is resolved only at deploy time)"
        )
    else:
        what = f"'${{{name}}}' is a substitution placeholder and it is filled in at deploy time"
    return f"{what}: its value is unknown, and asl-lint treats it as unknown (no rule reports an error because of it)"


def first_occurrences(definition: Any, placeholders: Sequence[Placeholder]) -> Iterator[PlaceholderFinding]:
    from asl_lint.source.pointer import resolve

    if not placeholders:
        return  # (the walk below is a tenth of a re-lint of a large definition)
    order = _document_order(definition)
    seen: set[str] = set()
    for placeholder in sorted(placeholders, key=lambda p: order.get(p.pointer, len(order))):
        name = placeholder.name
        if name in seen or is_pseudo(name):
            continue
        seen.add(name)
        span = None
        try:
            value = resolve(definition, placeholder.pointer)
        except KeyError:
            value = None
        if isinstance(value, str):
            start = value.find("${" + name + "}")
            if start >= 0:
                span = (start, start + len(name) + 3)
        yield PlaceholderFinding(placeholder.pointer, name, span)
