"""Definition files: a JSON or YAML file whose top level is a state machine definition.

Alone, a file's ``${X}`` placeholders are unknown values. Linted for a machine that uses it
(SAM ``DefinitionUri``, Terraform ``templatefile``, Serverless ``${file(...)}``), the file is read
as the machine deploys it: the context's literal substitutions are applied to the *text* (as
CloudFormation applies ``DefinitionSubstitutions`` to the definition string), the result is
parsed, and every position is mapped back to the file, so a finding about a substituted value
lands on its placeholder.
"""

from __future__ import annotations

from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.text import LineIndex
from asl_lint.sources.base import (
    Document,
    DocumentFormat,
    LayoutName,
    LocatedDefinition,
    MachineContext,
    SourceResult,
    is_definition,
)
from asl_lint.sources.offsets import MappedText
from asl_lint.sources.placeholders import find_placeholders
from asl_lint.sources.scalars import string_span_lookup
from asl_lint.sources.substitute import quote_bare_placeholders, substitute


class StandaloneLayout:
    """A file that is a definition, by structure (top-level ``StartAt`` and ``States``)."""

    name: LayoutName = "standalone"
    formats: frozenset[DocumentFormat] = frozenset({"json", "yaml"})
    markers: tuple[str, ...] = ("StartAt",)
    link_markers: tuple[str, ...] = ()
    infrastructure = False

    def recognise(self, doc: Document) -> bool:
        return doc.parsed is not None and is_definition(doc.parsed.value)

    def read(self, doc: Document) -> SourceResult:
        assert doc.parsed is not None
        return read_definition(doc.parsed, doc.text, doc.format == "json")


def read_definition(parsed: ParseResult, text: str, json_file: bool, context: MachineContext | None = None,
                    mapped: MappedText | None = None, inner: ParseResult | None = None) -> SourceResult:
    """The file's one definition. With ``mapped``/``inner`` (see :func:`parse_for_machine`), the
    definition is the substituted text's and string spans go through the offset map."""
    result = SourceResult(layout="standalone")
    value = parsed.value
    if value is None or parsed.fatal:
        return result
    if mapped is not None and inner is not None:
        inner_span = string_span_lookup(mapped.text, json_file, inner.spans.get, inner.value)

        def string_span(rel: str, a: int, b: int) -> object:
            span = inner_span(rel, a, b)
            return None if span is None else mapped.map_span(span)

        size = len(mapped)
    else:
        string_span = string_span_lookup(text, json_file, parsed.spans.get, value)  # type: ignore[assignment]
        size = len(text)
    kind = _KIND.get(context.layout, "standalone") if context is not None else "standalone"
    literals = {} if context is None else {
        name: sub.value for name, sub in context.substitutions.items() if sub.kind == "literal"}
    result.definitions.append(
        LocatedDefinition(
            definition=value,
            pointer="",
            spans=parsed.spans.get,
            string_span=string_span,  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            resource=None if context is None else context.id,
            substitutions=literals,
            # No "${" in the text, nor an escape that could spell one: no placeholder to look for.
            # (In JSON only ``\u`` writes "$" or "{"; in YAML a ``\`` ending a line joins two.)
            placeholders=find_placeholders(value) if "${" in text or ("\\u" if json_file else "\\") in text else [],
            size=size,
            context=context,
        )
    )
    return result


_KIND = {"sam": "sam", "cloudformation": "cfn", "cdk": "cfn", "serverless": "serverless", "terraform": "terraform"}


def parse_for_machine(text: str, fmt: str, context: MachineContext) -> tuple[ParseResult, MappedText | None,
                                                                            ParseResult | None]:
    """(the file parsed as the machine deploys it with positions in the file, the offset map, the
    parse of the substituted text); the last two are None when nothing was substituted."""
    from asl_lint.sources.detect import parse_text

    lookup = {name: sub.text for name, sub in context.substitutions.items() if sub.text is not None}
    terraform = context.template_syntax == "terraform"
    if "${" not in text and not (terraform and "%{" in text):
        return parse_text(text, fmt), None, None
    source = MappedText()
    source.add_exact(text, 0)
    if terraform:  # templatefile(): Terraform's template language (expressions, %{ } directives)
        from asl_lint.sources.terraform.render import TemplateError, render_definition

        try:
            mapped = render_definition(text, context)
        except TemplateError as exc:
            problem = SourceProblem("ASL007", f"{context.name} renders this template with values not known "
                                    f"statically: {exc}; it is not linted for that machine", exc.span)
            return ParseResult(fatal=True, problems=[problem]), None, None
    else:
        mapped = substitute(source, lookup.get, fn_sub=False, terraform=terraform)
    if fmt == "json":
        # The deployment fills in a bare ``${X}`` (``"TimeoutSeconds": ${T}``): the text parses then.
        mapped = quote_bare_placeholders(mapped)
    if mapped is source:
        return parse_text(text, fmt), None, None
    inner = parse_text(mapped.text, fmt)
    spans = {
        pointer: NodeSpan(mapped.map_span(node.value), mapped.map_span(node.key) if node.key is not None else None)
        for pointer, node in inner.spans.items()
    }
    problems = [SourceProblem(p.code, p.message, mapped.map_span(p.span), p.pointer) for p in inner.problems]
    comments = inner.comments
    if comments and mapped.text.count("\n") != text.count("\n"):
        inner_index, file_index = LineIndex(mapped.text), LineIndex(text)
        comments = [(file_index.position(mapped.map_start(inner_index.offset(line, 1)))[0], comment)
                    for line, comment in comments]
    parsed = ParseResult(inner.value, spans, problems, inner.fatal, comments)
    return parsed, mapped, inner
