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
from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.pointer import parent, resolve
from asl_lint.source.text import LineIndex, Span
from asl_lint.sources.base import Document, ExternalDefinition, LocatedDefinition, MachineContext, Site, SourceResult
from asl_lint.sources.detect import decode, detect_format, parse_text
from asl_lint.sources.project import (
    CANDIDATE_SUFFIXES,
    DEFINITION_SUFFIXES,
    MAX_FILE_BYTES,
    SKIP_DIRS,
    Unit,
    UnitFile,
    discover,
)

__all__ = ["CANDIDATE_SUFFIXES", "DEFINITION_SUFFIXES", "ENGINE_CODES", "MAX_FILE_BYTES", "SKIP_DIRS", "LintResult",
           "decode", "detect_format", "discover", "lint_bytes", "lint_decoded", "lint_file", "lint_paths",
           "lint_text", "lint_text_in_project", "lint_unit", "parse_text"]

ENGINE_CODES = ("ASL901", "ASL902", "ASL903")
# The findings of each check, (code, definition pointer, machine) -> findings, for a caller that lints one
# text more than once with other rules selected: the language server publishes its fast checks
# first and then everything, and the second run reuses what the first one found.
FINDINGS_MEMO: ContextVar[dict[tuple[str, str, str], list[Finding]] | None] = ContextVar("findings_memo", default=None)


@dataclass
class LintResult:
    """What a run found: the files linted and their diagnostics, kept, suppressed or baselined."""
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: list[Diagnostic] = field(default_factory=list)
    # Findings an earlier report (--baseline) already had: hidden from every format but SARIF.
    # None when no baseline was given.
    baselined: list[Diagnostic] | None = None
    internal_errors: list[str] = field(default_factory=list)
    definitions: int = 0  # state machine definitions found
    unparsable: int = 0  # files that could not be parsed at all
    # Source text per file, for code frames (reporters redact it with ``secrets``).
    texts: dict[str, str] = field(default_factory=dict, repr=False)
    secrets: set[str] = field(default_factory=set, repr=False)
    # Of one file, while its unit is linted (never part of a merged result):
    layout: str | None = field(default=None, repr=False)  # the layout that read it; None: none did
    external: list[ExternalDefinition] = field(default_factory=list, repr=False)  # definition files it names
    foreign: list[Diagnostic] = field(default_factory=list, repr=False)  # findings placed in other files

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
        key = (diag.file, diag.code, diag.start_offset, diag.end_offset, diag.pointer, diag.message, diag.machine)
        if key not in seen:
            seen.add(key)
            out.append(diag)
    return out


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
def lint_bytes(data: bytes, file: str, config: Config, *, fmt: str | None = None,
               context: MachineContext | None = None, explicit: bool = True) -> LintResult:
    text, problems, unreadable = decode(data)
    return lint_decoded(text, problems, unreadable, file, config, fmt=fmt, context=context, explicit=explicit)


def lint_text(text: str, file: str, config: Config, *, fmt: str | None = None,
              context: MachineContext | None = None) -> LintResult:
    problems: list[SourceProblem] = []
    if text.startswith("\ufeff"):
        return lint_bytes(text.encode("utf-8"), file, config, fmt=fmt, context=context)
    return lint_decoded(text, problems, False, file, config, fmt=fmt, context=context)


def _read(text: str, file: str, fmt: str, unreadable: bool, context: MachineContext | None,
          explicit: bool) -> tuple[ParseResult, SourceResult]:
    """Parse the text and let the layouts say what it holds; with ``context``, the text is a
    definition file read as that machine deploys it."""
    if unreadable:
        return ParseResult(fatal=True), SourceResult()
    parse_input = text
    if fmt == "json" and text.startswith("\ufeff"):
        parse_input = " " + text[1:]
    if context is not None and fmt in ("json", "yaml"):
        from asl_lint.sources.standalone import parse_for_machine, read_definition

        parsed, mapped, inner = parse_for_machine(parse_input, fmt, context)
        if parsed.fatal:
            return parsed, SourceResult()
        return parsed, read_definition(parsed, text, fmt == "json", context, mapped, inner)
    from asl_lint.sources.registry import read_document

    parsed = parse_text(parse_input, fmt)
    if parsed.fatal and fmt != "hcl":
        return parsed, SourceResult()
    return parsed, read_document(Document(file, text, fmt, parsed), explicit=explicit)  # type: ignore[arg-type]


def lint_decoded(text: str, problems: list[SourceProblem], unreadable: bool, file: str, config: Config,
                 *, fmt: str | None = None, context: MachineContext | None = None, explicit: bool = True,
                 foreign: Iterable[Diagnostic] = ()) -> LintResult:
    """Lint one decoded file. ``context``: the machine that uses this definition file (its
    substitutions are applied, its role checked). ``foreign``: findings other files' machines
    placed in this file (their role is declared here); this file's suppressions apply to them."""
    result = LintResult(files=[file], texts={file: text})
    rules = all_rules()
    checks = load_checks()
    locator = _Locator(file, text)
    fmt = fmt or detect_format(file, text)
    located_result = SourceResult()
    try:
        parsed, located_result = _read(text, file, fmt, unreadable, context, explicit)
    except Exception as exc:
        parsed = ParseResult(fatal=True)
        result.internal_errors.append(f"{file}: locating definitions failed: {exc!r}")
        _internal(result, locator, rules, "", f"Locating definitions crashed: {type(exc).__name__}: {exc}")
    parsed.problems[:0] = problems
    result.definitions = len(located_result.definitions)
    result.unparsable = int(parsed.fatal and fmt != "hcl")
    result.layout = located_result.layout
    result.external = list(located_result.external)
    raw: list[tuple[Diagnostic, LocatedDefinition | None]] = [(diag, None) for diag in foreign]

    # File-scope checks see the parse problems and the locate problems.
    file_ctx = FileContext(file, text, parsed, config, located_result.problems)
    # A check without its rule document is a packaging bug (a test catches it); never crash on it.
    checks = {code: spec for code, spec in checks.items() if code in rules}
    for code, spec in checks.items():
        if spec.scope != "file" or not config.enabled(code, rules[code].name, file):
            continue
        _run(spec.fn, file_ctx, code, rules, config, locator, parsed, None, raw, result)

    contexts: list[CheckContext] = []
    for located in located_result.definitions:
        ctx = CheckContext(located, config, file, text)
        contexts.append(ctx)
        for code, spec in checks.items():
            if spec.scope != "definition" or not config.enabled(code, rules[code].name, file):
                continue
            _run(spec.fn, ctx, code, rules, config, locator, parsed, located, raw, result)

    _apply_suppressions(raw, parsed, located_result, contexts, locator, rules, config, result)
    return result


def _run(fn: Any, ctx: Any, code: str, rules: dict[str, RuleMeta], config: Config, locator: _Locator,
         parsed: ParseResult, located: LocatedDefinition | None,
         raw: list[tuple[Diagnostic, LocatedDefinition | None]], result: LintResult) -> None:
    meta = rules[code]
    memo = FINDINGS_MEMO.get()
    # (a file linted once per machine that uses it: each machine's findings are its own)
    machine = located.context.key if located is not None and located.context is not None else ""
    key = (code, located.pointer if located is not None else "", machine)
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
        if finding.site is not None and finding.site.file != locator.file:
            default = finding.severity or meta.severity
            severity = config.severity_for(meta.code, meta.name, default)
            raw.append((_at_site(meta, severity, finding, finding.site), None))
            continue
        node: NodeSpan | None
        if finding.site is not None:
            node = NodeSpan(Span(finding.site.start, finding.site.end))
        elif finding.file_pointer is not None:
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
        if finding.site is not None:
            pointer = finding.site.pointer
        elif finding.file_pointer is not None:
            pointer = finding.file_pointer
        elif located is not None:
            pointer = located.file_pointer(rel)
            state_obj = ctx.model.state_for_pointer(rel) if isinstance(ctx, CheckContext) else None
            state = state_obj.name if state_obj else None
        default = finding.severity or meta.severity
        severity = config.severity_for(meta.code, meta.name, default)
        diag = locator.diagnostic(meta, severity, finding.message, span, pointer, state, finding)
        context = located.context if located is not None else None
        if diag.fix is not None and located is not None and context is not None and _edits_substituted(
                located, locator.text, diag.fix):
            diag.fix = None  # an edit would write a deploy-time value over the placeholder that gives it
        if context is not None and context.named_in_messages:
            name_machine(diag, context.name)
        raw.append((diag, located))


def _edits_substituted(located: LocatedDefinition, text: str, fix: Any) -> bool:
    """Whether a fix edits a value the machine's substitutions wrote (the file holds a placeholder)."""
    for edit in fix.edits:
        node = located.spans(edit.pointer)
        if node is None:
            continue
        raw = text[node.value.start:node.value.end]
        try:
            value = resolve(located.definition, edit.pointer)
        except KeyError:
            continue
        if "${" in raw and not (isinstance(value, str) and value in raw):
            return True
    return False


def _at_site(meta: RuleMeta, severity: Severity, finding: Finding, site: Site) -> Diagnostic:
    """A finding placed in another file (a machine's role, declared in its template)."""
    return Diagnostic(
        code=meta.code, name=meta.name, severity=severity, message=finding.message, file=site.file,
        line=site.line, column=site.column, end_line=site.end_line, end_column=site.end_column,
        pointer=site.pointer, state=None, fix=finding.fix, start_offset=site.start, end_offset=site.end,
        secrets=finding.secrets,
    )


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


def _collect_suppressions(parsed: ParseResult, contexts: list[CheckContext], locator: _Locator,
                          errors: list[DirectiveError]) -> list[Suppression]:
    suppressions: list[Suppression] = []
    for ctx in contexts:
        located = ctx.located
        machine = ctx.model  # (the checks' own: building it again was a tenth of an editor's lint)
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
                        located_result: SourceResult, contexts: list[CheckContext], locator: _Locator,
                        rules: dict[str, RuleMeta], config: Config, result: LintResult) -> None:
    errors: list[DirectiveError] = []
    suppressions = _collect_suppressions(parsed, contexts, locator, errors)
    for diag, _located in raw:
        if diag.file != locator.file:  # placed in another file: that file's suppressions decide
            result.foreign.append(diag)
            continue
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
                 located_result: SourceResult) -> Span:
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


def name_machine(diag: Diagnostic, name: str) -> None:
    """Say which machine a finding is about (message suffix and the ``machine`` field)."""
    if diag.machine is None:
        diag.machine = name
        diag.message += f" [machine {name}]"


# --- files, units, runs ---------------------------------------------------------------------------
def _too_big(file: str, size: int) -> LintResult:
    rules = all_rules()
    locator = _Locator(file, "")
    meta = rules["ASL005"]
    result = LintResult(files=[file], texts={file: ""})
    result.diagnostics.append(locator.diagnostic(
        meta, meta.severity,
        f"The file is {size:,} bytes; asl-lint does not read files over {MAX_FILE_BYTES:,} bytes "
        f"(AWS accepts definitions up to 1,048,576)", Span(0, 0), "", None))
    return result


def _unreadable(file: str, exc: OSError) -> LintResult:
    rules = all_rules()
    locator = _Locator(file, "")
    meta = rules["ASL001"]
    result = LintResult(files=[file], texts={file: ""})
    message = f"Cannot read the file: {exc.strerror or exc}"
    result.diagnostics.append(locator.diagnostic(meta, meta.severity, message, Span(0, 0), "", None))
    return result


def _lint_path(file: str, explicit: bool, config: Config, context: MachineContext | None = None,
               foreign: Iterable[Diagnostic] = ()) -> LintResult | None:
    """Lint one file from disk; None when a discovered (not named) file turns out to hold nothing
    a layout reads (someone else's JSON or YAML, a Terraform file without state machines)."""
    explicit = explicit and not config.only_state_machines
    try:
        size = os.path.getsize(file)
        if size > MAX_FILE_BYTES:
            return _too_big(file, size)
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return _unreadable(file, exc) if explicit or context is not None else None
    text, problems, unreadable = decode(data)
    discovered = not explicit and context is None and not foreign and not file.lower().endswith(DEFINITION_SUFFIXES)
    if discovered:
        from asl_lint.sources.registry import may_be_read

        if not may_be_read(file, text):  # a cheap necessary condition; the layouts decide by structure
            return None
    result = lint_decoded(text, problems, unreadable, file, config, context=context, explicit=explicit,
                          foreign=foreign)
    if explicit or context is not None or result.foreign or file.lower().endswith(DEFINITION_SUFFIXES):
        return result
    # A discovered file is linted for what it is: a definition, a template, a serverless.yml, a
    # Terraform file with state machines; a file that does not parse is reported only when it
    # could have been one of these.
    if result.unparsable:
        return result
    holds = result.definitions or result.external or result.diagnostics
    return result if result.layout is not None and holds else None


def lint_file(file: str, explicit: bool, config: Config) -> LintResult | None:
    """Lint one file as its project deploys it (the contexts of the machines that use it, found
    as for a run over this one file) and report only its own findings."""
    from asl_lint.sources.project import infrastructure_for

    context_files = () if file.lower().endswith(".tf") else tuple(infrastructure_for(file))
    result = lint_unit(Unit((UnitFile(file, explicit),), context_files), config)
    if result is None:
        return None
    result.diagnostics = [d for d in result.diagnostics if d.file == file]
    result.suppressed = [d for d in result.suppressed if d.file == file]
    return result


def lint_text_in_project(text: str, file: str, config: Config) -> LintResult:
    """The unsaved text of a file on disk (an editor's buffer), linted as its project deploys it:
    once per machine that uses the file (found as for ``check FILE``), merged as a run merges."""
    from asl_lint.sources.project import infrastructure_for, read_infrastructure

    target = os.path.realpath(file)
    uses = [external for infra in infrastructure_for(file)
            for external in (read_infrastructure(infra) or SourceResult()).external
            if os.path.realpath(external.path) == target]
    if not uses:
        return lint_text(text, file, config)
    merged = _merge([lint_text(text, file, config, context=e.context) for e in uses], uses)
    assert merged is not None
    merged.foreign = []  # the template's own findings belong to the template's document
    return merged


def lint_unit(unit: Unit, config: Config) -> LintResult | None:
    """Lint the files of one unit: each definition file once per machine that uses it (see
    :func:`_merge`), then the infrastructure files with the findings their machines placed in them."""
    from asl_lint.sources.project import read_infrastructure

    contexts: dict[str, list[ExternalDefinition]] = {}
    for infra in [f.file for f in unit.files if f.infrastructure] + list(unit.context_files):
        found = read_infrastructure(infra)
        for external in found.external if found is not None else ():
            if not config.excluded(external.path):
                contexts.setdefault(os.path.realpath(external.path), []).append(external)
    members = [f for f in unit.files if not f.infrastructure]
    total = LintResult()
    foreign: dict[str, list[Diagnostic]] = {}
    any_result = False
    for member in members:
        uses = contexts.get(os.path.realpath(member.file), [])
        if uses:
            outcome = _merge([_lint_path(member.file, True, config, ext.context) for ext in uses], uses)
        else:
            outcome = _lint_path(member.file, member.explicit, config)
        if outcome is None:
            continue
        any_result = True
        for diag in outcome.foreign:
            foreign.setdefault(os.path.realpath(diag.file), []).append(diag)
        outcome.foreign = []
        total.extend(outcome)
    for member in unit.files:
        if member.infrastructure:
            outcome = _lint_path(member.file, member.explicit, config,
                                 foreign=_renamed(foreign.pop(os.path.realpath(member.file), []), member.file))
            if outcome is not None:
                any_result = True
                outcome.foreign = []
                total.extend(outcome)
    return total if any_result else None


def _renamed(diagnostics: list[Diagnostic], file: str) -> list[Diagnostic]:
    for diag in diagnostics:
        diag.file = file
    return diagnostics


def _machine_names(uses: list[ExternalDefinition]) -> list[str]:
    names = [ext.context.name for ext in uses]
    if len(set(names)) == len(names):
        return names
    return [f"{ext.context.origin}:{ext.context.name}" for ext in uses]


def _merge(outcomes: list[LintResult | None], uses: list[ExternalDefinition]) -> LintResult | None:
    """One result for a definition file linted once per machine that uses it: a finding all the
    machines share is reported once; one that only some of them give says which machine. An
    unused-suppression report (ASL903) stands only when the suppression is unused for them all."""
    present = [(o, ext) for o, ext in zip(outcomes, uses, strict=True) if o is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0][0]
    names = dict(zip((id(ext) for ext in uses), _machine_names(uses), strict=True))
    merged = LintResult(files=present[0][0].files, texts=present[0][0].texts,
                        definitions=present[0][0].definitions, unparsable=present[0][0].unparsable)

    def key(diag: Diagnostic) -> tuple[Any, ...]:
        return (diag.file, diag.code, diag.start_offset, diag.end_offset, diag.pointer, diag.message)

    for attr in ("diagnostics", "suppressed", "foreign"):
        counts: dict[tuple[Any, ...], int] = {}
        for outcome, _ in present:
            for diag in {key(d): d for d in getattr(outcome, attr)}.values():
                counts[key(diag)] = counts.get(key(diag), 0) + 1
        seen: set[tuple[Any, ...]] = set()
        out: list[Diagnostic] = []
        for outcome, ext in present:
            for diag in getattr(outcome, attr):
                k = key(diag)
                if counts[k] == len(present):
                    if k not in seen:
                        seen.add(k)
                        out.append(diag)
                elif diag.code != "ASL903":
                    name_machine(diag, names[id(ext)])
                    out.append(diag)
        setattr(merged, attr, out)
    for outcome, _ in present:
        merged.internal_errors.extend(outcome.internal_errors)
        merged.secrets.update(outcome.secrets)
    return merged


def lint_paths(paths: Iterable[str], config: Config, *, jobs: int = 1) -> LintResult:
    """``jobs``: worker processes; 0: every core for runs of many units (``engine.parallel``)."""
    from asl_lint.engine.parallel import Workers, map_in_processes, resolve_jobs
    from asl_lint.sources.project import plan

    paths = list(paths)
    # Many files named on the command line (pre-commit, a CI step, a benchmark) make a big run
    # whatever the plan says: the workers start now, and import while the run is planned.
    early = resolve_jobs(jobs, len(paths))
    workers = Workers.start(early) if early > 1 and _all_files(paths) else None
    try:
        units = plan(paths, config)
    except BaseException:
        if workers is not None:
            workers.close()
        raise
    total = LintResult()
    processes = resolve_jobs(jobs, len(units))
    order = _heavy_first(units) if processes > 1 else list(range(len(units)))
    outcomes: list[LintResult | None] = [None] * len(units)
    for index, outcome in zip(order, map_in_processes(_lint_one, [(units[i], config) for i in order], processes,
                                                      workers), strict=True):
        outcomes[index] = outcome
    for outcome in outcomes:
        if outcome is not None:
            total.extend(outcome)
    return total.finish()


def _heavy_first(units: list[Unit]) -> list[int]:
    """The order to lint ``units`` in on several processes: those with a YAML file (a context
    template's too: it is parsed) or a file the plan saw name JSONata first, then the others as
    planned. This process takes items from the front and the children from the back
    (``engine.parallel.Workers``), so a child rarely has to import PyYAML or jsonata-python
    (≈ 35 ms, a share of a batch's wall time as large as its whole linting of a dozen files)."""
    heavy: list[int] = []
    light: list[int] = []
    for index, unit in enumerate(units):
        yaml = any(f.lower().endswith((".yaml", ".yml")) for f in [*(m.file for m in unit.files), *unit.context_files])
        (heavy if yaml or any(m.jsonata for m in unit.files) else light).append(index)
    return heavy + light


def _all_files(paths: list[str]) -> bool:
    return all(os.path.isfile(path) for path in paths)


def _lint_one(args: tuple[Unit, Config]) -> LintResult | None:
    unit, config = args
    try:
        return lint_unit(unit, config)
    except Exception as exc:
        rules = all_rules()
        file = unit.files[0].file
        locator = _Locator(file, "")
        result = LintResult(files=[file], texts={file: ""})
        result.internal_errors.append(f"{file}: {exc!r}")
        meta = rules["ASL901"]
        result.diagnostics.append(locator.diagnostic(
            meta, meta.severity, f"asl-lint crashed on this file: {type(exc).__name__}: {exc}. Please report this bug.",
            Span(0, 0), "", None))
        return result
