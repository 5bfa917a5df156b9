"""A parsed view of one document version for navigation: definitions, models, graphs, node spans.

Built lazily (only navigation needs it) from the same parser and locator the engine uses. When the
current text does not parse, the server keeps using the last snapshot that did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from asl_lint.graph.build import ScopeGraph, build_graphs
from asl_lint.model.machine import Scope, State, StateMachine, build_model
from asl_lint.source.nodes import NodeSpan
from asl_lint.source.pointer import escape
from asl_lint.source.text import LineIndex, Span
from asl_lint.sources import LocatedDefinition, locate


@dataclass(frozen=True)
class NameRef:
    """A state name at the cursor: a state's key, or a field naming a transition target."""

    scope: Scope
    name: str
    pointer: str  # of the key's state or of the naming field
    is_declaration: bool


@dataclass
class Definition:
    located: LocatedDefinition
    model: StateMachine
    graphs: dict[str, ScopeGraph]

    @cached_property
    def nodes(self) -> list[tuple[Span, str, bool]]:
        """(span, relative pointer, is the key) of every node with a known place."""
        found: list[tuple[Span, str, bool]] = []
        stack: list[tuple[Any, str]] = [(self.located.definition, "")]
        while stack:
            value, pointer = stack.pop()
            node = self.located.spans(pointer)
            if node is not None:
                found.append((node.value, pointer, False))
                if node.key is not None:
                    found.append((node.key, pointer, True))
            if isinstance(value, dict):
                stack.extend((child, f"{pointer}/{escape(key)}") for key, child in value.items())
            elif isinstance(value, list):
                stack.extend((child, f"{pointer}/{i}") for i, child in enumerate(value))
        return found

    @cached_property
    def references(self) -> dict[str, tuple[Scope, str]]:
        """Pointer of every field naming a state (StartAt, Next, Default, Catch Next) → (scope, name)."""
        refs: dict[str, tuple[Scope, str]] = {}
        for scope in self.model.scopes:
            if scope.start_at is not None:
                refs[f"{scope.pointer}/StartAt"] = (scope, scope.start_at)
            graph = self.graphs.get(scope.pointer)
            if graph is not None:
                for transition in (*graph.transitions, *graph.dangling):
                    refs[transition.pointer] = (scope, transition.target)
        return refs

    def span(self, pointer: str) -> NodeSpan | None:
        return self.located.spans(pointer)

    def at(self, offset: int) -> tuple[str, bool] | None:
        """The innermost node (pointer, is its key) whose span holds ``offset`` (ends inclusive)."""
        best: tuple[Span, str, bool] | None = None
        for span, pointer, is_key in self.nodes:
            if span.start <= offset <= span.end and (
                best is None or span.end - span.start < best[0].end - best[0].start
            ):
                best = (span, pointer, is_key)
        return None if best is None else (best[1], best[2])

    def name_at(self, offset: int) -> NameRef | None:
        hit = self.at(offset)
        if hit is None:
            return None
        pointer, is_key = hit
        if is_key:
            state = self.model.state_for_pointer(pointer)
            if state is not None and state.pointer == pointer:
                return NameRef(state.scope, state.name, pointer, True)
            return None
        ref = self.references.get(pointer)
        return NameRef(ref[0], ref[1], pointer, False) if ref else None

    def state_at(self, offset: int) -> State | None:
        hit = self.at(offset)
        return self.model.state_for_pointer(hit[0]) if hit else None

    def occurrences(self, scope: Scope, name: str) -> list[tuple[str, bool]]:
        """(pointer, is the declaration) of the state's key and every field naming it."""
        found: list[tuple[str, bool]] = []
        state = scope.states.get(name)
        if state is not None:
            found.append((state.pointer, True))
        found += [(p, False) for p, (s, n) in self.references.items() if s is scope and n == name]
        return found


@dataclass
class Snapshot:
    text: str
    version: int | None
    definitions: list[Definition] = field(default_factory=list)
    _diffs: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    @cached_property
    def index(self) -> LineIndex:
        return LineIndex(self.text)

    def _diff(self, text: str) -> tuple[int, int]:
        """Lengths of the common prefix and (non-overlapping) common suffix of this text and ``text``."""
        cached = self._diffs.get(text)
        if cached is None:
            old = self.text
            limit = min(len(old), len(text))
            prefix = 0
            while prefix < limit and old[prefix] == text[prefix]:
                prefix += 1
            suffix = 0
            while suffix < limit - prefix and old[-1 - suffix] == text[-1 - suffix]:
                suffix += 1
            self._diffs = {text: (prefix, suffix)}  # only the latest text is asked about
            cached = self._diffs[text]
        return cached

    def offset_in(self, text: str, offset: int) -> int:
        """``offset`` of the current ``text`` as an offset of this (maybe older) snapshot's text.

        Typing changes one place: before it offsets agree, after it they agree from the end, and
        inside the changed stretch the start of the change is the best guess.
        """
        return _map(offset, text, self.text, *self._diff(text))

    def offset_from(self, text: str, offset: int) -> int:
        """An offset of this snapshot's text as an offset of the current ``text``."""
        return _map(offset, self.text, text, *self._diff(text))

    def definition_at(self, offset: int) -> Definition | None:
        """The definition whose root span holds ``offset`` (the only one, for a standalone file)."""
        for definition in self.definitions:
            root = definition.span("")
            if root is None or root.value.start <= offset <= root.value.end:
                return definition
        return None


def _map(offset: int, source: str, target: str, prefix: int, suffix: int) -> int:
    if source == target or offset <= prefix:
        return offset
    if len(source) - offset <= suffix:
        return len(target) - (len(source) - offset)
    return prefix


def build_snapshot(path: str, text: str, version: int | None) -> Snapshot | None:
    """The navigation view of a text; None when it does not parse or holds no definition."""
    from asl_lint.engine.runner import detect_format, parse_text

    parsed = parse_text(text, detect_format(path, text))
    if parsed.fatal:
        return None
    located = locate(parsed, Path(path), text).definitions
    if not located:
        return None
    snapshot = Snapshot(text, version)
    for item in located:
        model = build_model(item.definition)
        snapshot.definitions.append(Definition(item, model, build_graphs(model)))
    return snapshot
