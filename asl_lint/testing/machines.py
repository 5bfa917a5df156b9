"""The one place workflow tests load state machines from: ``load_machine(path, display, resource)``.

It asks the project loader (:func:`asl_lint.sources.load_machines`) for the machines of a file:
a definition file (with the substitutions of the machine of its project that uses it), a
CloudFormation/SAM template or CDK output (``Definition``, ``DefinitionString``, a local
``DefinitionUri``), a ``serverless.yml`` — every layout ``asl-lint check`` reads. ``resource``
picks the machine when the file has several; the result keeps where the definition's text is, so
coverage findings point into the right file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asl_lint.source.nodes import NodeSpan

SpanLookup = Callable[[str], NodeSpan | None]


class MachineError(Exception):
    """The state machine cannot be loaded (the message says why, without a position)."""


@dataclass
class LoadedMachine:
    definition: dict[str, Any]  # what runs: literal substitutions applied, references left ${...}
    file: str  # the file holding the definition's text, as reports show it
    text: str  # that file's text (positions of coverage findings)
    spans: SpanLookup  # pointer relative to the definition root -> span in ``file``
    name: str  # the machine's name: logical id, Serverless name, or definition file name without .asl.json
    resource: str | None = None  # the id ``resource:`` selects it by (None: a definition file alone)
    machine_type: str = "STANDARD"
    pointer: str = ""  # of the definition in ``file`` (``/Resources/X/Properties/Definition``)

    @property
    def label(self) -> str:
        return f"{self.file}#{self.resource}" if self.resource else self.file


def load_machine(path: Path, display: str, resource: str | None = None) -> LoadedMachine:
    """The state machine in ``path`` (``resource`` picks one); MachineError when there is none to pick."""
    from asl_lint.sources import load_machines
    from asl_lint.sources.machines import LoadError

    problems: list[str] = []
    try:
        found = load_machines(str(path), problems)
    except LoadError as exc:
        raise MachineError(_named(str(exc), str(path), display)) from None
    found = [m for m in found if isinstance(m.definition, dict) and "StartAt" in m.definition]
    if not found:
        why = f": {_named(problems[0], str(path), display)}" if problems else ""
        raise MachineError(f"{display} holds no state machine definition (no top-level StartAt and States){why}")
    ids = [_id(m) for m in found]
    if resource is None:
        if len(found) > 1:
            raise MachineError(f"{display} has {len(found)} state machines ({', '.join(ids)}); name one with resource:")
        chosen = found[0]
    else:
        matches = [m for m in found if resource in (_id(m), m.name)]
        if not matches:
            from asl_lint.testing.document import did_you_mean

            if ids == [None]:
                raise MachineError(f"{display} is a single state machine definition; it has no resource '{resource}'")
            raise MachineError(f"{display} has no state machine resource '{resource}'"
                               f"{did_you_mean(resource, [i for i in ids if i])} (it has {', '.join(map(str, ids))})")
        chosen = matches[0]
    return _loaded(chosen, path, display)


def _id(machine: Any) -> Any:
    return machine.context.id if machine.context is not None else None


def _loaded(machine: Any, path: Path, display: str) -> LoadedMachine:
    import os

    from asl_lint.sources.detect import decode

    same = os.path.realpath(machine.file) == os.path.realpath(path)
    shown = display if same else os.path.normpath(machine.file)
    try:
        text = decode(Path(machine.file).read_bytes())[0].lstrip("\ufeff")
    except OSError:
        text = ""
    context = machine.context
    machine_type = (context.machine_type if context is not None else None) or "STANDARD"
    return LoadedMachine(
        definition=machine.definition,
        file=shown,
        text=text,
        spans=machine.located.spans,
        name=context.name if context is not None else machine.name,
        resource=context.id if context is not None else None,
        machine_type=str(machine_type).upper(),
        pointer=machine.pointer,
    )


def _named(message: str, path: str, display: str) -> str:
    return message.replace(path, display, 1) if path != display else message
