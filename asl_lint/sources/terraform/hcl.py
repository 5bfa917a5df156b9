"""HCL (Terraform's configuration language) with positions: python-hcl2's Lark parse tree turned into
a small expression tree whose every node knows its span in the file.

python-hcl2 (https://pypi.org/project/python-hcl2/) parses with Lark and keeps each token's offset;
its own dict output drops them, so this module reads the raw Lark tree instead. Templates (quoted
strings, heredocs, ``templatefile`` files) are split into literal parts and ``${...}``/``%{...}``
parts by :mod:`.template`; the expressions inside them are parsed here with an offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from asl_lint.source.nodes import SourceProblem
from asl_lint.source.text import Span

if TYPE_CHECKING:
    from lark import Token, Tree

    from asl_lint.sources.offsets import MappedText
    from asl_lint.sources.terraform.template import Part


# --- the expression tree ---------------------------------------------------------------------------
@dataclass(eq=False)
class Node:
    span: Span


@dataclass(eq=False)
class Literal(Node):
    value: str | int | float | bool | None


@dataclass(eq=False)
class Template(Node):
    """A quoted string or heredoc: literal parts, ``${...}`` interpolations and ``%{...}`` directives."""

    parts: list[Part]
    heredoc: bool = False


@dataclass(eq=False)
class Variable(Node):
    name: str


@dataclass(eq=False)
class GetAttr(Node):
    target: Node
    name: str


@dataclass(eq=False)
class Index(Node):
    target: Node
    key: Node


@dataclass(eq=False)
class Splat(Node):
    """``x[*].y`` / ``x.*.y``: a list computed from another (not evaluated statically)."""

    target: Node


@dataclass(eq=False)
class Call(Node):
    name: str
    args: list[Node]
    name_span: Span
    expand: bool = False  # f(list...)


@dataclass(eq=False)
class TupleExpr(Node):
    items: list[Node]


@dataclass(eq=False)
class ObjectItem:
    key: Node
    value: Node


@dataclass(eq=False)
class ObjectExpr(Node):
    items: list[ObjectItem]


@dataclass(eq=False)
class Conditional(Node):
    condition: Node
    then: Node
    otherwise: Node


@dataclass(eq=False)
class Operation(Node):
    operator: str  # "+", "==", "!", "-" (unary when ``right`` is None) ...
    left: Node
    right: Node | None = None


@dataclass(eq=False)
class ForExpr(Node):
    """``[for ...]`` / ``{for ...}``: not evaluated statically (an unknown value)."""


@dataclass(eq=False)
class Invalid(Node):
    """An expression that could not be parsed (inside a template): an unknown value."""

    message: str = ""


# --- bodies ------------------------------------------------------------------------------------------
@dataclass(eq=False)
class Attribute:
    name: str
    name_span: Span
    value: Node
    span: Span  # ``name = value``


@dataclass(eq=False)
class Block:
    type: str
    labels: list[str]
    body: Body
    span: Span  # the whole block
    head: Span  # ``resource "aws_sfn_state_machine" "x"``
    file: str = ""


@dataclass(eq=False)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.type == kind]


@dataclass
class HclFile:
    """One parsed ``.tf`` file: its body (empty when it does not parse) and its problems."""

    path: str
    text: str
    body: Body
    problems: list[SourceProblem] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)


# --- parsing ----------------------------------------------------------------------------------------
_STRIP_OPEN = re.compile(r"\$\{~")
_STRIP_CLOSE = re.compile(r"~\}")


def parse_hcl(text: str, path: str = "") -> HclFile:
    """The file's body, or an empty body and an ASL001 problem at the error when it is not HCL."""
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        try:
            tree = _parse(text)
        except UnexpectedInput as exc:
            # python-hcl2's grammar has no strip markers in a quoted string's interpolation
            # ("${~ x ~}", valid HCL): read them as spaces (same length, so every offset stays).
            if text[_error_offset(text, exc) : _error_offset(text, exc) + 1] != "~":
                raise
            tree = _parse(_STRIP_OPEN.sub("${ ", _STRIP_CLOSE.sub(" }", text)))
    except UnexpectedInput as exc:
        pos = _error_offset(text, exc)
        return HclFile(path, text, Body(), [SourceProblem("ASL001", _error_message(text, exc, pos),
                                                          Span(pos, min(pos + 1, len(text))))])
    except (LarkError, RecursionError) as exc:
        return HclFile(path, text, Body(), [SourceProblem("ASL001", f"The Terraform file is not valid HCL: {exc}",
                                                          Span(0, 0))])
    converter = _Converter(text, 0, None)
    try:
        body = converter.body(tree.children[0], path)
    except RecursionError:
        return HclFile(path, text, Body(), [SourceProblem("ASL001", "The Terraform file is nested too deeply to read",
                                                          Span(0, 0))])
    return HclFile(path, text, body, comments=converter.comments)


_HEREDOC_START = re.compile(r"<<-?([A-Za-z][\w.-]*)\s*$")


def comments(text: str) -> list[tuple[int, str]]:
    """(line, text) of each ``#`` and ``//`` comment, for suppression directives: a light scan that
    skips quoted strings and heredoc bodies (no parse needed)."""
    out: list[tuple[int, str]] = []
    heredoc: str | None = None
    in_block = False
    for number, line in enumerate(text.splitlines(), 1):
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        code, pos, in_string = [], 0, False
        while pos < len(line):
            char = line[pos]
            if in_block:
                if line.startswith("*/", pos):
                    in_block = False
                    pos += 1
            elif in_string:
                if char == "\\":
                    pos += 1
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char == "#" or line.startswith("//", pos):
                out.append((number, line[pos:]))
                break
            elif line.startswith("/*", pos):
                in_block = True
                pos += 1
            else:
                code.append(char)
            pos += 1
        start = _HEREDOC_START.search("".join(code))
        if start is not None and not in_block:
            heredoc = start.group(1)
    return out


def parse_expression(text: str, start: int, end: int, mapped: MappedText | None = None) -> Node:
    """The expression in ``text[start:end]`` (an interpolation or directive argument).

    Positions are offsets of ``text``; with ``mapped`` (``text`` is ``mapped.text``) they are
    mapped on to the file ``mapped`` comes from.
    """
    from lark.exceptions import LarkError

    source = text[start:end]
    if not source.strip():
        return Invalid(_span(start, end, mapped), "empty expression")
    prefix = "x = ("
    try:
        tree = _parse(prefix + source + "\n)")
    except (LarkError, RecursionError) as exc:
        return Invalid(_span(start, end, mapped), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    converter = _Converter(text, start - len(prefix), mapped)
    try:
        attribute = converter.trees(converter.trees(tree)[0])[0]  # start -> body -> attribute
        parenthesised = converter.trees(attribute)[-1]  # expr_term ( expression )
        return converter.expr(converter.trees(parenthesised)[0])
    except (RecursionError, IndexError):
        return Invalid(_span(start, end, mapped), "unreadable expression")


def _parse(text: str) -> Tree:
    from hcl2.api import parses_to_tree

    return parses_to_tree(text)


def _span(start: int, end: int, mapped: MappedText | None) -> Span:
    return Span(start, end) if mapped is None else mapped.map_span(Span(start, end))


def _error_offset(text: str, exc: Any) -> int:
    token = getattr(exc, "token", None)
    if token is not None and getattr(token, "type", "") == "$END":
        return len(text)
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(pos, int) and pos >= 0:
        return min(pos, len(text))
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    if isinstance(line, int) and isinstance(column, int) and line > 0:
        from asl_lint.source.text import LineIndex

        return LineIndex(text).offset(line, column)
    return len(text)  # the parser ran out of input: the error is at the end


def _error_message(text: str, exc: Any, pos: int) -> str:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedEOF) or pos >= len(text):
        what = "the file ends before the block or expression is closed"
    elif isinstance(exc, UnexpectedToken):
        words = str(exc.token).split()
        what = f"unexpected {words[0][:40]!r}" if words else "unexpected line break"
    elif isinstance(exc, UnexpectedCharacters):
        what = f"unexpected character {text[pos]!r}"
    else:
        what = "unexpected input"
    return f"The Terraform file is not valid HCL: {what}"


class _Converter:
    """Lark tree -> :class:`Node` tree. ``shift`` is added to every offset (sub-parses)."""

    def __init__(self, text: str, shift: int, mapped: MappedText | None) -> None:
        self.text = text
        self.shift = shift
        self.mapped = mapped
        self.comments: list[tuple[int, str]] = []

    # positions
    def span_of(self, item: Tree | Token) -> Span:
        from lark import Token

        if isinstance(item, Token):
            start, end = item.start_pos or 0, item.end_pos or 0
        else:
            start, end = item.meta.start_pos, item.meta.end_pos
        start += self.shift
        end += self.shift
        if isinstance(item, Token) and item.type in ("HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM"):
            end -= 1  # the heredoc token ends with the line break after its closing marker
        return _span(start, end, self.mapped)

    def offset(self, pos: int) -> int:
        return pos + self.shift

    # bodies
    def body(self, tree: Tree, path: str) -> Body:
        from lark import Token, Tree

        out = Body()
        for child in tree.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                name_node, _eq, value = child.children
                name = self.name(name_node)
                if name not in out.attributes:  # Terraform rejects duplicates; keep the first
                    out.attributes[name] = Attribute(name, self.span_of(name_node), self.expr(value),
                                                     self.span_of(child))
            elif child.data == "block":
                out.blocks.append(self.block(child, path))
            elif child.data == "new_line_or_comment":
                self.comment_tokens([c for c in child.children if isinstance(c, Token)])
        return out

    def comment_tokens(self, tokens: list[Token]) -> None:
        for token in tokens:
            value = str(token).strip()
            if value.startswith(("#", "//", "/*")) and self.mapped is None and self.shift == 0:
                self.comments.append((token.line or 1, value))

    def block(self, tree: Tree, path: str) -> Block:
        from lark import Tree

        kind = ""
        labels: list[str] = []
        body = Body()
        head_end = tree.meta.start_pos
        for child in tree.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "body":
                body = self.body(child, path)
            elif child.data == "new_line_or_comment":
                continue
            elif not kind:
                kind = self.name(child)
                head_end = child.meta.end_pos
            else:
                labels.append(self.label(child))
                head_end = child.meta.end_pos
        head = _span(self.offset(tree.meta.start_pos), self.offset(head_end), self.mapped)
        return Block(kind, labels, body, self.span_of(tree), head, path)

    def name(self, tree: Tree | Token) -> str:
        from lark import Token

        if isinstance(tree, Token):
            return str(tree)
        token = tree.children[0]
        return str(token) if isinstance(token, Token) else self.name(token)

    def label(self, tree: Tree) -> str:
        if tree.data == "string":
            node = self.string(tree)
            literal = "".join(p.mapped.text for p in node.parts if hasattr(p, "mapped"))
            return literal
        return self.name(tree)

    # expressions
    def expr(self, tree: Tree | Token) -> Node:
        from lark import Token

        if isinstance(tree, Token):
            return Invalid(self.span_of(tree), f"unexpected {tree.type}")
        handler = getattr(self, "x_" + tree.data, None)
        if handler is None:
            return Invalid(self.span_of(tree), f"unsupported expression {tree.data}")
        node: Node = handler(tree)
        return node

    def trees(self, tree: Tree) -> list[Tree]:
        from lark import Tree

        return [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]

    def x_expr_term(self, tree: Tree) -> Node:
        inner = self.trees(tree)
        if len(inner) != 1:
            return Invalid(self.span_of(tree), "unexpected expression")
        node = self.expr(inner[0])
        if tree.children and str(tree.children[0]) == "(":
            node.span = self.span_of(tree)  # the parentheses belong to the expression
        return node

    def x_int_lit(self, tree: Tree) -> Node:
        return Literal(self.span_of(tree), int(str(tree.children[0])))

    def x_float_lit(self, tree: Tree) -> Node:
        number = float(str(tree.children[0]))
        return Literal(self.span_of(tree), int(number) if number.is_integer() and abs(number) < 2**53 else number)

    def x_literal_value(self, tree: Tree) -> Node:
        return Literal(self.span_of(tree), {"true": True, "false": False, "null": None}[str(tree.children[0])])

    def x_identifier(self, tree: Tree) -> Node:
        return Variable(self.span_of(tree), str(tree.children[0]))

    x_keyword = x_identifier

    def x_string(self, tree: Tree) -> Node:
        return self.string(tree)

    def string(self, tree: Tree) -> Template:
        from asl_lint.sources.terraform.template import parts_of_string

        span = self.span_of(tree)
        return Template(span, parts_of_string(self, tree))

    def x_template_string(self, tree: Tree) -> Node:
        return Invalid(self.span_of(tree), "escaped template string")

    def x_heredoc_template(self, tree: Tree) -> Node:
        return self.heredoc(tree, flush=False)

    def x_heredoc_template_trim(self, tree: Tree) -> Node:
        return self.heredoc(tree, flush=True)

    def heredoc(self, tree: Tree, flush: bool) -> Node:
        from lark import Token

        from asl_lint.sources.terraform.template import parts_of_heredoc

        token = tree.children[0]
        assert isinstance(token, Token)
        start = self.offset(token.start_pos or 0)
        raw = self.text[start : start + len(token)]  # the text as written (the parse may have read a variant)
        return Template(self.span_of(token), parts_of_heredoc(self.text, start, raw, flush, self.mapped),
                        heredoc=True)

    def x_tuple(self, tree: Tree) -> Node:
        return TupleExpr(self.span_of(tree), [self.expr(c) for c in self.trees(tree)])

    def x_object(self, tree: Tree) -> Node:
        items = []
        for elem in self.trees(tree):
            key_tree, _sep, value = elem.children
            key_inner = self.trees(key_tree)
            key = self.expr(key_inner[0]) if key_inner else Variable(self.span_of(key_tree), self.name(key_tree))
            items.append(ObjectItem(key, self.expr(value)))
        return ObjectExpr(self.span_of(tree), items)

    def x_function_call(self, tree: Tree) -> Node:
        from lark import Token, Tree

        names = [c for c in tree.children if isinstance(c, Tree) and c.data == "identifier"]
        name = "::".join(str(n.children[0]) for n in names)
        args: list[Node] = []
        expand = False
        for child in tree.children:
            if not isinstance(child, Tree) or child.data != "arguments":
                continue
            for arg in child.children:
                if isinstance(arg, Token):
                    expand = expand or arg.type == "ELLIPSIS"
                elif arg.data != "new_line_or_comment":
                    args.append(self.expr(arg))
        name_span = Span(self.span_of(names[0]).start, self.span_of(names[-1]).end) if names else self.span_of(tree)
        return Call(self.span_of(tree), name, args, name_span, expand)

    def x_get_attr_expr_term(self, tree: Tree) -> Node:
        target, attr = self.trees(tree)
        name_node = self.trees(attr)[0]
        return GetAttr(self.span_of(tree), self.expr(target), self.name(name_node))

    def x_index_expr_term(self, tree: Tree) -> Node:
        target, index = self.trees(tree)
        if index.data == "short_index":  # x.0
            token = index.children[-1]
            key: Node = Literal(self.span_of(token), int(str(token)))
        else:
            key = self.expr(self.trees(index)[0])
        return Index(self.span_of(tree), self.expr(target), key)

    def x_attr_splat_expr_term(self, tree: Tree) -> Node:
        return Splat(self.span_of(tree), self.expr(self.trees(tree)[0]))

    x_full_splat_expr_term = x_attr_splat_expr_term

    def x_for_tuple_expr(self, tree: Tree) -> Node:
        return ForExpr(self.span_of(tree))

    x_for_object_expr = x_for_tuple_expr

    def x_conditional(self, tree: Tree) -> Node:
        parts = [c for c in self.trees(tree)]
        if len(parts) != 3:
            return Invalid(self.span_of(tree), "unexpected conditional")
        return Conditional(self.span_of(tree), *(self.expr(p) for p in parts))

    def x_binary_op(self, tree: Tree) -> Node:
        left, term = self.trees(tree)[:2]
        operator_tree, right = self.trees(term)[:2]
        operator = str(operator_tree.children[0]).strip()
        return Operation(self.span_of(tree), operator, self.expr(left), self.expr(right))

    def x_unary_op(self, tree: Tree) -> Node:
        operator = str(tree.children[0]).strip()
        return Operation(self.span_of(tree), operator, self.expr(self.trees(tree)[0]))
