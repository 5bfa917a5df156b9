"""ASL704: Choice comparisons of values that, by what the states upstream produce, are never of the
compared type (JSONPath operators and JSONata comparisons with literals)."""

from __future__ import annotations

import json
from typing import Any

from asl_lint.symbolic.choice import ChoiceFinding
from asl_lint.symbolic.domain import ALL, NOCONST, AVal, read
from asl_lint.symbolic.paths import input_steps
from asl_lint.symbolic.refine import family_type, operator_of


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def type_mismatches(rules: list[Any], pointers: list[str], effective: AVal) -> list[ChoiceFinding]:
    found: list[ChoiceFinding] = []
    stack = list(zip(rules, pointers, strict=True))
    while stack:
        rule, pointer = stack.pop()
        if not isinstance(rule, dict):
            continue
        for name in ("And", "Or"):
            if isinstance(rule.get(name), list):
                stack += [(m, f"{pointer}/{name}/{i}") for i, m in enumerate(rule[name])]
        if isinstance(rule.get("Not"), dict):
            stack.append((rule["Not"], f"{pointer}/Not"))
        operator = operator_of(rule)
        needed = family_type(operator) if operator else None
        if operator is None or needed is None:
            continue
        paths = [rule.get("Variable", "$")]
        if operator.endswith("Path"):
            paths.append(rule[operator])
        for text in paths:
            steps = input_steps(text) if isinstance(text, str) else None
            if steps is None:
                continue
            presence, value = read(effective, steps)
            if presence not in ("yes", "maybe") or value.types == ALL:
                continue
            bad = needed not in value.types
            if not bad and operator.startswith("Timestamp") and value.only("string") and value.const is not NOCONST:
                from asl_lint.eval.timestamps import parse_timestamp

                bad = parse_timestamp(value.const) is None
            if bad:
                kinds = " or ".join(sorted(value.types))
                what = "a timestamp string" if operator.startswith("Timestamp") else f"a {needed}"
                const = f" ({_compact(value.const)})" if value.const is not NOCONST else ""
                found.append(ChoiceFinding("ASL704", f"{pointer}/{operator}", (
                    f"{operator} needs {what}, but '{text}' is always {kinds}{const} here (set by the states"
                    f" upstream), so this comparison is always false; compare with the matching operator"),
                    target="key"))
    found.sort(key=lambda f: f.pointer)
    return found


def jsonata_type_mismatches(rules: list[Any], pointers: list[str], effective: AVal) -> list[ChoiceFinding]:
    """``$states.input.x = 'a'`` (or ``<``…) where x is, by what upstream states produce, never a string."""
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.jsonata import _symbol_type, _walk, parse_jsonata, split_wrapper
    from asl_lint.symbolic.domain import type_of
    from asl_lint.symbolic.jsonata_smt import states_input_steps
    from asl_lint.symbolic.jsonata_values import _objects_only

    found: list[ChoiceFinding] = []
    for rule, pointer in zip(rules, pointers, strict=True):
        text = rule.get("Condition")
        body = split_wrapper(text) if isinstance(text, str) else None
        if body is None:
            continue
        try:
            ast = parse_jsonata(body)
        except (ExprSyntaxError, RecursionError):
            continue
        for node in _walk(ast, _symbol_type()):
            if getattr(node, "type", None) != "binary" or node.value not in ("=", "!=", "<", "<=", ">", ">="):
                continue
            steps, literal = states_input_steps(node.lhs), node.rhs
            if steps is None:
                steps, literal = states_input_steps(node.rhs), node.lhs
            if steps is None or getattr(literal, "type", None) not in ("string", "number", "value"):
                continue
            presence, value = read(effective, steps)
            if presence != "yes" or value.types == ALL or "array" in value.types:
                continue
            if not _objects_only(effective, steps):
                continue
            needed = type_of(literal.value)
            if needed in value.types:
                continue
            kinds = " or ".join(sorted(value.types))
            path = "$states.input." + ".".join(steps)
            if node.value in ("=", "!="):
                verdict = "always false" if node.value == "=" else "always true"
            elif needed in ("number", "string"):
                verdict = "an error (States.QueryEvaluationError)"
            else:
                continue
            found.append(ChoiceFinding("ASL704", f"{pointer}/Condition", (
                f"'{path} {node.value} {_compact(literal.value)}' compares a {needed} with '{path}', which is always"
                f" {kinds} here (set by the states upstream), so the comparison is {verdict}; compare with a value"
                " of its type")))
    return found
