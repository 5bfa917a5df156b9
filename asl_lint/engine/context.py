"""What a check sees: the located definition, its model and graphs, the config."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from asl_lint.config import Config
from asl_lint.source.nodes import ParseResult
from asl_lint.sources.base import LocatedDefinition, is_unknown

if TYPE_CHECKING:
    from asl_lint.graph.build import ScopeGraph
    from asl_lint.model import StateMachine


@dataclass
class FileContext:
    """For file-scope checks (parse errors, duplicate keys, size limits)."""

    file: str
    text: str
    parsed: ParseResult
    config: Config
    located_problems: list[Any]


class CheckContext:
    """For definition-scope checks. Everything derived is computed once and shared."""

    def __init__(self, located: LocatedDefinition, config: Config, file: str, text: str) -> None:
        self.located = located
        self.config = config
        self.file = file
        self.text = text
        # Results shared between checks of one area (e.g. every expression parsed once).
        self.memo: dict[str, Any] = {}

    @property
    def definition(self) -> Any:
        return self.located.definition

    @cached_property
    def model(self) -> StateMachine:
        from asl_lint.model import build_model

        return build_model(self.located.definition)

    @cached_property
    def graphs(self) -> dict[str, ScopeGraph]:
        """One graph per scope, keyed by the scope's pointer."""
        from asl_lint.graph.build import build_graphs

        return build_graphs(self.model)

    @staticmethod
    def is_unknown(value: Any) -> bool:
        """A ``${...}`` placeholder value: unknown, never a reason for an error."""
        return is_unknown(value)
