"""Hover: a finding's rule documentation, a state's type and predecessors, a Resource's
integration and IAM permissions, an intrinsic's or JSONata built-in's signature."""

from __future__ import annotations

from lsprotocol import types

from asl_lint.diagnostics import Diagnostic
from asl_lint.engine.metadata import find_rule
from asl_lint.lsp.signatures import intrinsic_at, intrinsic_signature, jsonata_at
from asl_lint.lsp.snapshot import Definition, Snapshot
from asl_lint.model.machine import Scope, State


def finding_docs(diagnostics: list[Diagnostic], offset: int) -> list[str]:
    parts = []
    for diag in diagnostics:
        if diag.start_offset <= offset <= diag.end_offset:
            meta = find_rule(diag.code)
            head = f"**{diag.code}** `{diag.name}`: {diag.message}"
            parts.append(f"{head}\n\n{meta.markdown}" if meta else head)
    return parts


def _predecessors(definition: Definition, scope: Scope, name: str) -> list[str]:
    graph = definition.graphs.get(scope.pointer)
    found = []
    if scope.start_at == name:
        found.append("the start (`StartAt`)")
    if graph is not None and name in graph.graph:
        for source in graph.graph.predecessors(name):
            kinds = ", ".join(graph.graph[source][name].get("kinds", []))
            found.append(f"`{source}` ({kinds})")
    return found


def state_doc(definition: Definition, scope: Scope, name: str) -> str:
    state = scope.states.get(name)
    if state is None:
        return f"**{name}**: no state of this name in {scope.label()}"
    lines = [f"**{name}**: `{state.type or '?'}` state in {scope.label()}"]
    sources = _predecessors(definition, scope, name)
    lines.append("Reached from " + ", ".join(sources) if sources else "Not reached from any state")
    return "\n\n".join(lines)


def resource_doc(state: State) -> str | None:
    from asl_lint.errors.integration import classify
    from asl_lint.iam.requirements import task_requirements

    integration = classify(state.resource)
    if integration is None:
        return None
    text = f"**Integration**: {integration.describe()}"
    needs = task_requirements(state.raw, state_name=state.name, query_language=state.query_language)
    if needs:
        text += "\n\n**IAM permissions the execution role needs**:\n"
        text += "\n".join(f"- `{req.action}` on `{req.resource or '*'}`" for req in needs)
    return text


def structure_docs(snapshot: Snapshot, offset: int) -> list[str]:
    definition = snapshot.definition_at(offset)
    if definition is None:
        return []
    parts = []
    ref = definition.name_at(offset)
    if ref is not None:
        parts.append(state_doc(definition, ref.scope, ref.name))
    hit = definition.at(offset)
    if hit is not None and not hit[1]:
        state = definition.model.state_for_pointer(hit[0])
        if state is not None and hit[0] == state.ptr("Resource") and state.type == "Task":
            doc = resource_doc(state)
            if doc:
                parts.append(doc)
    return parts


def signature_docs(line: str, column: int) -> list[str]:
    sig = intrinsic_at(line, column)
    if sig is not None:
        return [f"```\n{intrinsic_signature(sig)}\n```\nIntrinsic function"]
    jsonata = jsonata_at(line, column)
    return [f"```\n{jsonata}\n```\nJSONata function"] if jsonata else []


def hover(parts: list[str]) -> types.Hover | None:
    if not parts:
        return None
    value = "\n\n---\n\n".join(parts)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value))
