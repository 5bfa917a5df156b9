"""CloudFormation intrinsic functions as they meet a state machine definition.

Only literals are known. ``Fn::Sub`` and ``Fn::Join`` are filled in as far as their literal parts
go; anything else (``Ref``, ``Fn::GetAtt``, ``Fn::If`` …) becomes a readable ``${…}`` placeholder,
which the rest of asl-lint treats as an unknown value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from asl_lint._lazy import lazy_compile
from asl_lint.sources.base import PLACEHOLDER
from asl_lint.sources.substitute import literal

_WHOLE_PLACEHOLDER = lazy_compile(r"\$\{([^}]*)\}\Z")


def intrinsic_name(value: Any) -> str | None:
    """The function name when ``value`` is a CloudFormation intrinsic ({"Ref": …}, {"Fn::X": …})."""
    if isinstance(value, dict) and len(value) == 1:
        (name,) = value
        if name == "Ref" or (isinstance(name, str) and name.startswith("Fn::")):
            return str(name)
    return None


def unknown_token(value: Any) -> str:
    """A readable unknown placeholder for an intrinsic: ``${Ref:Bucket}``, ``${GetAtt:Fn.Arn}``."""
    name = intrinsic_name(value) or "Value"
    arg = value.get(name) if isinstance(value, dict) else None
    if name == "Ref" and isinstance(arg, str):
        return "${Ref:" + arg + "}"
    if name == "Fn::GetAtt":
        if isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            return "${GetAtt:" + ".".join(arg) + "}"
        if isinstance(arg, str):
            return "${GetAtt:" + arg + "}"
    return "${" + name + "}"


def typed_literals(mapping: Any) -> dict[str, Any]:
    """The literal entries of a substitution map with their own types (names → values)."""
    if not isinstance(mapping, dict):
        return {}
    return {str(key): value for key, value in mapping.items() if literal(value) is not None}


def text_literals(mapping: Any) -> dict[str, str]:
    """The literal entries of a substitution map (names → text)."""
    if not isinstance(mapping, dict):
        return {}
    known: dict[str, str] = {}
    for key, value in mapping.items():
        text = literal(value)
        if text is not None:
            known[str(key)] = text
    return known


def resolve_object(node: Any, subs: dict[str, str], typed: dict[str, Any]) -> Any:
    """A copy of an object ``Definition`` with substitutions applied and intrinsics made unknown."""
    stack: list[tuple[Any, Callable[[Any], None]]] = []
    root: list[Any] = [None]

    def set_root(value: Any) -> None:
        root[0] = value

    stack.append((node, set_root))
    while stack:
        value, store = stack.pop()
        name = intrinsic_name(value)
        if name is not None:
            store(_intrinsic_value(value, name, subs))
        elif isinstance(value, dict):
            copy: dict[Any, Any] = {}
            store(copy)
            for key, child in value.items():
                stack.append((child, _setter(copy, key)))
        elif isinstance(value, list):
            items: list[Any] = [None] * len(value)
            store(items)
            for index, child in enumerate(value):
                stack.append((child, _setter(items, index)))
        elif isinstance(value, str) and "${" in value:
            whole = _WHOLE_PLACEHOLDER.match(value)
            if whole and whole.group(1) in typed:
                store(typed[whole.group(1)])
            else:
                store(PLACEHOLDER.sub(lambda m: subs.get(m.group(1), m.group(0)), value))
        else:
            store(value)
    return root[0]


def _setter(container: Any, key: Any) -> Callable[[Any], None]:
    def store(value: Any) -> None:
        container[key] = value

    return store


def _intrinsic_value(value: dict[str, Any], name: str, subs: dict[str, str], depth: int = 0) -> Any:
    """An intrinsic inside an object Definition as text: Sub and Join with their literal parts
    filled in and the rest as ``${…}`` unknowns; any other function is wholly unknown."""
    arg = value[name]
    if depth > 20:
        return unknown_token(value)
    if name == "Fn::Sub":
        body: Any = arg
        variables: Any = {}
        if isinstance(arg, list) and arg:
            body, variables = arg[0], arg[1] if len(arg) > 1 else {}
        if isinstance(body, str):
            local = text_literals(variables)

            def fill(match: re.Match[str]) -> str:
                name = match.group(1)
                if name.startswith("!"):
                    return "${" + name[1:] + "}"
                return local.get(name, match.group(0))

            resolved = PLACEHOLDER.sub(fill, body)
            return PLACEHOLDER.sub(lambda m: subs.get(m.group(1), m.group(0)), resolved)
    if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) \
            and isinstance(arg[1], list):
        parts: list[str] = []
        for part in arg[1]:
            inner = intrinsic_name(part)
            text = literal(part) if inner is None else _intrinsic_value(part, inner, subs, depth + 1)
            parts.append(text if isinstance(text, str) else unknown_token(part))
        return arg[0].join(parts)
    return unknown_token(value)
