"""Which documents the server handles, and linting one unsaved text into LSP diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field

from lsprotocol import types

from asl_lint.config import Config
from asl_lint.diagnostics import Diagnostic
from asl_lint.engine.runner import CANDIDATE_SUFFIXES, DEFINITION_SUFFIXES, LintResult, lint_text_in_project
from asl_lint.lsp.convert import diagnostic_key, to_lsp
from asl_lint.source.text import LineIndex

# Text that can hold a definition or a template with state machines (as the CLI's discovery).
_MARKERS = ("StartAt", "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")


def is_asl_path(path: str) -> bool:
    return path.lower().endswith(DEFINITION_SUFFIXES)


def is_candidate(path: str, text: str) -> bool:
    """Worth linting: an ASL file, or a JSON/YAML file that mentions a definition marker."""
    if is_asl_path(path):
        return True
    return path.lower().endswith(CANDIDATE_SUFFIXES) and any(m in text for m in _MARKERS)


@dataclass
class Linted:
    """One lint of one document version: what was published and the engine's diagnostics."""

    version: int | None
    text: str
    result: LintResult
    diagnostics: list[types.Diagnostic] = field(default_factory=list)
    by_key: dict[str, Diagnostic] = field(default_factory=dict)

    @property
    def is_definition(self) -> bool:
        return self.result.definitions > 0


def lint_document(path: str, text: str, version: int | None, config: Config) -> Linted:
    """Lint the unsaved text as its project deploys it (the substitutions and role of the machines
    that use the file) and convert every unsuppressed finding (redacted by ``finish``)."""
    result = lint_text_in_project(text, path, config).finish()
    index = LineIndex(text)
    linted = Linted(version, text, result)
    for diag in result.diagnostics:
        linted.diagnostics.append(to_lsp(diag, index))
        linted.by_key[diagnostic_key(diag)] = diag
    return linted
