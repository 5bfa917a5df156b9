"""JSONata ``Condition``s as SMT formulas: comparisons of ``$states.input`` paths with literals,
``and``/``or``/``$not``/``$exists`` and boolean literals; anything else is a fresh unknown.

Each node is (value, undefined, error). A path that runs through an array maps and flattens in
JSONata: its result is then a separate unknown value (one per path, so that two tests of one
path still agree), equal to the plain member value whenever no array is on the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asl_lint.expr.jsonata_ast import PLAIN_LEAF as _PLAIN_STEP
from asl_lint.expr.jsonata_ast import set_attributes as _attrs
from asl_lint.symbolic.smt import KIND, Encoder, Outcome, PathVars

_PLAIN_PATH = frozenset({"steps", "type"})


@dataclass
class Node:
    value: Any
    undefined: Any
    error: Any


def states_input_steps(node: Any) -> tuple[str, ...] | None:
    """Member names of a plain ``$states.input.a.b`` path."""
    if getattr(node, "type", None) != "path" or not _attrs(node) <= _PLAIN_PATH:
        return None
    steps = node.steps
    if len(steps) < 2 or any(not _attrs(s) <= _PLAIN_STEP for s in steps):
        return None
    head = (steps[0].type, steps[0].value, steps[1].type, steps[1].value)
    if head != ("variable", "states", "name", "input"):
        return None
    if any(s.type != "name" or not isinstance(s.value, str) for s in steps[2:]):
        return None
    return tuple(s.value for s in steps[2:])


class JsonataConditions:
    def __init__(self, encoder: Encoder) -> None:
        self.e = encoder
        self.z3 = encoder.z3

    def condition(self, text: Any) -> Outcome:
        ast = parsed_condition(text)
        if ast is None:
            return Outcome(self.e.fresh(), self.e.fresh())
        try:
            node = self.node(ast)
        except RecursionError:
            return Outcome(self.e.fresh(), self.e.fresh())
        return Outcome(node.value, self.z3.Or(node.error, node.undefined))

    def unknown(self) -> Node:
        return Node(self.e.fresh(), self.e.fresh(), self.e.fresh())

    def node(self, ast: Any) -> Node:
        z3 = self.z3
        kind = getattr(ast, "type", None)
        false = z3.BoolVal(False, self.e.ctx)
        if kind == "value" and isinstance(ast.value, bool):
            return Node(z3.BoolVal(ast.value, self.e.ctx), false, false)
        if kind == "block" and isinstance(getattr(ast, "expressions", None), list) and len(ast.expressions) == 1:
            return self.node(ast.expressions[0])
        if kind == "binary" and ast.value in ("and", "or"):
            left, right = self.node(ast.lhs), self.node(ast.rhs)
            lcast = z3.And(left.value, z3.Not(left.undefined))
            rcast = z3.And(right.value, z3.Not(right.undefined))
            if ast.value == "and":
                return Node(z3.And(lcast, rcast), false, z3.Or(left.error, z3.And(z3.Not(left.error), lcast,
                                                                                   right.error)))
            return Node(z3.Or(lcast, rcast), false, z3.Or(left.error, z3.And(z3.Not(left.error), z3.Not(lcast),
                                                                              right.error)))
        if kind == "binary" and ast.value in ("=", "!=", "<", "<=", ">", ">="):
            return self.compare(ast)
        if kind == "function" and getattr(ast.procedure, "type", None) == "variable" and len(ast.arguments) == 1:
            name = ast.procedure.value
            if name == "not":
                inner = self.node(ast.arguments[0])
                return Node(z3.Not(inner.value), inner.undefined, inner.error)
            if name == "exists":
                steps = states_input_steps(ast.arguments[0])
                if steps is not None:
                    return Node(self.navigated(steps).present, false, false)
        return self.unknown()

    def arrays(self, steps: tuple[str, ...]) -> Any:
        """Some value along the path is an array (JSONata would map over it)."""
        z3 = self.z3
        parts = []
        for i in range(len(steps) + 1):
            pv = self.e.var(("$", steps[:i]))
            parts.append(z3.And(pv.present, pv.kind == KIND["array"]))
        return z3.Or(*parts)

    def navigated(self, steps: tuple[str, ...]) -> PathVars:
        """What JSONata's navigation of ``$states.input.<steps>`` yields."""
        key = ("~jsonata", steps)
        if key in self.e.paths:
            return self.e.paths[key]
        z3 = self.z3
        jv = self.e.var(key)
        pv = self.e.var(("$", steps))
        same = z3.And(jv.present == pv.present, jv.kind == pv.kind, jv.num == pv.num, jv.text == pv.text,
                      jv.flag == pv.flag, jv.is_ts == pv.is_ts, jv.ts == pv.ts)
        self.e.constraints.append(z3.Implies(z3.Not(self.arrays(steps)), same))
        return jv

    def compare(self, ast: Any) -> Node:
        z3 = self.z3
        op = ast.value
        steps, literal = states_input_steps(ast.lhs), ast.rhs
        if steps is None:
            steps, literal = states_input_steps(ast.rhs), ast.lhs
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        if steps is None or getattr(literal, "type", None) not in ("string", "number", "value"):
            return self.unknown()
        value = literal.value
        pv = self.navigated(steps)
        from asl_lint.symbolic.domain import type_of

        self.e.compared_as(self.e.var(("$", steps)), type_of(value))
        false = z3.BoolVal(False, self.e.ctx)
        if isinstance(value, bool):
            same = z3.And(pv.kind == KIND["boolean"], pv.flag == value)
        elif value is None:
            same = pv.kind == KIND["null"]
        elif isinstance(value, int | float):
            same = z3.And(pv.kind == KIND["number"], pv.num == self.e.number(value))
        elif isinstance(value, str):
            same = z3.And(pv.kind == KIND["string"], pv.text == self.e.string(value))
        else:
            return self.unknown()
        if op in ("=", "!="):
            # Undefined on either side is false for both operators.
            result = z3.And(pv.present, same if op == "=" else z3.Not(same))
            return Node(result, false, false)
        if isinstance(value, bool) or value is None:
            return self.unknown()
        if isinstance(value, str):
            matching, view, const = KIND["string"], pv.text, self.e.string(value)
        else:
            matching, view, const = KIND["number"], pv.num, self.e.number(value)
        from asl_lint.symbolic.smt import _op

        name = {"<": "LessThan", "<=": "LessThanEquals", ">": "GreaterThan", ">=": "GreaterThanEquals"}[op]
        return Node(_op(z3, name, view, const), z3.Not(pv.present), z3.And(pv.present, pv.kind != matching))


def parsed_condition(text: Any) -> Any:
    """The AST of a ``{% … %}`` Condition; None when ``text`` is no such string or does not parse
    (the encoding then leaves the rule free: a fresh value and error)."""
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.jsonata import parse_jsonata, split_wrapper

    body = split_wrapper(text) if isinstance(text, str) else None
    if body is None:
        return None
    try:
        return parse_jsonata(body)
    except (ExprSyntaxError, RecursionError):
        return None


def condition_guard(text: Any, held: bool) -> tuple[Any, ...]:
    """A Guard for a Condition that reads nothing but plain ``$states.input`` paths."""
    from asl_lint.expr.jsonata import _symbol_type, _walk
    from asl_lint.symbolic.domain import Guard

    ast = parsed_condition(text)
    if ast is None:
        return ()
    paths: list[tuple[str, ...]] = []
    inside: set[int] = set()
    procedures: set[int] = set()
    for node in _walk(ast, _symbol_type()):
        kind = getattr(node, "type", None)
        if kind == "path":
            steps = states_input_steps(node)
            if steps is None:
                return ()
            paths.append(steps)
            inside.update(id(s) for s in node.steps)
        elif kind == "function":
            procedures.add(id(node.procedure))
    for node in _walk(ast, _symbol_type()):
        if getattr(node, "type", None) in ("variable", "name") and id(node) not in inside and (
                id(node) not in procedures or node.value not in ("not", "exists")):
            return ()  # variables, context, other functions: the fact may not last
    return (Guard(id(text), held, text, True, tuple(paths)),)
