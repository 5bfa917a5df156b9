"""JSONata expressions that read nothing (no ``$states``, variables or input paths): evaluate them
once with the concrete evaluator; one that fails fails on every input."""

from __future__ import annotations

from typing import Any

# Built-ins that read the clock or randomness: their results vary, but they never fail.
_VOLATILE = frozenset({"now", "millis", "random", "uuid"})
_READS = frozenset({"name", "parent", "wildcard", "descendant", "regex"})


def constant_failure(text: Any) -> str | None:
    """Why the ``{% %}`` expression ``text`` always fails, or None (it works, or depends on data)."""
    from asl_lint.expr.errors import EvaluationError, ExprSyntaxError
    from asl_lint.expr.jsonata import _symbol_type, _walk, builtin_functions, parse_jsonata, split_wrapper
    from asl_lint.expr.jsonata_ast import PLAIN_LEAF, set_attributes

    body = split_wrapper(text) if isinstance(text, str) else None
    if body is None:
        return None
    try:
        ast = parse_jsonata(body)
    except (ExprSyntaxError, RecursionError):
        return None
    if ast.type in ("string", "number", "value") and set_attributes(ast) <= PLAIN_LEAF:
        return None  # a bare literal is its own value; with a predicate (``'abc'[1]``) it is evaluated
    builtins = builtin_functions()
    functions = {id(n.procedure) for n in _walk(ast, _symbol_type()) if getattr(n, "type", None) == "function"}
    for node in _walk(ast, _symbol_type()):
        kind = getattr(node, "type", None)
        if kind in _READS or kind in ("lambda", "bind", "apply", "partial", "transform"):
            return None
        if kind == "variable" and (id(node) not in functions or node.value not in builtins
                                   or node.value in _VOLATILE):
            return None
        if kind == "function" and getattr(node.procedure, "type", None) != "variable":
            return None
    from asl_lint.eval.exprs import eval_jsonata, undefined

    try:
        value = eval_jsonata(body, {})
    except EvaluationError as exc:
        return f"the expression '{body.strip()}' always fails with {exc.error}: {exc.cause}"
    except Exception:
        return None
    if value is undefined():
        return (f"the expression '{body.strip()}' always returns nothing (undefined), so it fails with"
                " States.QueryEvaluationError")
    return None
