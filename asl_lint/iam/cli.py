"""``asl-lint iam policy PATH``: the least-privilege policy each state machine at PATH needs."""

from __future__ import annotations

from typing import Any


def policy_for_file(path: str, *, state_machine_arn: str | None = None) -> dict[str, Any]:
    """One policy document when PATH holds one machine; ``{machine name: document}`` for several.

    PATH is anything ``asl_lint.sources.load_machines`` reads: a definition file (with the context
    of the machines of its project that use it), a template, a ``serverless.yml``, a Terraform
    file, a CDK output template, or a folder. Raises ValueError with a message for the user.
    """
    from asl_lint.iam.generate import policy_for_definition
    from asl_lint.sources.machines import load_machines

    problems: list[str] = []
    machines = load_machines(path, problems)
    names = [m.name for m in machines]
    documents: dict[str, Any] = {}
    for machine in machines:
        resolved = machine.resolved()
        if not isinstance(resolved, dict):
            continue
        key = machine.name if names.count(machine.name) == 1 else f"{machine.file}:{machine.name}"
        arn = state_machine_arn or machine.state_machine_arn
        documents[key] = policy_for_definition(resolved, state_machine_arn=arn)
    if not documents:
        raise ValueError("; ".join(problems) if problems else f"{path}: no state machine definition found")
    if len(documents) == 1:
        return next(iter(documents.values()))
    return documents
