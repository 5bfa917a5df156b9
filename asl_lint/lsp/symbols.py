"""Document symbols: the states as an outline, nested for Parallel branches and Map processors."""

from __future__ import annotations

from lsprotocol import types

from asl_lint.lsp.convert import Ranger
from asl_lint.lsp.snapshot import Definition, Snapshot
from asl_lint.model.machine import Scope
from asl_lint.source.text import Span

_KINDS = {
    "Task": types.SymbolKind.Function,
    "Pass": types.SymbolKind.Variable,
    "Choice": types.SymbolKind.Enum,
    "Wait": types.SymbolKind.Event,
    "Succeed": types.SymbolKind.Constant,
    "Fail": types.SymbolKind.Constant,
    "Parallel": types.SymbolKind.Module,
    "Map": types.SymbolKind.Array,
}


def _scope_symbols(ranger: Ranger, definition: Definition, scope: Scope) -> list[types.DocumentSymbol]:
    placed = [(node, state) for state in scope.states.values() if (node := definition.span(state.pointer))]
    symbols = []
    # In document order: a template's resolved definition may not keep the file's key order.
    for node, state in sorted(placed, key=lambda item: item[0].value.start):
        children: list[types.DocumentSymbol] = []
        for child in state.children:
            nested = _scope_symbols(ranger, definition, child)
            child_node = definition.span(child.pointer)
            if child.kind == "branch" and child_node is not None and len(state.children) > 1:
                # One level per branch, so parallel branches stay apart in the outline.
                rng = ranger(child_node.value)
                label = f"Branch {child.pointer.rsplit('/', 1)[-1]}"
                children.append(types.DocumentSymbol(label, types.SymbolKind.Namespace, rng, rng, children=nested))
            else:
                children.extend(nested)
        selection = node.key or node.value
        symbols.append(
            types.DocumentSymbol(
                name=state.name,
                kind=_KINDS.get(state.type or "", types.SymbolKind.Object),
                range=ranger(_cover(node.key, node.value)),
                selection_range=ranger(selection),
                detail=state.type,
                children=children,
            )
        )
    return symbols


def _cover(key: Span | None, value: Span) -> Span:
    """The whole member: LSP wants the selection (the key) inside the symbol's range."""
    return value if key is None else Span(min(key.start, value.start), max(key.end, value.end))


def document_symbols(snapshot: Snapshot, ranger: Ranger) -> list[types.DocumentSymbol]:
    if len(snapshot.definitions) == 1 and not snapshot.definitions[0].located.resource:
        only = snapshot.definitions[0]
        return _scope_symbols(ranger, only, only.model.root)
    symbols = []
    for definition in snapshot.definitions:
        root = definition.span("")
        if root is None:
            continue
        rng = ranger(root.value)
        name = definition.located.resource or "state machine"
        children = _scope_symbols(ranger, definition, definition.model.root)
        symbols.append(types.DocumentSymbol(name, types.SymbolKind.Class, rng, rng, children=children))
    return symbols
