"""The variables a state assigns (``Assign`` of the state, its catchers and its Choice rules)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from asl_lint.model.machine import State
from asl_lint.source.pointer import escape

RESERVED = ("states",)  # $states is the JSONata reserved variable


@dataclass(frozen=True)
class Assigned:
    """A variable an ``Assign`` field sets."""
    pointer: str  # of the key in its Assign object
    key: str  # as written ("x.$" in JSONPath)
    name: str  # the variable's name


def assigned(state: State) -> Iterator[Assigned]:
    holders = [(state.ptr("Assign"), state.raw.get("Assign"))]
    holders += [(state.ptr("Catch", i, "Assign"), c.get("Assign")) for i, c in state.catchers]
    choices = state.raw.get("Choices") if state.type == "Choice" else None
    if isinstance(choices, list):
        holders += [
            (state.ptr("Choices", i, "Assign"), r.get("Assign"))
            for i, r in enumerate(choices)
            if isinstance(r, dict)
        ]
    for pointer, assign in holders:
        if not isinstance(assign, dict):
            continue
        for key in assign:
            # In JSONPath a ".$" suffix marks a path value; the name is what precedes it.
            name = key[:-2] if key.endswith(".$") and not state.jsonata else key
            yield Assigned(f"{pointer}/{escape(key)}", key, name)


def name_problem(item: Assigned) -> str | None:
    """Why a variable name is invalid: a path instead of a name, or the reserved ``states``.

    The character rules (UAX #31) are not enforced: AWS's own checks of them are not recorded, and
    asl-validator's suite accepts a name like ``top-level``.
    """
    name = item.name
    if name in RESERVED:
        return f"Variable name '{name}' is reserved ($states holds the state's input, result and context)"
    if "." in name or "[" in name:
        return (
            f"Variable name '{name}' is not valid: Assign sets whole variables, not paths inside them; "
            "assign the complete value to a plain name"
        )
    return None
