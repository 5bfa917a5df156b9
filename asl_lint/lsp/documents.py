"""Which documents the server handles, and linting one unsaved text into LSP diagnostics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lsprotocol import types

from asl_lint.config import Config
from asl_lint.diagnostics import Diagnostic, Finding
from asl_lint.engine.runner import (
    CANDIDATE_SUFFIXES,
    DEFINITION_SUFFIXES,
    FINDINGS_MEMO,
    LintResult,
    detect_format,
    lint_text_in_project,
)
from asl_lint.lsp.convert import diagnostic_key, to_lsp
from asl_lint.source.json_parser import PREPARED, parse_json
from asl_lint.source.nodes import ParseResult
from asl_lint.source.text import LineIndex

# The server publishes each version twice: first what the fast checks find (parsing, schema,
# graph, HTTP Task, retries and timeouts, secrets), then the complete result. These rules come
# only with the second: expressions and variables, IAM, the symbolic Choice analysis, and unused
# suppressions (which need every finding).
LATER_RULES = ("ASL2", "ASL5", "ASL7", "ASL903")

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
    complete: bool = True  # False: only the fast checks ran (``LATER_RULES`` are missing)
    parsed: ParseResult | None = None  # of a JSON text: what the next edit's re-parse starts from
    index: LineIndex | None = None  # of ``text``

    @property
    def is_definition(self) -> bool:
        return self.result.definitions > 0


def parse_document(path: str, text: str, previous: Linted | None) -> ParseResult | None:
    """The parse of a JSON text, re-parsing only what changed since ``previous`` when it can;
    None for YAML (parsed by the engine as usual)."""
    if detect_format(path, text) != "json" or text.startswith("\ufeff"):
        return None
    if previous is not None and previous.parsed is not None:
        from asl_lint.lsp.reparse import reparse

        again = reparse(previous.text, previous.parsed, text)
        if again is not None:
            return again
    return parse_json(text, positions=True)  # (every diagnostic of every version is converted)


def lint_document(path: str, text: str, version: int | None, config: Config, *, fast: bool = False,
                  memo: dict[tuple[str, str, str], list[Finding]] | None = None,
                  stop: Callable[[], bool] | None = None, previous: Linted | None = None) -> Linted:
    """Lint the unsaved text as its project deploys it (the substitutions and role of the machines
    that use the file) and convert every unsuppressed finding (redacted by ``finish``).

    ``fast``: only the checks published first (all but ``LATER_RULES``). ``memo`` keeps the
    findings of each check for a later lint of the same text and config (the complete one after
    the fast one runs only the checks the fast one did not). ``stop`` says the result is no longer
    wanted: the symbolic analysis then gives up early (and the result must be thrown away).
    ``previous``: an earlier lint of this document, whose parse the new one starts from.
    """
    from asl_lint.symbolic import STOP

    if fast:
        config = config.with_overrides(ignore=(*config.ignore, *LATER_RULES))
    parsed = parse_document(path, text, previous)
    tokens = FINDINGS_MEMO.set(memo), STOP.set(stop), PREPARED.set(None if parsed is None else (text, parsed))
    try:
        result = lint_text_in_project(text, path, config).finish()
    finally:
        FINDINGS_MEMO.reset(tokens[0])
        STOP.reset(tokens[1])
        PREPARED.reset(tokens[2])
    index = previous.index if previous is not None and previous.text == text else None
    index = index or LineIndex(text)
    linted = Linted(version, text, result, complete=not fast, parsed=parsed, index=index)
    for diag in result.diagnostics:
        linted.diagnostics.append(to_lsp(diag, index))
        linted.by_key[diagnostic_key(diag)] = diag
    return linted
