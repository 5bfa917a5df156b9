"""``asl-lint iam policy FILE``: the least-privilege policy each state machine in FILE needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def policy_for_file(file: str, *, state_machine_arn: str | None = None) -> dict[str, Any]:
    """One policy document for a standalone definition; ``{logical id: document}`` for a template
    with several state machines."""
    from asl_lint.engine.runner import decode, detect_format, parse_text
    from asl_lint.iam.generate import policy_for_definition
    from asl_lint.iam.sources import definition_for_state_machine
    from asl_lint.iam.sources import state_machine_arn as arn_in_template
    from asl_lint.sources import locate

    data = Path(file).read_bytes()
    text, problems, unreadable = decode(data)
    if unreadable:
        raise ValueError(f"{file}: {problems[0].message}")
    parsed = parse_text(text.lstrip("\ufeff"), detect_format(file, text))
    if parsed.fatal:
        raise ValueError(f"{file}: {parsed.problems[0].message}")
    located = locate(parsed, Path(file), text)
    documents: dict[str, Any] = {}
    for index, definition in enumerate(located.definitions):
        resolved: Any = definition.definition
        arn = state_machine_arn
        if definition.template is not None and definition.resource is not None:
            resolved = definition_for_state_machine(definition.template, definition.resource) or resolved
            arn = arn or arn_in_template(definition.template, definition.resource)
        documents[definition.resource or f"definition-{index}"] = policy_for_definition(resolved, state_machine_arn=arn)
    if not documents:
        raise ValueError(f"{file}: no state machine definition found")
    if len(documents) == 1:
        return next(iter(documents.values()))
    return documents
