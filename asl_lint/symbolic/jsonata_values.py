"""Abstract values of JSONata ``Output`` templates: literals stay constants, ``$states.input`` /
``$states.result`` (and their member paths) read the abstract data, any other expression is unknown."""

from __future__ import annotations

import re
from typing import Any

from asl_lint.symbolic.domain import TOP, AVal, Member, of_value, read

_STATES_PATH = re.compile(r"^\{%\s*\$states\.(input|result)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*%\}$")


def output_value(template: Any, states_input: AVal, result: AVal | None) -> AVal:
    if isinstance(template, str):
        if not (template.startswith("{%") and template.endswith("%}")):
            return of_value(template)
        match = _STATES_PATH.match(template)
        if match is None:
            return TOP
        base = states_input if match.group(1) == "input" else result
        if base is None:
            return TOP
        steps = tuple(s for s in match.group(2).split(".") if s)
        presence, value = read(base, steps)
        # A JSONata path over arrays maps and flattens: only plain object members are trusted.
        return value if presence == "yes" and not _through_arrays(base, steps) else TOP
    if isinstance(template, dict):
        from asl_lint.sources.base import is_unknown

        known = {k: v for k, v in template.items() if not is_unknown(k)}
        return AVal(frozenset({"object"}), members={
            k: Member("yes", output_value(v, states_input, result)) for k, v in known.items()},
            closed=len(known) == len(template))
    if isinstance(template, list):
        return AVal(frozenset({"array"}), items=tuple(output_value(v, states_input, result) for v in template))
    return of_value(template)


def _through_arrays(base: AVal, steps: tuple[str, ...]) -> bool:
    for i in range(len(steps) + 1):
        _, value = read(base, steps[:i])
        if "array" in value.types:
            return True
    return False


def certainly_undefined(template: Any, states_input: AVal, pointer: str) -> list[tuple[str, str]]:
    """(pointer, expression) of every ``{% $states.input.a.b %}`` in ``template`` that selects a
    member every input lacks, through objects only (so no array mapping can find it)."""
    from asl_lint.source.pointer import escape

    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(template, pointer)]
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, str):
            match = _STATES_PATH.match(node)
            if match is None or match.group(1) != "input":
                continue
            steps = tuple(s for s in match.group(2).split(".") if s)
            if steps and read(states_input, steps)[0] == "no" and _objects_only(states_input, steps):
                found.append((ptr, node[2:-2].strip()))
        elif isinstance(node, dict):
            stack += [(v, f"{ptr}/{escape(k)}") for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, f"{ptr}/{i}") for i, v in enumerate(node)]
    return found


def _objects_only(base: AVal, steps: tuple[str, ...]) -> bool:
    """Every value on the way to the missing member is certainly an object."""
    for i in range(len(steps)):
        presence, value = read(base, steps[:i])
        if presence == "no":
            return True
        if presence != "yes" or not value.only("object"):
            return False
    return True
