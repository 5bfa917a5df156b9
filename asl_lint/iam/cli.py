"""``asl-lint iam policy PATH``: the least-privilege policy each state machine at PATH needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asl_lint.iam.formats import Format


def policy_for_file(path: str, *, state_machine_arn: str | None = None, fmt: Format = "json") -> Any:
    """One policy document when PATH holds one machine; ``{machine name: document}`` for several.

    PATH is anything ``asl_lint.sources.load_machines`` reads: a definition file (with the context
    of the machines of its project that use it), a template, a ``serverless.yml``, a Terraform
    file, a CDK output template, or a folder. ``fmt``: see :mod:`asl_lint.iam.formats` (for
    ``terraform`` the documents are HCL text). Raises ValueError with a message for the user.
    """
    from asl_lint.iam.formats import machine_policy
    from asl_lint.sources.machines import load_machines

    problems: list[str] = []
    machines = load_machines(path, problems)
    names = [m.name for m in machines]
    documents: dict[str, Any] = {}
    for machine in machines:
        if not isinstance(machine.resolved(), dict):
            continue
        key = machine.name if names.count(machine.name) == 1 else f"{machine.file}:{machine.name}"
        documents[key] = machine_policy(machine, fmt, state_machine_arn)
    if not documents:
        raise ValueError("; ".join(problems) if problems else f"{path}: no state machine definition found")
    if len(documents) == 1:
        return next(iter(documents.values()))
    return documents


def render(document: Any, fmt: Format = "json") -> str:
    """What ``asl-lint iam policy`` prints: JSON, or for ``terraform`` the HCL expression of each
    machine (several: each after a comment naming it)."""
    import json

    if fmt != "terraform":
        return json.dumps(document, indent=2)
    if isinstance(document, str):
        return document
    return "\n\n".join(f"# {name}\n{text}" for name, text in document.items())
