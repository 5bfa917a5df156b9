"""Every state machine of a file or folder, whatever the layout: the loader the commands share.

``asl-lint iam policy`` uses it, and so can every command that runs or inspects one machine
(``run``, ``test-state``, ``graph``, ``test``): it answers "which machines are here, and what is
each one's definition as it would be deployed" for a definition file, a CloudFormation/SAM
template, a CDK output template, a ``serverless.yml``, a Terraform file, or a folder of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from asl_lint.sources.base import ExternalDefinition, LocatedDefinition, MachineContext


class LoadError(ValueError):
    """A file that cannot be read or parsed, with a message that names it."""


@dataclass
class LoadedMachine:
    """One state machine and its definition as deployed.

    ``definition`` has the machine's literal substitutions applied; references and unknown values
    stay ``${...}`` placeholders. :meth:`resolved` replaces references by the symbolic ARNs the
    IAM layer compares (``arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn.Name}``).
    """

    name: str  # how messages name it (logical id, CDK construct path, Serverless name, file name)
    file: str  # the file that holds the definition (a definition file, or the template inline)
    pointer: str  # where the definition starts in that file ("" for a definition file)
    definition: Any
    context: MachineContext | None  # None: a definition file that no machine in its project uses
    located: LocatedDefinition  # positions in ``file`` (``located.spans``)

    def resolved(self) -> Any:
        """The definition as the role's policies see it."""
        return iam_definition(self.located)

    @property
    def state_machine_arn(self) -> str | None:
        return self.context.state_machine_arn if self.context is not None else None


def iam_definition(located: LocatedDefinition) -> Any:
    """A located definition with references replaced by the symbolic text its context gives them."""
    if located.template is not None and located.resource is not None:
        from asl_lint.iam.sources import definition_for_state_machine

        try:
            resolved = definition_for_state_machine(located.template, located.resource)
        except KeyError:
            resolved = None
        return resolved if isinstance(resolved, dict) else located.definition
    if located.resolved is not None:
        return located.resolved
    symbolic = located.context.symbolic_values() if located.context is not None else {}
    if not symbolic:
        return located.definition
    from asl_lint.iam.cfn import apply_substitutions

    return apply_substitutions(located.definition, symbolic)


def load_machines(path: str, problems: list[str] | None = None) -> list[LoadedMachine]:
    """Every state machine at ``path`` with its context, each once.

    - A definition file: once for each machine that uses it (found in the infrastructure files of
      its folder and the folders above it, up to the project root), or alone when none does.
    - An infrastructure file: its machines, inline or in the definition files they name.
    - A folder: every machine ``asl-lint check`` would find there.

    Raises :class:`LoadError` for a named file that cannot be read or parsed. ``problems``, when
    given, receives why machines of a named file could not be loaded (a ``DefinitionUri`` that is
    not a file, a definition kept in S3), as ``file:line:column: message``.
    """
    if os.path.isdir(path):
        return _load_folder(path)
    return _load_file(path, strict=True, problems=problems)


def _load_folder(folder: str) -> list[LoadedMachine]:
    from asl_lint.config import Config
    from asl_lint.sources.project import discover, read_infrastructure

    machines: list[LoadedMachine] = []
    linked: set[str] = set()
    files = [file for file, _ in discover([folder], Config())]
    for file in files:
        found = read_infrastructure(file)
        if found is not None:
            machines.extend(_load_file(file, strict=False))
            linked.update(os.path.realpath(e.path) for e in found.external)
    for file in files:
        if os.path.realpath(file) not in linked and read_infrastructure(file) is None:
            machines.extend(_load_file(file, strict=False))
    return machines


def _read(file: str, strict: bool) -> tuple[str, str] | None:
    from asl_lint.sources.detect import decode, detect_format

    try:
        data = open(file, "rb").read()  # noqa: SIM115 - closed by refcounting right away
    except OSError as exc:
        if strict:
            raise LoadError(f"{file}: cannot read it: {exc.strerror or exc}") from None
        return None
    text, problems, unreadable = decode(data)
    if unreadable:
        if strict:
            raise LoadError(f"{file}: {problems[0].message}")
        return None
    return text.lstrip("\ufeff"), detect_format(file, text)


def _load_file(file: str, *, strict: bool, problems: list[str] | None = None) -> list[LoadedMachine]:
    from asl_lint.sources.base import Document
    from asl_lint.sources.detect import parse_text
    from asl_lint.sources.project import infrastructure_for, read_infrastructure
    from asl_lint.sources.registry import read_document

    read = _read(file, strict)
    if read is None:
        return []
    text, fmt = read
    parsed = parse_text(text, fmt)
    if parsed.fatal and fmt != "hcl":
        if strict:
            raise LoadError(_where(file, text, parsed.problems[0]) if parsed.problems else f"{file}: cannot be parsed")
        return []
    source = read_document(Document(file, text, fmt, None if fmt == "hcl" else parsed),  # type: ignore[arg-type]
                           explicit=strict)
    if problems is not None:
        problems.extend(_where(file, text, p) for p in source.problems if p.code in ("ASL001", "ASL007"))
    machines = [
        LoadedMachine(d.context.name if d.context else _stem(file), file, d.pointer, d.definition, d.context, d)
        for d in source.definitions if d.context is not None or not source.is_template
    ]
    for external in source.external:
        machines.extend(_load_external(external))
    if source.is_template or fmt == "hcl":
        return machines
    # A definition file: the machines of its project that use it, if any.
    target = os.path.realpath(file)
    uses = [e for infra in infrastructure_for(file) for e in (read_infrastructure(infra) or _empty()).external
            if os.path.realpath(e.path) == target]
    if uses:
        return [m for e in uses for m in _load_external(e)]
    return machines


def _load_external(external: ExternalDefinition) -> list[LoadedMachine]:
    from asl_lint.sources.standalone import parse_for_machine, read_definition

    read = _read(external.path, strict=False)
    if read is None:
        return []
    text, fmt = read
    if fmt not in ("json", "yaml"):
        return []
    parsed, mapped, inner = parse_for_machine(text, fmt, external.context)
    if parsed.fatal:
        return []
    source = read_definition(parsed, text, fmt == "json", external.context, mapped, inner)
    return [LoadedMachine(external.context.name, external.path, "", d.definition, external.context, d)
            for d in source.definitions]


def _where(file: str, text: str, problem: Any) -> str:
    from asl_lint.source.text import LineIndex

    line, column = LineIndex(text).position(problem.span.start)
    return f"{file}:{line}:{column}: {problem.message}"


def _empty() -> Any:
    from asl_lint.sources.base import SourceResult

    return SourceResult()


def _stem(file: str) -> str:
    name = os.path.basename(file)
    for suffix in (".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name
