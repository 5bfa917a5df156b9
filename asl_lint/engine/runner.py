"""Lint files: read → parse → locate → run checks → located, suppressed, redacted diagnostics."""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asl_lint.config import Config
from asl_lint.diagnostics import Diagnostic, Finding, Severity, redact_diagnostics
from asl_lint.engine.context import CheckContext, FileContext
from asl_lint.engine.metadata import RuleMeta, all_rules
from asl_lint.engine.registry import load_checks
from asl_lint.engine.suppress import DirectiveError, Suppression, parse_directive, unknown_codes
from asl_lint.locate.base import LocatedDefinition, LocateResult, locate
from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.pointer import parent, resolve
from asl_lint.source.text import LineIndex, Span

# Files larger than this are not parsed at all (ASL005); AWS's own limit is 1 MB.
MAX_FILE_BYTES = 10 * 1024 * 1024
ENGINE_CODES = ("ASL901", "ASL902", "ASL903")
# The findings of each check, (code, definition pointer) -> findings, for a caller that lints one
# text more than once with other rules selected: the language server publishes its fast checks
# first and then everything, and the second run reuses what the first one found.
FINDINGS_MEMO: ContextVar[dict[tuple[str, str], list[Finding]] | None] = ContextVar("findings_memo", default=None)


@dataclass
class LintResult:
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: list[Diagnostic] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    definitions: int = 0  # state machine definitions found
    unparsable: int = 0  # files that could not be parsed at all
    # Source text per file, for code frames (reporters redact it with ``secrets``).
    texts: dict[str, str] = field(default_factory=dict, repr=False)
    secrets: set[str] = field(default_factory=set, repr=False)

    def extend(self, other: LintResult) -> None:
        self.files.extend(other.files)
        self.diagnostics.extend(other.diagnostics)
        self.suppressed.extend(other.suppressed)
        self.internal_errors.extend(other.internal_errors)
        self.definitions += other.definitions
        self.unparsable += other.unparsable
        self.texts.update(other.texts)
        self.secrets.update(other.secrets)

    def finish(self) -> LintResult:
        self.diagnostics = _unique(self.diagnostics)
        self.suppressed = _unique(self.suppressed)
        redact_diagnostics(self.diagnostics + self.suppressed, self.secrets)
        for diag in self.diagnostics + self.suppressed:
            self.secrets.update(diag.secrets)
        self.diagnostics.sort(key=Diagnostic.sort_key)
        self.suppressed.sort(key=Diagnostic.sort_key)
        return self

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop exact repeats (same code, place and message), e.g. one problem found by two paths."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for diag in diagnostics:
        key = (diag.file, diag.code, diag.start_offset, diag.end_offset, diag.pointer, diag.message)
        if key not in seen:
            seen.add(key)
            out.append(diag)
    return out


# --- reading -------------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, list[SourceProblem], bool]:
    """Text of a file, the problems decoding it, and whether it is unreadable."""
    problems: list[SourceProblem] = []
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = body[: exc.start].decode("utf-8", errors="replace")
        offset = len(prefix)
        byte = body[exc.start]
        problems.append(
            SourceProblem(
                "ASL001",
                f"The file is not valid UTF-8: byte 0x{byte:02x} at byte offset {exc.start + (3 if bom else 0)}",
                Span(offset, offset + 1),
            )
        )
        return prefix, problems, True
    if "\x00" in text:
        offset = text.index("\x00")
        problems.append(
            SourceProblem("ASL001", "The file contains NUL characters: it looks binary, not JSON or YAML",
                          Span(offset, offset + 1))
        )
        return text, problems, True
    if bom:
        problems.append(
            SourceProblem(
                "ASL001",
                "The file starts with a UTF-8 byte order mark; AWS rejects definitions that start with one",
                Span(0, 0),
            )
        )
    return text, problems, False


def detect_format(path: str, text: str) -> str:
    lower = path.lower()
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith((".json", ".asl", ".template")):
        return "json"
    stripped = text.lstrip()
    return "json" if stripped.startswith(("{", "[")) else "yaml"


def parse_text(text: str, fmt: str) -> ParseResult:
    if fmt == "json":
        from asl_lint.source.json_parser import parse_json

        return parse_json(text)
    from asl_lint.source.yaml_loader import parse_yaml

    return parse_yaml(text)


# --- locating findings ----------------------------------------------------------------------------
def _span_for(located: LocatedDefinition | None, spans: Any, pointer: str) -> NodeSpan | None:
    lookup = located.spans if located is not None else spans.get
    current = pointer
    while True:
        node = lookup(current)
        if node is not None:
            if current != pointer:
                # A missing field: point at the key of the object that should hold it.
                return NodeSpan(node.key or node.value, node.key)
            return node
        if not current:
            return None
        current = parent(current)


def _sub_span(text: str, located: LocatedDefinition | None, pointer: str, span: Span, sub: tuple[int, int]) -> Span:
    """Narrow a string value's span to code points [a, b) of its decoded content, when exact."""
    if located is None:
        return span
    if located.string_span is not None:
        exact = located.string_span(pointer, *sub)
        if exact is not None:
            return exact
    try:
        value = resolve(located.definition, pointer)
    except KeyError:
        return span
    if not isinstance(value, str):
        return span
    a, b = sub
    piece = value[a:b]
    raw = text[span.start : span.end]
    for skip in (1, 0):  # quoted scalar / plain scalar
        if raw[skip : skip + len(value)] == value:
            return Span(span.start + skip + a, span.start + skip + b)
    # Escapes or folding: find the piece itself if it occurs once in the raw text.
    if piece and raw.count(piece) == 1:
        start = span.start + raw.index(piece)
        return Span(start, start + len(piece))
    return span


class _Locator:
    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self._index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def diagnostic(self, meta: RuleMeta, severity: Severity, message: str, span: Span, pointer: str,
                   state: str | None, finding: Finding | None = None) -> Diagnostic:
        line, column = self.index.position(span.start)
        end_line, end_column = self.index.position(span.end)
        return Diagnostic(
            code=meta.code,
            name=meta.name,
            severity=severity,
            message=message,
            file=self.file,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            pointer=pointer,
            state=state,
            fix=finding.fix if finding else None,
            start_offset=span.start,
            end_offset=span.end,
            secrets=finding.secrets if finding else (),
        )


# --- the run --------------------------------------------------------------------------------------
def lint_bytes(data: bytes, file: str, config: Config, *, fmt: str | None = None) -> LintResult:
    text, problems, unreadable = decode(data)
    return lint_decoded(text, problems, unreadable, file, config, fmt=fmt)


def lint_text(text: str, file: str, config: Config, *, fmt: str | None = None) -> LintResult:
    problems: list[SourceProblem] = []
    if text.startswith("\ufeff"):
        return lint_bytes(text.encode("utf-8"), file, config, fmt=fmt)
    return lint_decoded(text, problems, False, file, config, fmt=fmt)


def lint_decoded(text: str, problems: list[SourceProblem], unreadable: bool, file: str, config: Config,
                 *, fmt: str | None = None, base_dir: Path | None = None) -> LintResult:
    result = LintResult(files=[file], texts={file: text})
    rules = all_rules()
    checks = load_checks()
    locator = _Locator(file, text)
    fmt = fmt or detect_format(file, text)
    if unreadable:
        parsed = ParseResult(fatal=True)
    else:
        parse_input = text
        if fmt == "json" and text.startswith("\ufeff"):
            parse_input = " " + text[1:]
        parsed = parse_text(parse_input, fmt)
    parsed.problems[:0] = problems
    located_result = LocateResult()
    if not parsed.fatal:
        try:
            located_result = locate(parsed, Path(file) if base_dir is None else base_dir / Path(file).name, text)
        except Exception as exc:
            result.internal_errors.append(f"{file}: locating definitions failed: {exc!r}")
            _internal(result, locator, rules, "", f"Locating definitions crashed: {type(exc).__name__}: {exc}")
    result.definitions = len(located_result.definitions)
    result.unparsable = int(parsed.fatal)
    raw: list[tuple[Diagnostic, LocatedDefinition | None]] = []

    # File-scope checks see the parse problems and the locate problems.
    file_ctx = FileContext(file, text, parsed, config, located_result.problems)
    # A check without its rule document is a packaging bug (a test catches it); never crash on it.
    checks = {code: spec for code, spec in checks.items() if code in rules}
    for code, spec in checks.items():
        if spec.scope != "file" or not config.enabled(code, rules[code].name, file):
            continue
        _run(spec.fn, file_ctx, code, rules, config, locator, parsed, None, raw, result)

    for located in located_result.definitions:
        ctx = CheckContext(located, config, file, text)
        for code, spec in checks.items():
            if spec.scope != "definition" or not config.enabled(code, rules[code].name, file):
                continue
            _run(spec.fn, ctx, code, rules, config, locator, parsed, located, raw, result)

    _apply_suppressions(raw, parsed, located_result, locator, rules, config, result)
    return result


def _run(fn: Any, ctx: Any, code: str, rules: dict[str, RuleMeta], config: Config, locator: _Locator,
         parsed: ParseResult, located: LocatedDefinition | None,
         raw: list[tuple[Diagnostic, LocatedDefinition | None]], result: LintResult) -> None:
    meta = rules[code]
    memo = FINDINGS_MEMO.get()
    key = (code, located.pointer if located is not None else "")
    try:
        if memo is not None and key in memo:
            findings = memo[key]
        else:
            findings = list(fn(ctx))
            if memo is not None:
                memo[key] = findings
    except Exception as exc:
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        result.internal_errors.append(f"{locator.file}: check {code} crashed: {exc!r}")
        pointer = located.pointer if located else ""
        _internal(result, locator, rules, pointer,
                  f"Check {code} ({meta.name}) crashed on this file: {type(exc).__name__}: {exc} "
                  f"(at {Path(where.filename).name}:{where.lineno}); the other checks still ran."
                  " Please report this bug.",
                  parsed=parsed, located=located, raw=raw)
        return
    for finding in findings:
        # A check may report a related code (a parse problem that is a quota, say).
        if finding.code and finding.code != code:
            if finding.code not in rules or not config.enabled(finding.code, rules[finding.code].name, locator.file):
                continue
            meta = rules[finding.code]
        else:
            finding.code = code
            meta = rules[code]
        rel = finding.pointer
        if finding.file_pointer is not None:
            node = _span_for(None, parsed.spans, finding.file_pointer)
        else:
            node = _span_for(located, parsed.spans, rel)
        if finding.offsets is not None:
            span = Span(*finding.offsets)
        elif node is None:
            span = Span(0, 0)
        elif finding.target == "key" and node.key is not None:
            span = node.key
        else:
            span = node.value
            if finding.span is not None and finding.target == "value":
                span = _sub_span(locator.text, located, rel, span, finding.span)
        state = None
        pointer = rel
        if finding.file_pointer is not None:
            pointer = finding.file_pointer
        elif located is not None:
            pointer = located.file_pointer(rel)
            state_obj = ctx.model.state_for_pointer(rel) if isinstance(ctx, CheckContext) else None
            state = state_obj.name if state_obj else None
        default = finding.severity or meta.severity
        severity = config.severity_for(meta.code, meta.name, default)
        diag = locator.diagnostic(meta, severity, finding.message, span, pointer, state, finding)
        raw.append((diag, located))


def _internal(result: LintResult, locator: _Locator, rules: dict[str, RuleMeta], pointer: str, message: str,
              parsed: ParseResult | None = None, located: LocatedDefinition | None = None,
              raw: list[tuple[Diagnostic, LocatedDefinition | None]] | None = None) -> None:
    meta = rules["ASL901"]
    span = Span(0, 0)
    if parsed is not None:
        node = _span_for(located, parsed.spans, "")
        if node is not None:
            span = Span(node.value.start, node.value.start)
    diag = locator.diagnostic(meta, meta.severity, message, span, pointer, None)
    if raw is not None:
        raw.append((diag, located))
    else:
        result.diagnostics.append(diag)


def _collect_suppressions(parsed: ParseResult, located_result: LocateResult, locator: _Locator,
                          errors: list[DirectiveError]) -> list[Suppression]:
    suppressions: list[Suppression] = []
    for located in located_result.definitions:
        from asl_lint.model import build_model

        machine = build_model(located.definition)
        holders: list[tuple[str, Any]] = [("", located.definition)]
        holders += [(state.pointer, state.raw) for state in machine.states]
        for pointer, holder in holders:
            comment = holder.get("Comment") if isinstance(holder, dict) else None
            if not isinstance(comment, str):
                continue
            parsed_directive = parse_directive(comment)
            file_pointer = located.file_pointer(pointer + "/Comment")
            if isinstance(parsed_directive, DirectiveError):
                parsed_directive.origin_pointer = file_pointer
                errors.append(parsed_directive)
            elif parsed_directive is not None:
                _kind, codes, reason = parsed_directive
                suppressions.append(Suppression(codes, reason, pointer_prefix=located.file_pointer(pointer),
                                                origin_pointer=file_pointer))
    comment_lines = {line for line, _ in parsed.comments}
    for line, comment in parsed.comments:
        parsed_directive = parse_directive(comment)
        if isinstance(parsed_directive, DirectiveError):
            parsed_directive.origin_line = line
            errors.append(parsed_directive)
        elif parsed_directive is not None:
            kind, codes, reason = parsed_directive
            if kind == "ignore-file":
                suppressions.append(Suppression(codes, reason, whole_file=True, origin_line=line))
                continue
            own_line = locator.index.line_text(line).lstrip().startswith("#")
            lines = {line}
            if own_line:
                target = line + 1
                while target in comment_lines and locator.index.line_text(target).lstrip().startswith("#"):
                    target += 1
                lines.add(target)
            suppressions.append(Suppression(codes, reason, lines=frozenset(lines), origin_line=line))
    return suppressions


def _apply_suppressions(raw: list[tuple[Diagnostic, LocatedDefinition | None]], parsed: ParseResult,
                        located_result: LocateResult, locator: _Locator, rules: dict[str, RuleMeta],
                        config: Config, result: LintResult) -> None:
    errors: list[DirectiveError] = []
    suppressions = _collect_suppressions(parsed, located_result, locator, errors)
    for diag, _located in raw:
        if diag.code == "ASL901":  # a crash is never suppressible
            result.diagnostics.append(diag)
            continue
        hit = None
        for sup in suppressions:
            if not sup.matches(diag.code, diag.name):
                continue
            if sup.whole_file or diag.line in sup.lines or (
                sup.pointer_prefix is not None
                and (diag.pointer == sup.pointer_prefix or diag.pointer.startswith(sup.pointer_prefix + "/"))
            ):
                hit = sup
                break
        if hit is None:
            result.diagnostics.append(diag)
        else:
            hit.used = True
            diag.suppressed = hit.reason or "suppressed in source"
            result.suppressed.append(diag)
    file = locator.file
    for sup in suppressions:
        bad = unknown_codes(sup.codes)
        if bad:
            errors.append(DirectiveError(
                f"The suppression names {', '.join(repr(b) for b in bad)}, which is no rule code, prefix or name",
                sup.origin_pointer, sup.origin_line))
            continue
        if not sup.used and config.enabled("ASL903", rules["ASL903"].name, file):
            meta = rules["ASL903"]
            span = _origin_span(sup.origin_pointer, sup.origin_line, parsed, locator, located_result)
            codes = ",".join(sup.codes)
            result.diagnostics.append(locator.diagnostic(
                meta, config.severity_for(meta.code, meta.name, meta.severity),
                f"This suppression of {codes} suppressed nothing; remove it", span,
                sup.origin_pointer or "", None))
    if config.enabled("ASL902", rules["ASL902"].name, file):
        meta = rules["ASL902"]
        for error in errors:
            span = _origin_span(error.origin_pointer, error.origin_line, parsed, locator, located_result)
            result.diagnostics.append(locator.diagnostic(
                meta, config.severity_for(meta.code, meta.name, meta.severity), error.message, span,
                error.origin_pointer or "", None))


def _origin_span(pointer: str | None, line: int | None, parsed: ParseResult, locator: _Locator,
                 located_result: LocateResult) -> Span:
    if line is not None:
        start = locator.index.offset(line, 1)
        text = locator.index.line_text(line)
        hash_at = text.find("#")
        return Span(start + max(hash_at, 0), start + len(text))
    if pointer is not None:
        node = parsed.spans.get(pointer)
        if node is None:
            for located in located_result.definitions:
                if pointer.startswith(located.pointer):
                    node = located.spans(pointer[len(located.pointer):])
                    if node is not None:
                        break
        if node is not None:
            return node.value
    return Span(0, 0)


# --- files and directories ------------------------------------------------------------------------
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache",
             ".ruff_cache", ".pytest_cache", ".venv", "venv", ".aws-sam", ".terraform", ".asl-lint-cache"}
DEFINITION_SUFFIXES = (".asl.json", ".asl.yaml", ".asl.yml")
CANDIDATE_SUFFIXES = (".json", ".yaml", ".yml")
_MARKERS = ("StartAt", "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")


def discover(paths: Iterable[str], config: Config) -> list[tuple[str, bool]]:
    """(file, named explicitly) for every file to lint, in a stable order."""
    found: list[tuple[str, bool]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d for d in dirs
                    if d not in SKIP_DIRS and not (Path(root, d) / "pyvenv.cfg").exists()
                    and not config.excluded(os.path.join(root, d))
                )
                for name in sorted(files):
                    if name.lower().endswith(CANDIDATE_SUFFIXES):
                        full = os.path.join(root, name)
                        if not config.excluded(full):
                            found.append((full, False))
        else:
            found.append((given, True))
    return found


def _is_candidate(file: str, data: bytes) -> bool:
    if file.lower().endswith(DEFINITION_SUFFIXES):
        return True
    head = data[:MAX_FILE_BYTES]
    return any(marker.encode() in head for marker in _MARKERS)


def lint_file(file: str, explicit: bool, config: Config) -> LintResult | None:
    """Lint one file; None when a discovered (not named) file turns out not to be a definition."""
    rules = all_rules()
    explicit = explicit and not config.only_state_machines
    try:
        size = os.path.getsize(file)
        if size > MAX_FILE_BYTES:
            locator = _Locator(file, "")
            meta = rules["ASL005"]
            result = LintResult(files=[file], texts={file: ""})
            result.diagnostics.append(locator.diagnostic(
                meta, meta.severity,
                f"The file is {size:,} bytes; asl-lint does not read files over {MAX_FILE_BYTES:,} bytes "
                f"(AWS accepts definitions up to 1,048,576)", Span(0, 0), "", None))
            return result
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        if not explicit:
            return None
        locator = _Locator(file, "")
        meta = rules["ASL001"]
        result = LintResult(files=[file], texts={file: ""})
        message = f"Cannot read the file: {exc.strerror or exc}"
        result.diagnostics.append(locator.diagnostic(meta, meta.severity, message, Span(0, 0), "", None))
        return result
    if not explicit and not _is_candidate(file, data):
        return None
    result = lint_bytes(data, file, config)
    # A discovered .json/.yaml that parses but is neither a definition nor a template with state
    # machines is someone else's file: stay quiet about it.
    discovered_other = not explicit and not file.lower().endswith(DEFINITION_SUFFIXES)
    if discovered_other and not result.definitions and not result.unparsable:
        return None
    return result


def lint_paths(paths: Iterable[str], config: Config, *, jobs: int = 1) -> LintResult:
    """``jobs``: worker processes; 0: every core for runs of many files (``engine.parallel``)."""
    from asl_lint.engine.parallel import map_in_processes, resolve_jobs

    files = discover(paths, config)
    total = LintResult()
    outcomes = map_in_processes(_lint_one, [(f, e, config) for f, e in files], resolve_jobs(jobs, len(files)))
    for outcome in outcomes:
        if outcome is not None:
            total.extend(outcome)
    return total.finish()


def _lint_one(args: tuple[str, bool, Config]) -> LintResult | None:
    file, explicit, config = args
    try:
        return lint_file(file, explicit, config)
    except Exception as exc:
        rules = all_rules()
        locator = _Locator(file, "")
        result = LintResult(files=[file], texts={file: ""})
        result.internal_errors.append(f"{file}: {exc!r}")
        meta = rules["ASL901"]
        result.diagnostics.append(locator.diagnostic(
            meta, meta.severity, f"asl-lint crashed on this file: {type(exc).__name__}: {exc}. Please report this bug.",
            Span(0, 0), "", None))
        return result
