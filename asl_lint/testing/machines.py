"""The one place workflow tests load state machines from: ``load_machine(path, resource)``.

A suite's ``stateMachine`` is a definition file (JSON/YAML) or a CloudFormation/SAM template
(``Definition``, ``DefinitionString``, or ``DefinitionUri`` to a local file, with its
``DefinitionSubstitutions``); ``resource`` names the machine when a template has several. The
result keeps where the definition's text is, so coverage findings point into the right file.
"""

from __future__ import annotations

import os
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
    definition: dict[str, Any]  # what runs: substitutions applied
    file: str  # the file holding the definition's text, as reports show it
    text: str  # that file's text (positions of coverage findings)
    spans: SpanLookup  # pointer relative to the definition root -> span in ``file``
    name: str  # the resource's logical id, or the definition file's name without .asl.json
    resource: str | None = None
    machine_type: str = "STANDARD"
    pointer: str = ""  # of the definition in ``file`` (``/Resources/X/Properties/Definition``)

    @property
    def label(self) -> str:
        return f"{self.file}#{self.resource}" if self.resource else self.file


def machine_name(path: Path) -> str:
    """``order.asl.json`` -> ``order``: how a standalone definition is named in mock configs."""
    name = path.name
    for suffix in (".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def load_machine(path: Path, display: str, resource: str | None = None) -> LoadedMachine:
    """The state machine in ``path`` (``resource`` picks one in a template); MachineError when impossible."""
    from asl_lint.engine.runner import decode, detect_format, parse_text
    from asl_lint.locate import locate
    from asl_lint.locate.base import is_template

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MachineError(f"cannot read {display}: {exc.strerror}") from None
    text, problems, unreadable = decode(data)
    if unreadable:
        raise MachineError(f"{display}: {problems[0].message}")
    parsed = parse_text(text.lstrip("\ufeff"), detect_format(str(path), text))
    if parsed.fatal:
        raise MachineError(f"{display} is not valid JSON or YAML: {parsed.problems[0].message}")
    located = locate(parsed, path, text)
    if not located.is_template and not is_template(parsed.value):
        if resource is not None:
            raise MachineError(f"{display} is a single state machine definition; it has no resource '{resource}'")
        only = located.definitions[0] if located.definitions else None
        if only is None or not isinstance(only.definition, dict) or "StartAt" not in only.definition:
            raise MachineError(f"{display} holds no state machine definition (no top-level StartAt and States)")
        return LoadedMachine(only.definition, display, text, only.spans, machine_name(path))
    return _from_template(parsed.value, path, display, text, located.definitions, resource)


def _from_template(
    template: dict[str, Any], path: Path, display: str, text: str, definitions: list[Any], resource: str | None
) -> LoadedMachine:
    from asl_lint.locate.template import KINDS

    resources = template.get("Resources") or {}
    machines = [
        str(logical) for logical, body in resources.items()
        if isinstance(body, dict) and body.get("Type") in KINDS
    ]
    if not machines:
        raise MachineError(f"{display} is a template without state machines")
    if resource is None:
        if len(machines) > 1:
            raise MachineError(f"{display} has {len(machines)} state machines ({', '.join(machines)}); "
                               "name one with resource:")
        resource = machines[0]
    if resource not in machines:
        from asl_lint.testing.document import did_you_mean

        raise MachineError(f"{display} has no state machine resource '{resource}'{did_you_mean(resource, machines)} "
                           f"(it has {', '.join(machines)})")
    props = resources[resource].get("Properties") or {}
    machine_type = str(props.get("StateMachineType") or props.get("Type") or "STANDARD").upper()
    found = next((d for d in definitions if d.resource == resource), None)
    if found is not None:
        return LoadedMachine(found.definition, display, text, found.spans, resource, resource, machine_type,
                             found.pointer)
    uri = props.get("DefinitionUri")
    if isinstance(uri, str) and "://" not in uri:
        return _from_uri(template, resource, path.parent / uri, display, uri, machine_type)
    raise MachineError(f"the definition of {resource} in {display} cannot be read statically "
                       "(DefinitionS3Location, an S3 DefinitionUri, or a DefinitionString asl-lint cannot rebuild)")


def _from_uri(
    template: dict[str, Any], resource: str, file: Path, display: str, uri: str, machine_type: str
) -> LoadedMachine:
    """A SAM ``DefinitionUri`` to a local file, with the template's DefinitionSubstitutions applied."""
    from asl_lint.iam.sources import apply_substitutions, substitutions_for_state_machine

    shown = os.path.normpath(os.path.join(os.path.dirname(display), uri))
    inner = load_machine(file, shown)
    substitutions = substitutions_for_state_machine(template, resource)
    definition: Any = apply_substitutions(inner.definition, substitutions) if substitutions else inner.definition
    return LoadedMachine(definition, shown, inner.text, inner.spans, resource, resource, machine_type)
