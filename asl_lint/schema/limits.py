"""ASL005: static quotas of reference/asl-semantics.md §12 and §11 that the schema cannot express.

(Numeric field maxima live in the schema as ``maximum``/``maxLength`` and are reported as ASL005
by the schema translation.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from asl_lint.model.machine import State, StateMachine
from asl_lint.schema.messages import SchemaProblem, render
from asl_lint.schema.variables import assigned

MAX_DEFINITION_CHARS = 1_048_576
MAX_NAME = 80
MAX_LABEL = 40
# Characters AWS forbids in a Distributed Map Label (it becomes part of the Map Run ARN).
LABEL_FORBIDDEN = set(' \t\n\r\x0b\x0c?*<>{}[]:;,\\^~$#%&"|`')


def _label_bad_char(label: str) -> str | None:
    for char in label:
        code = ord(char)
        if char in LABEL_FORBIDDEN or char.isspace() or code <= 0x1F or 0x7F <= code <= 0x9F:
            return char
    return None


def definition_size(size: int) -> Iterator[SchemaProblem]:
    if size > MAX_DEFINITION_CHARS:
        yield SchemaProblem(
            "",
            f"The definition is {size:,} characters long; AWS accepts at most "
            f"{MAX_DEFINITION_CHARS:,} (1 MB). Move large constants out of the definition",
        )


def limit_problems(
    machine: StateMachine, unknown: Callable[[Any], bool], express: bool
) -> Iterator[SchemaProblem]:
    for state in machine.states:
        if len(state.name) > MAX_NAME and not unknown(state.name):
            yield SchemaProblem(
                state.pointer,
                f"State name '{state.name[:30]}…' is {len(state.name)} characters "
                f"long; AWS accepts at most {MAX_NAME}",
                "key",
            )
        yield from _label(state, unknown)
        yield from _variables(state)
        if express:
            yield from _express(state)


def _label(state: State, unknown: Callable[[Any], bool]) -> Iterator[SchemaProblem]:
    label = state.raw.get("Label") if state.type == "Map" else None
    if not isinstance(label, str) or unknown(label):
        return
    pointer = state.ptr("Label")
    if not label:
        yield SchemaProblem(pointer, f"The Label of Map state '{state.name}' must not be empty")
    elif len(label) > MAX_LABEL:
        yield SchemaProblem(
            pointer,
            f"The Label of Map state '{state.name}' is {len(label)} characters long; "
            f"AWS accepts at most {MAX_LABEL}",
        )
    else:
        bad = _label_bad_char(label)
        if bad is not None:
            shown = repr(bad) if bad.isprintable() else f"U+{ord(bad):04X}"
            yield SchemaProblem(
                pointer,
                f"The Label of Map state '{state.name}' contains {shown}, which AWS does "
                "not allow in labels (no whitespace, control characters or any of "
                '? * < > { } [ ] : ; , \\ ^ ~ $ # % & " | `)',
            )


def _variables(state: State) -> Iterator[SchemaProblem]:
    for item in assigned(state):
        if len(item.name) > MAX_NAME:
            yield SchemaProblem(
                item.pointer,
                f"Variable name {render(item.name[:30] + '…')} is {len(item.name)} "
                f"characters long; AWS accepts at most {MAX_NAME}",
                "key",
            )


def _express(state: State) -> Iterator[SchemaProblem]:
    resource = state.resource if state.type == "Task" else None
    if resource is None or "${" in resource:
        return
    pointer = state.ptr("Resource")
    if resource.endswith(".sync") or ".sync:" in resource:
        yield SchemaProblem(
            pointer,
            "Express state machine does not support '.sync' service integration: "
            "use a Standard state machine or the request-response integration",
        )
    elif resource.endswith(".waitForTaskToken"):
        yield SchemaProblem(
            pointer,
            "Express state machine does not support '.waitForTaskToken' service "
            "integration: use a Standard state machine",
        )
    elif ":activity:" in resource and resource.startswith("arn:"):
        yield SchemaProblem(
            pointer, "Express state machine does not support Activity ARN: use a Standard state machine"
        )
