"""A fast parser for the JSONata that Step Functions definitions hold, giving jsonata-python's tree.

Parsing every ``{% %}`` expression of a corpus with jsonata-python was a tenth of a batch run:
its parser copies a fifty-attribute symbol for every token. This one follows the same algorithm
(Pratt's top-down operator precedence, then the same post-processing of paths, predicates and
tail calls) for the grammar definitions use: literals, names and ``$variables``, paths with
predicates and wildcards, arithmetic, comparison, ``and``/``or``/``in``, ``&``, function calls and
lambdas, array and object constructors, blocks, ``:=`` and ``? :``. On anything else — regexes,
sorting, grouping, parent, focus and index operators, transforms, ranges, ``?:`` and ``??``,
comments, partial application, lambda signatures — and on every syntax error it raises
``Unsupported``, and the caller asks jsonata-python, so errors and rare forms keep exactly the
library's messages and trees. What it accepts it gives the same tree as jsonata-python, node for
node (``tests/expr/test_jsonata_parser.py`` compares both on every expression of the test data
and on generated ones).

Positions are jsonata's: the offset just after a node's token.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

from asl_lint.expr.jsonata_ast import JNode

_T = TypeVar("_T")


class Unsupported(Exception):
    """Not handled here (a rarer form or a syntax error): use jsonata-python."""


# Binding powers (jsonata's operator table) of the operators handled here.
_INFIX = {
    ".": 75, "[": 80, "(": 80, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60, "%": 60,
    "=": 40, "<": 40, ">": 40, "!=": 40, "<=": 40, ">=": 40, "&": 50, "and": 30, "or": 25, "in": 40,
    ":=": 10,
}
_BINARY = frozenset({"+", "-", "*", "/", "%", "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in"})
# Every character jsonata treats as an operator (a name ends at one of them).
_OPERATOR_CHARS = frozenset(".[]{}(),@#;:?+-*/%|=<>^&!~")
# Tokens that only close or separate: binding power 0, no nud.
_CLOSERS = frozenset({"]", "}", ")", ",", ";", ":"})
# The other operators and stop characters: their lbp (to end an expression exactly as jsonata
# does, then fail on them) — any of them in a position where it would act makes this parser give up.
_OTHER_LBP = {"@": 80, "#": 80, "^": 40, "{": 70, "|": 0, "**": 0, "..": 0, "~>": 40, "?:": 40, "??": 40,
              "!": 0, "~": 0}
_TWO_CHAR = frozenset({"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"})
_NUMBER = re.compile(r"(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_SPACE = " \t\n\r"


def _number(value: float) -> int | float:
    """jsonata-python's number: an int when integral."""
    return int(value) if value == int(value) else value


class _Token:
    __slots__ = ("kind", "position", "value")

    def __init__(self, kind: str, value: Any, position: int) -> None:
        self.kind = kind  # "operator", "name", "variable", "string", "number", "value", "end"
        self.value = value
        self.position = position


def _leaf(token: _Token) -> JNode:
    node = JNode()
    attrs = vars(node)
    attrs["type"] = token.kind
    if token.value is not None:
        attrs["value"] = token.value
    attrs["position"] = token.position
    attrs["id"] = "(literal)" if token.kind in ("string", "number", "value") else "(name)"
    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self.at = 0
        self.token = _Token("end", None, 0)

    # -- tokens ---------------------------------------------------------------------------------

    def _next(self, prefix: bool) -> _Token:
        text, length = self.text, self.length
        at = self.at
        while at < length and text[at] in _SPACE:
            at += 1
        if at >= length:
            self.at = at
            return _Token("end", None, length)
        char = text[at]
        if char == "/" and (not prefix or text.startswith("/*", at)):
            raise Unsupported("regex or comment")
        pair = text[at:at + 2]
        if pair in _TWO_CHAR:
            self.at = at + 2
            return _Token("operator", pair, self.at)
        if char in _OPERATOR_CHARS:
            self.at = at + 1
            return _Token("operator", char, self.at)
        if char == '"' or char == "'":
            return self._string(at, char)
        match = _NUMBER.match(text, at)
        if match is not None:
            number = float(match.group(0))
            if not math.isfinite(number):
                raise Unsupported("number out of range")
            self.at = match.end()
            return _Token("number", _number(number), self.at)
        if char == "`":
            end = text.find("`", at + 1)
            if end == -1:
                raise Unsupported("unterminated name")
            self.at = end + 1
            return _Token("name", text[at + 1:end], self.at)
        end = at
        while end < length and text[end] not in _SPACE and text[end] not in _OPERATOR_CHARS:
            end += 1
        self.at = end
        if char == "$":
            return _Token("variable", text[at + 1:end], end)
        word = text[at:end]
        if word in ("and", "or", "in"):
            return _Token("operator", word, end)
        if word in ("true", "false", "null"):
            return _Token("value", {"true": True, "false": False, "null": None}[word], end)
        return _Token("name", word, end)

    def _string(self, at: int, quote: str) -> _Token:
        text, length = self.text, self.length
        at += 1
        start = at
        parts: list[str] = []
        while at < length:
            char = text[at]
            if char == "\\":
                parts.append(text[start:at])
                at += 1
                char = text[at] if at < length else ""
                if char in _ESCAPES:
                    parts.append(_ESCAPES[char])
                elif char == "u" and _HEX4.fullmatch(text, at + 1, at + 5):
                    parts.append(chr(int(text[at + 1:at + 5], 16)))
                    at += 4
                else:
                    raise Unsupported("escape")
                at += 1
                start = at
            elif char == quote:
                parts.append(text[start:at])
                self.at = at + 1
                return _Token("string", "".join(parts), self.at)
            else:
                at += 1
        raise Unsupported("unterminated string")

    def advance(self, expected: str | None = None, infix: bool = False) -> None:
        if expected is not None and not (self.token.kind == "operator" and self.token.value == expected):
            raise Unsupported("syntax error")
        self.token = self._next(infix)

    def _lbp(self, token: _Token) -> int:
        if token.kind != "operator":
            return 0
        value = token.value
        if value in _INFIX:
            return _INFIX[value]
        if value in _CLOSERS:
            return 0
        return _OTHER_LBP[value]

    def _is(self, value: str) -> bool:
        return self.token.kind == "operator" and self.token.value == value

    # -- the raw tree (jsonata's parse) -----------------------------------------------------------

    def expression(self, rbp: int) -> Any:
        token = self.token
        self.advance(None, True)
        left = self.nud(token)
        while rbp < self._lbp(self.token):
            token = self.token
            self.advance(None, False)
            left = self.led(token, left)
        return left

    def nud(self, token: _Token) -> Any:
        kind = token.kind
        if kind in ("name", "variable", "string", "number", "value"):
            return ("leaf", token)
        if kind != "operator":
            raise Unsupported("unexpected end")
        value = token.value
        if value == "(":
            expressions = []
            while not self._is(")"):
                expressions.append(self.expression(0))
                if not self._is(";"):
                    break
                self.advance(";")
            self.advance(")", True)
            return ("block", token, expressions)
        if value == "[":
            return ("array", token, self._separated("]", self._array_item))
        if value == "{":
            return ("object", token, self._separated("}", self._pair))
        if value == "-":
            return ("negate", token, self.expression(70))
        if value in ("*", "**", "and", "or", "in"):  # wildcards; the keywords are names here
            return ("symbol", token)
        raise Unsupported(f"prefix {value}")

    def _separated(self, closer: str, item: Callable[[], _T]) -> list[_T]:
        """Items separated by commas up to ``closer`` (consumed): array items, object pairs, the
        arguments of a call and the parameters of a lambda, as jsonata reads them."""
        items = []
        if not self._is(closer):
            while True:
                items.append(item())
                if not self._is(","):
                    break
                self.advance(",")
        self.advance(closer, True)
        return items

    def _array_item(self) -> Any:
        item = self.expression(0)
        if self._is(".."):
            raise Unsupported("range")
        return item

    def _pair(self) -> tuple[Any, Any]:
        key = self.expression(0)
        self.advance(":")
        return key, self.expression(0)

    def _argument(self) -> Any:
        if self._is("?"):
            raise Unsupported("partial application")
        return self.expression(0)

    def _parameter(self) -> _Token:
        parameter = self.expression(0)
        if not (parameter[0] == "leaf" and parameter[1].kind == "variable"):
            raise Unsupported("lambda parameter")  # jsonata's S0208
        return parameter[1]

    def led(self, token: _Token, left: Any) -> Any:
        value = token.value
        if value in _BINARY:
            return ("binary", token, left, self.expression(_INFIX[value]))
        if value == ".":
            return ("dot", token, left, self.expression(75))
        if value == "(":
            if left[0] == "leaf" and left[1].kind == "name" and left[1].value in ("function", "\u03bb"):
                return self._lambda(token)
            return ("call", token, left, self._separated(")", self._argument))
        if value == "[":
            if self._is("]"):
                raise Unsupported("keep-array []")
            predicate = self.expression(0)
            self.advance("]", True)
            return ("filter", token, left, predicate)
        if value == "?":
            then = self.expression(0)
            otherwise = None
            if self._is(":"):
                self.advance(":")
                otherwise = self.expression(0)
            return ("condition", token, left, then, otherwise)
        if value == ":=":
            if not (left[0] == "leaf" and left[1].kind == "variable"):
                raise Unsupported("bind to a non-variable")
            return ("bind", token, left, self.expression(9))
        raise Unsupported(f"infix {value}")

    def _lambda(self, token: _Token) -> Any:
        parameters = self._separated(")", self._parameter)
        if self._is("<"):
            raise Unsupported("lambda signature")
        self.advance("{")
        body = self.expression(0)
        self.advance("}")
        return ("lambda", token, parameters, body)

    # -- the post-processed tree (jsonata's processAST) -------------------------------------------

    def process(self, raw: Any) -> JNode:
        kind = raw[0]
        token = raw[1]
        if kind == "leaf":
            node = _leaf(token)
            if token.kind == "name":
                return _path([node])
            return node
        if kind == "binary":
            node = JNode()
            attrs = vars(node)
            attrs.update(type="binary", value=token.value, position=token.position,
                         lhs=self.process(raw[2]), rhs=self.process(raw[3]))
            return node
        if kind == "dot":
            return self._dot(raw)
        if kind == "filter":
            return self._filter(raw)
        if kind == "call":
            node = JNode()
            attrs = vars(node)
            attrs.update(type="function", value="(", position=token.position)
            attrs["arguments"] = [self.process(argument) for argument in raw[3]]
            attrs["procedure"] = self.process(raw[2])
            return node
        if kind == "block":
            node = JNode()
            attrs = vars(node)
            attrs.update(type="block", position=token.position)
            parts = [self.process(item) for item in raw[2]]
            if any(p.consarray or (p.type == "path" and p.steps[0].consarray) for p in parts):
                attrs["consarray"] = True
            attrs["expressions"] = parts
            return node
        if kind == "array":
            node = JNode()
            vars(node).update(type="unary", value="[", position=token.position,
                              expressions=[self.process(item) for item in raw[2]])
            return node
        if kind == "object":
            node = JNode()
            vars(node).update(type="unary", value="{",
                              lhs_object=[[self.process(k), self.process(v)] for k, v in raw[2]])
            return node
        if kind == "negate":
            inner = self.process(raw[2])
            if inner.type == "number":
                vars(inner)["value"] = _number(-float(inner.value))
                return inner
            node = JNode()
            vars(node).update(type="unary", value="-", expression=inner)
            return node
        if kind == "symbol":
            node = JNode()
            attrs = vars(node)
            value = token.value
            attrs.update(value=value, id=value, position=token.position)
            if value == "**":
                attrs["type"] = "descendant"
                return node
            attrs["lbp"] = attrs["bp"] = _INFIX[value]
            if value == "*":
                attrs["type"] = "wildcard"
                return node
            attrs["type"] = "name"
            return _path([node])
        if kind == "lambda":
            node = JNode()
            vars(node).update(type="lambda", arguments=[_leaf(t) for t in raw[2]], position=token.position,
                              body=_tail_call(self.process(raw[3])))
            return node
        if kind == "condition":
            node = JNode()
            attrs = vars(node)
            attrs.update(type="condition", position=token.position, condition=self.process(raw[2]),
                         then=self.process(raw[3]))
            if raw[4] is not None:
                attrs["_else"] = self.process(raw[4])
            return node
        # bind
        node = JNode()
        vars(node).update(type="bind", value=":=", position=token.position, lhs=self.process(raw[2]),
                          rhs=self.process(raw[3]))
        return node

    def _dot(self, raw: Any) -> JNode:
        left = self.process(raw[2])
        path = left if left.type == "path" else _path([left])
        steps = path.steps
        rest = self.process(raw[3])
        if rest.type == "path":
            steps.extend(rest.steps)
        else:
            if rest.predicate is not None:
                attrs = vars(rest)
                attrs["stages"] = attrs.pop("predicate")
            steps.append(rest)
        for step in steps:
            if step.type in ("number", "value"):
                raise Unsupported("literal step")  # jsonata's S0213
            if step.type == "string":
                vars(step)["type"] = "name"
        for step in (steps[0], steps[-1]):
            if step.type == "unary" and step.value == "[":
                vars(step)["consarray"] = True
        return path

    def _filter(self, raw: Any) -> JNode:
        result = self.process(raw[2])
        step = result.steps[-1] if result.type == "path" else result
        where = "stages" if result.type == "path" else "predicate"
        attrs = vars(step)
        found = attrs.get(where)
        if found is None:
            found = attrs[where] = []
        predicate = self.process(raw[3])
        stage = JNode()
        vars(stage).update(type="filter", expr=predicate, position=raw[1].position)
        found.append(stage)
        return result


def _tail_call(node: JNode) -> JNode:
    """jsonata's tail-call optimisation of a lambda body: a call in tail position becomes a thunk."""
    if node.type == "function" and node.predicate is None:
        thunk = JNode()
        vars(thunk).update(type="lambda", thunk=True, arguments=[], position=node.position, body=node)
        return thunk
    if node.type == "condition":
        attrs = vars(node)
        attrs["then"] = _tail_call(node.then)
        if node._else is not None:
            attrs["_else"] = _tail_call(node._else)
    elif node.type == "block" and node.expressions:
        node.expressions[-1] = _tail_call(node.expressions[-1])
    return node


def _path(steps: list[JNode]) -> JNode:
    node = JNode()
    vars(node).update(type="path", steps=steps)
    return node


def parse(text: str) -> JNode:
    """The post-processed tree of ``text``; raises Unsupported when jsonata-python must decide."""
    parser = _Parser(text)
    try:
        parser.advance()
        raw = parser.expression(0)
        if parser.token.kind != "end":
            raise Unsupported("trailing tokens")
        return parser.process(raw)
    except Unsupported:
        raise
    except Exception:  # (running past the text, too deep: whatever it is, jsonata-python decides)
        raise Unsupported("malformed") from None
