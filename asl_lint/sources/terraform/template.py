"""Terraform's template language, split into parts with an offset map into the file.

Quoted strings, heredocs and the files ``templatefile()`` reads are templates
(https://developer.hashicorp.com/terraform/language/expressions/strings):

- ``${expr}`` interpolates a value, ``%{ if c }…%{ else }…%{ endif }`` and
  ``%{ for x in list }…%{ endfor }`` are directives; a ``~`` next to the braces strips the
  white space (line breaks included) on that side;
- ``$${`` and ``%%{`` are the escapes for a literal ``${`` and ``%{``;
- quoted strings also decode ``\\n``, ``\\"``, ``\\uNNNN`` … escapes; heredocs and template files
  take backslashes literally; ``<<-`` heredocs lose the indentation common to their lines.

Every literal part keeps a :class:`MappedText` from its decoded text to the file, so a finding
inside a definition written in a heredoc or a template file lands on the exact characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from asl_lint.source.text import Span
from asl_lint.sources.offsets import MappedText

if TYPE_CHECKING:
    from lark import Tree

    from asl_lint.sources.terraform.hcl import Node, _Converter


@dataclass(eq=False)
class Lit:
    mapped: MappedText


@dataclass(eq=False)
class Interp:
    expr: Node
    span: Span  # ``${...}`` in the file


@dataclass(eq=False)
class If:
    condition: Node
    then: list[Part]
    otherwise: list[Part]
    span: Span


@dataclass(eq=False)
class For:
    key: str | None
    value: str
    collection: Node
    body: list[Part]
    span: Span


Part = Lit | Interp | If | For


@dataclass(eq=False)
class _Directive:
    """A flat ``%{...}`` before nesting."""

    keyword: str  # if, else, endif, for, endfor
    span: Span
    expr: Node | None = None
    names: tuple[str, ...] = ()
    strip: tuple[bool, bool] = (False, False)
    parts: list[Any] = field(default_factory=list)


class TemplateError(ValueError):
    """Directives that do not nest (``%{ endif }`` without ``%{ if }`` ...): Terraform rejects them."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.span = span


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_HEX = {"u": 4, "U": 8}
_DIRECTIVE = re.compile(r"\s*(if|else|endif|for|endfor)\b", re.S)
_FOR = re.compile(r"\s*for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\b", re.S)


# --- quoted strings (already split by the HCL parser) ------------------------------------------------
def parts_of_string(conv: _Converter, tree: Tree) -> list[Part]:
    """The parts of a quoted string of the Lark tree (escapes decoded, directives nested)."""
    from lark import Token
    from lark import Tree as LarkTree

    flat: list[Any] = []
    for child in tree.children:
        if not isinstance(child, LarkTree):
            continue
        item = child.children[0]
        if isinstance(item, Token):
            start = conv.offset(item.start_pos or 0)
            raw = str(item)
            if item.type == "STRING_CHARS":
                flat.append(Lit(_decode_escapes(raw, start, conv.mapped)))
            else:  # ESCAPED_INTERPOLATION / ESCAPED_DIRECTIVE: "$${x}" is the text "${x}"
                mapped = MappedText()
                _add(mapped, raw[0], start, start + 2, conv.mapped, exact=False)
                _add(mapped, raw[2:], start + 2, start + len(raw), conv.mapped, exact=True)
                flat.append(Lit(mapped))
        elif item.data == "interpolation":
            flat.append(Interp(conv.expr(conv.trees(item)[0]), conv.span_of(item)))
        else:
            flat.append(_directive_from_tree(conv, item))
    return _nest(_strip(_merge(flat)))


def _directive_from_tree(conv: _Converter, tree: Tree) -> _Directive:
    from lark import Token

    keyword = tree.data.removeprefix("template_").removesuffix("_start")
    tokens = [c for c in tree.children if isinstance(c, Token)]
    markers = [t for t in tokens if t.type == "STRIP_MARKER"]
    opening, closing = tokens[0], tokens[-1]
    strip = (any(m.start_pos == opening.end_pos for m in markers),
             any(m.end_pos == closing.start_pos for m in markers))
    exprs = conv.trees(tree)
    names = tuple(conv.name(t) for t in exprs if t.data == "identifier")
    others = [t for t in exprs if t.data != "identifier"]
    expr = conv.expr(others[-1]) if others else None
    return _Directive(keyword, conv.span_of(tree), expr, names if keyword == "for" else (), strip)


def _add(out: MappedText, piece: str, start: int, end: int, mapped: MappedText | None, *, exact: bool) -> None:
    """Append ``piece`` standing for file offsets [start, end) of the text being read (or of ``mapped``)."""
    if mapped is None:
        if exact:
            out.add_exact(piece, start)
        else:
            out.add_opaque(piece, start, end)
    elif exact:
        out.extend_slice(mapped, start, end)
    else:
        span = mapped.map_span(Span(start, end))
        out.add_opaque(piece, span.start, span.end)


def _decode_escapes(raw: str, start: int, mapped: MappedText | None) -> MappedText:
    out = MappedText()
    pos = 0
    while pos < len(raw):
        slash = raw.find("\\", pos)
        if slash < 0:
            _add(out, raw[pos:], start + pos, start + len(raw), mapped, exact=True)
            break
        _add(out, raw[pos:slash], start + pos, start + slash, mapped, exact=True)
        kind = raw[slash + 1 : slash + 2]
        if kind in _HEX:
            digits = raw[slash + 2 : slash + 2 + _HEX[kind]]
            try:
                char = chr(int(digits, 16))
            except ValueError:
                char = "\\" + kind + digits
            stop = slash + 2 + len(digits)
        else:
            char = _ESCAPES.get(kind, kind)
            stop = slash + 2
        _add(out, char, start + slash, start + stop, mapped, exact=False)
        pos = stop
    return out


# --- heredocs and template files ------------------------------------------------------------------
def parts_of_heredoc(text: str, start: int, token: str, flush: bool, mapped: MappedText | None) -> list[Part]:
    """The parts of a heredoc token starting at ``start``.

    The body runs from the line after ``<<EOF`` to the line of the closing marker. ``<<-``
    removes the smallest indentation (spaces and tabs) of the lines that are not blank.
    """
    header_end = token.find("\n") + 1
    closing = token.rstrip("\r\n")
    body_end = closing.rfind("\n") + 1
    body = token[header_end:body_end]
    lines = body.splitlines(keepends=True)
    indent = 0
    if flush:
        widths = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip(" \t\r\n")]
        indent = min(widths) if widths else 0
    source = MappedText()
    pos = start + header_end
    for line in lines:
        cut = min(indent, len(line) - len(line.lstrip(" \t")))
        _add(source, line[cut:], pos + cut, pos + len(line), mapped, exact=True)
        pos += len(line)
    return parse_template(source)


def parse_template(source: MappedText) -> list[Part]:
    """A template's parts; ``source`` is its text mapped into the file (escapes are not decoded).

    Raises :class:`TemplateError` for directives that do not nest.
    """
    from asl_lint.sources.terraform.hcl import parse_expression

    text = source.text
    flat: list[Any] = []
    pos = 0
    literal_start = 0
    literal = MappedText()

    def flush_literal(upto: int) -> None:
        nonlocal literal
        literal.extend_slice(source, literal_start, upto)
        if len(literal):
            flat.append(Lit(literal))
        literal = MappedText()

    while True:
        found = _next_marker(text, pos)
        if found < 0:
            literal.extend_slice(source, literal_start, len(text))
            if len(literal):
                flat.append(Lit(literal))
            break
        if text.startswith(("$${", "%%{"), found):
            literal.extend_slice(source, literal_start, found)
            span = source.map_span(Span(found, found + 2))
            literal.add_opaque(text[found], span.start, span.end)
            literal_start = found + 2
            pos = found + 3
            continue
        close = _closing_brace(text, found + 2)
        if close < 0:  # not closed: Terraform rejects it; read it as text (and the JSON parser complains)
            pos = found + 2
            continue
        flush_literal(found)
        inner_start, inner_end = found + 2, close
        strip_left = text.startswith("~", inner_start)
        strip_right = inner_end > inner_start and text[inner_end - 1] == "~"
        inner_start += strip_left
        inner_end -= strip_right
        span = source.map_span(Span(found, close + 1))
        if text[found] == "$":
            expr = parse_expression(text, inner_start, inner_end, source)
            flat.append(_Strip(strip_left, False))  # "${~": the literal before loses its trailing space
            flat.append(Interp(expr, span))
            flat.append(_Strip(False, strip_right))  # "~}": the literal after loses its leading space
        else:
            flat.append(_directive_from_text(text, inner_start, inner_end, source, span, (strip_left, strip_right)))
        literal_start = close + 1
        pos = close + 1
    return _nest(_strip(_merge(flat)))


@dataclass(eq=False)
class _Strip:
    """Strip markers around an interpolation, applied to the neighbouring literals by :func:`_strip`."""

    left: bool
    right: bool


def _next_marker(text: str, pos: int) -> int:
    a = text.find("${", pos)
    b = text.find("%{", pos)
    candidates = [i for i in (a, b) if i >= 0]
    if not candidates:
        return -1
    found = min(candidates)
    if found > 0 and text[found - 1] == text[found] and (found < 2 or text[found - 2] != text[found]):
        return found - 1  # "$${" / "%%{": the escape
    return found


def _closing_brace(text: str, pos: int) -> int:
    """Index of the ``}`` closing an interpolation whose expression starts at ``pos`` (-1: none)."""
    depth = 0
    while pos < len(text):
        char = text[pos]
        if char == '"':
            pos = _end_of_string(text, pos + 1)
            if pos < 0:
                return -1
            continue
        if char in "{([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "}":
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    return -1


def _end_of_string(text: str, pos: int) -> int:
    """Index after the ``"`` closing a quoted string whose content starts at ``pos``."""
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == '"':
            return pos + 1
        if char == "\n":
            return -1
        if text.startswith("${", pos) and not text.startswith("$${", pos - 1):
            close = _closing_brace(text, pos + 2)
            if close < 0:
                return -1
            pos = close + 1
            continue
        pos += 1
    return -1


def _directive_from_text(text: str, start: int, end: int, source: MappedText, span: Span,
                         strip: tuple[bool, bool]) -> _Directive:
    from asl_lint.sources.terraform.hcl import parse_expression

    match = _DIRECTIVE.match(text, start, end)
    if match is None:
        raise TemplateError("A template directive must be if, else, endif, for or endfor", span)
    keyword = match.group(1)
    if keyword == "if":
        return _Directive("if", span, parse_expression(text, match.end(), end, source), strip=strip)
    if keyword == "for":
        header = _FOR.match(text, start, end)
        if header is None:
            raise TemplateError("A for directive reads: %{ for name in collection }", span)
        names = tuple(n for n in header.groups() if n)
        return _Directive("for", span, parse_expression(text, header.end(), end, source), names, strip)
    if text[match.end():end].strip():
        raise TemplateError(f"Nothing may follow {keyword} in a template directive", span)
    return _Directive(keyword, span, strip=strip)


# --- strip markers and nesting ----------------------------------------------------------------------
def _merge(flat: list[Any]) -> list[Any]:
    """Join neighbouring literals (quoted strings come in several tokens)."""
    out: list[Any] = []
    for item in flat:
        if isinstance(item, Lit) and out and isinstance(out[-1], Lit):
            joined = MappedText()
            joined.extend(out[-1].mapped)
            joined.extend(item.mapped)
            out[-1] = Lit(joined)
        else:
            out.append(item)
    return out


def _strip(flat: list[Any]) -> list[Any]:
    """Apply ``~`` strip markers to the literals next to them; drop the markers."""
    out: list[Any] = list(flat)
    for index, item in enumerate(out):
        left, right = (item.strip if isinstance(item, _Directive) else
                       (item.left, item.right) if isinstance(item, _Strip) else (False, False))
        if left and index > 0 and isinstance(out[index - 1], Lit):
            out[index - 1] = Lit(_trim(out[index - 1].mapped, end=True))
        if right and index + 1 < len(out) and isinstance(out[index + 1], Lit):
            out[index + 1] = Lit(_trim(out[index + 1].mapped, end=False))
    return [item for item in out if not isinstance(item, _Strip)]


def _trim(mapped: MappedText, *, end: bool) -> MappedText:
    text = mapped.text
    out = MappedText()
    if end:
        out.extend_slice(mapped, 0, len(text.rstrip()))
    else:
        out.extend_slice(mapped, len(text) - len(text.lstrip()), len(text))
    return out


def _nest(flat: list[Any]) -> list[Part]:
    stack: list[tuple[_Directive | None, list[Any], list[Any] | None]] = [(None, [], None)]
    for item in flat:
        if not isinstance(item, _Directive):
            _current(stack).append(item)
            continue
        if item.keyword in ("if", "for"):
            stack.append((item, [], None))
        elif item.keyword == "else":
            opener, then, otherwise = stack[-1]
            if opener is None or opener.keyword != "if" or otherwise is not None:
                raise TemplateError("%{ else } without an open %{ if }", item.span)
            stack[-1] = (opener, then, [])
        else:
            opener, body, otherwise = stack.pop() if len(stack) > 1 else (None, [], None)
            wanted = "if" if item.keyword == "endif" else "for"
            if opener is None or opener.keyword != wanted:
                raise TemplateError(f"%{{ {item.keyword} }} without an open %{{ {wanted} }}", item.span)
            span = Span(opener.span.start, item.span.end)
            assert opener.expr is not None
            if wanted == "if":
                _current(stack).append(If(opener.expr, body, otherwise or [], span))
            else:
                key, value = (None, opener.names[0]) if len(opener.names) == 1 else opener.names[:2]
                _current(stack).append(For(key, value, opener.expr, body, span))
    if len(stack) > 1:
        opener = stack[-1][0]
        assert opener is not None
        raise TemplateError(f"%{{ {opener.keyword} }} is never closed", opener.span)
    return stack[0][1]


def _current(stack: list[tuple[_Directive | None, list[Any], list[Any] | None]]) -> list[Any]:
    _opener, then, otherwise = stack[-1]
    return otherwise if otherwise is not None else then
