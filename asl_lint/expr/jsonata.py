"""JSONata as Step Functions runs it: ``{% %}`` wrappers, parsing, static restrictions, evaluation.

Evaluation uses jsonata-python (imported lazily); so does parsing, for the forms our own parser
(``asl_lint.expr.jsonata_parser``) leaves to it, with the same tree. Step Functions adds ``$partition``,
``$range``, ``$hash``, ``$random([seed])``, ``$uuid`` and ``$parse`` and removes ``$eval``; an
expression may run for at most 1 s. Failures are ``States.QueryEvaluationError`` whose cause is
the JSONata error (``T1006: Attempted to invoke a non-function``), as in AWS's messages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from asl_lint.expr.errors import EvaluationError, ExprSyntaxError, Problem
from asl_lint.expr.jsonata_ast import JNode

__all__ = [
    "AWS_FUNCTIONS",
    "STATES_MEMBERS",
    "UNAVAILABLE_FUNCTIONS",
    "UNDEFINED",
    "Problem",
    "check_restrictions",
    "context_references",
    "evaluate_jsonata",
    "parse_jsonata",
    "split_wrapper",
    "variable_references",
    "variables_read",
    "wrapper_problem",
]

QUERY_ERROR = "States.QueryEvaluationError"
TIMEOUT_MS = 1000
MAX_DEPTH = 500

AWS_FUNCTIONS = frozenset({"partition", "range", "hash", "random", "uuid", "parse"})
UNAVAILABLE_FUNCTIONS = {"eval": "$eval is not available in Step Functions; use $parse to read JSON text"}
STATES_MEMBERS = frozenset({"input", "result", "errorOutput", "context"})


class _Undefined:
    """JSONata's "no value" (distinct from JSON null)."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Any = _Undefined()


# ---------------------------------------------------------------------------------------------
# Wrappers
# ---------------------------------------------------------------------------------------------


def split_wrapper(text: str) -> str | None:
    """The expression inside ``{% ... %}`` when ``text`` starts exactly with ``{%`` and ends with ``%}``."""
    if len(text) >= 4 and text.startswith("{%") and text.endswith("%}"):
        return text[2:-2]
    return None


def wrapper_problem(text: str) -> str | None:
    """A message for a malformed ``{% %}`` wrapper, else None."""
    stripped = text.strip()
    if split_wrapper(text) is not None:
        if not text[2:-2].strip():
            return "The JSONata expression between {% and %} is empty"
        return None
    if stripped != text and split_wrapper(stripped) is not None:
        return (
            "This string is padded with whitespace around {% %}, so Step Functions treats it as a plain "
            "string, not a JSONata expression"
        )
    if stripped.startswith("{%"):
        return "The JSONata expression opens with {% but does not end with %}"
    if stripped.endswith("%}") and "{%" in stripped:
        # e.g. "Hello {% $name %}": AWS has no string interpolation, the whole value must be {% ... %}
        return (
            "The JSONata expression ends with %} but does not start with {%; an expression must be the "
            "whole string (use & to concatenate)"
        )
    return None


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def _syntax_error(exc: Any, expr: str) -> ExprSyntaxError:
    code = getattr(exc, "error", None) or "S0000"
    location = getattr(exc, "location", None)
    location = len(expr) if not isinstance(location, int) or location < 0 else min(location, len(expr))
    token = getattr(exc, "current", None) or getattr(exc, "token", None)
    offset = location
    # jsonata reports the position after the offending token; point at the token when we can.
    if isinstance(token, str) and token and expr[max(0, location - len(token)) : location] == token:
        offset = location - len(token)
    end = max(location, offset + 1)
    if offset >= len(expr):
        offset, end = max(0, len(expr) - 1), len(expr)
    return ExprSyntaxError(f"{code}: {exc}", offset, max(end, offset + 1))


@lru_cache(maxsize=1)
def _quiet_library() -> None:
    """jsonata-python prints debug lines (e.g. "Proc not found 23") to stdout, which would corrupt
    machine-readable linter output; silence the module-level ``print`` of its modules."""
    import jsonata.jsonata
    import jsonata.parser

    for module in (jsonata.jsonata, jsonata.parser):
        module.print = lambda *_args, **_kwargs: None


@lru_cache(maxsize=2048)
def _compiled(expr: str) -> Any:
    import jsonata

    _quiet_library()
    try:
        return jsonata.Jsonata(expr)
    except jsonata.JException as exc:
        raise _syntax_error(exc, expr) from None
    except RecursionError:
        raise ExprSyntaxError("The JSONata expression is nested too deeply", 0, max(1, len(expr))) from None
    except Exception as exc:  # the library's parser crashes (KeyError, IndexError, re.error) on some bad input
        raise ExprSyntaxError(f"S0201: Syntax error ({type(exc).__name__}: {exc})", 0, max(1, len(expr))) from None


@lru_cache(maxsize=2048)
def parse_jsonata(expr: str) -> Any:
    """The parsed tree (``asl_lint.expr.jsonata_ast.JNode``), cached. Raises ExprSyntaxError.

    The expressions users write are parsed by our own parser (≈ 16× faster than jsonata-python's);
    the rest, and every syntax error, by jsonata-python, converted to the same tree.
    """
    from asl_lint.expr.jsonata_parser import Unsupported, parse

    try:
        return parse(expr)
    except Unsupported:
        from asl_lint.expr.jsonata_ast import from_library

        return from_library(_compiled(expr).ast)


# ---------------------------------------------------------------------------------------------
# AST walking
# ---------------------------------------------------------------------------------------------

_SKIP_ATTRS = frozenset({"value", "type", "position", "id", "tuple", "consarray"})
_PRIVATE_CHILDREN = frozenset({"_else"})  # (jsonata-python's name for a condition's else branch)


def _symbol_type() -> type:
    """The class of parsed nodes (walks test children with ``isinstance``)."""
    return JNode


# Types of the attributes that never hold a child.
_LEAF_TYPES = frozenset({type(None), bool, int, float, str})


def _children(node: Any, symbol: type) -> Iterator[Any]:
    # Parsed trees are cached (``parse_jsonata``) and walked by several checks: each node keeps its
    # child list (``vars`` of every node was a tenth of a corpus run).
    attrs = vars(node)
    cached = attrs.get("_asl_children")
    if cached is None:
        found: list[Any] = []
        for key, value in attrs.items():
            if value.__class__ in _LEAF_TYPES or key in _SKIP_ATTRS or (key[0] == "_" and key not in _PRIVATE_CHILDREN):
                continue
            if isinstance(value, symbol):
                found.append(value)
            elif isinstance(value, list | tuple) and value:
                _flatten(value, symbol, found)
        cached = attrs["_asl_children"] = tuple(found)
    return iter(cached)


def _flatten(value: Any, symbol: type, found: list[Any]) -> None:
    if isinstance(value, symbol):
        found.append(value)
    elif isinstance(value, list | tuple):
        for item in value:
            _flatten(item, symbol, found)


def _walk(node: Any, symbol: type) -> Iterator[Any]:
    """Every node below ``node`` (itself first, each once), in document order; kept on the node."""
    attrs = vars(node)
    cached = attrs.get("_asl_walk")
    if cached is None:
        order: list[Any] = []
        seen: set[int] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            order.append(current)
            stack.extend(reversed(tuple(_children(current, symbol))))
        cached = attrs["_asl_walk"] = tuple(order)
    return iter(cached)


def _var_span(node: Any) -> tuple[int, int]:
    """Offsets of ``$name`` for a variable node (jsonata positions mark the token's end)."""
    end = int(node.position)
    return max(0, end - len(str(node.value)) - 1), end


def _name_span(node: Any) -> tuple[int, int]:
    end = int(node.position)
    return max(0, end - len(str(node.value))), end


# JSONata 2.0's built-in functions (https://docs.jsonata.org/overview: string, numeric, aggregation,
# boolean, array, object, date/time and higher-order functions), exactly those jsonata-python
# binds (``tests/expr/test_jsonata.py`` holds the installed library to this list). Written out so
# that checking a definition's calls does not import jsonata-python (≈ 30 ms) when nothing is
# evaluated.
JSONATA_FUNCTIONS = frozenset({
    "abs", "append", "assert", "average", "base64decode", "base64encode", "boolean", "ceil", "clone",
    "contains", "count", "decodeUrl", "decodeUrlComponent", "distinct", "each", "encodeUrl",
    "encodeUrlComponent", "error", "eval", "exists", "filter", "floor", "formatBase", "formatInteger",
    "formatNumber", "fromMillis", "join", "keys", "length", "lookup", "lowercase", "map", "match", "max",
    "merge", "millis", "min", "not", "now", "number", "pad", "parseInteger", "power", "random", "reduce",
    "replace", "reverse", "round", "shuffle", "sift", "single", "sort", "split", "spread", "sqrt", "string",
    "substring", "substringAfter", "substringBefore", "sum", "toMillis", "trim", "type", "uppercase", "zip",
})


def builtin_functions() -> frozenset[str]:
    """Names of JSONata's built-in functions plus Step Functions' additions."""
    return _BUILTINS


_BUILTINS = JSONATA_FUNCTIONS | AWS_FUNCTIONS


# ---------------------------------------------------------------------------------------------
# Static checks
# ---------------------------------------------------------------------------------------------


def check_restrictions(expr: str, *, field: str, states_members: frozenset[str]) -> list[Problem]:
    """Calls of functions AWS lacks (``$eval``, unknown names) and ``$states`` members that are unknown
    or unavailable in ``field``.

    ``states_members`` are the members usable here (``input``/``context`` always; ``result`` in
    Task/Map/Parallel Output/Assign; ``errorOutput`` in Catch Output/Assign). Offsets are into
    ``expr``. Raises ExprSyntaxError when ``expr`` does not parse.
    """
    return list(_restrictions(expr, field, states_members))


@lru_cache(maxsize=2048)  # the same expression is often in several states (and fields) of a file
def _restrictions(expr: str, field: str, states_members: frozenset[str]) -> tuple[Problem, ...]:
    symbol = _symbol_type()
    ast = parse_jsonata(expr)
    bound = _locally_bound(ast, symbol)
    problems: list[Problem] = []
    for node in _walk(ast, symbol):
        if node.type in ("function", "partial") and getattr(node.procedure, "type", None) == "variable":
            problem = _function_problem(node.procedure, bound)
            if problem:
                problems.append(problem)
        if node.type == "path" and node.steps and node.steps[0].type == "variable":
            head = node.steps[0]
            if head.value == "states" and len(node.steps) > 1 and node.steps[1].type == "name":
                problems.extend(_states_member(node.steps[1], field, states_members))
    problems.sort(key=lambda p: (p.offset, p.end))
    return tuple(problems)


def _function_problem(proc: Any, bound: set[str]) -> Problem | None:
    """A call of ``$eval`` or of a name that is no function. Workflow variables hold JSON only, so a
    name neither built in nor bound in the expression always fails (T1006, as recorded on AWS)."""
    name = str(proc.value)
    if name in bound:
        return None
    start, end = _var_span(proc)
    if name in UNAVAILABLE_FUNCTIONS:
        return Problem(UNAVAILABLE_FUNCTIONS[name], start, end)
    builtins = builtin_functions()
    if name in builtins:
        return None
    import difflib

    close = difflib.get_close_matches(name, sorted(builtins - UNAVAILABLE_FUNCTIONS.keys()), n=1)
    hint = f"; did you mean ${close[0]}?" if close else ""
    return Problem(f"${name} is not a JSONata or Step Functions function{hint}", start, end)


def _states_member(member: Any, field: str, allowed: frozenset[str]) -> list[Problem]:
    name = str(member.value)
    start, end = _name_span(member)
    if name not in STATES_MEMBERS:
        import difflib

        close = difflib.get_close_matches(name, sorted(STATES_MEMBERS), n=1)
        hint = f"; did you mean $states.{close[0]}?" if close else ""
        known = ", ".join(f"$states.{m}" for m in ("input", "result", "errorOutput", "context"))
        return [Problem(f"$states has no member '{name}' (known: {known}){hint}", start, end)]
    if name not in allowed:
        where = {
            "result": "only in the Output and Assign of Task, Map and Parallel states",
            "errorOutput": "only in a Catch's Output and Assign",
        }.get(name, "here")
        return [Problem(f"$states.{name} is not available in {field}: it exists {where}", start, end)]
    return []


def context_references(expr: str) -> list[tuple[tuple[str, ...], int, int]]:
    """Every ``$states.context.A.B`` in ``expr``: (member chain after ``context``, offset, end).

    Feed the chains to ``asl_lint.expr.context.check_context_chain(..., prefix="$states.context")``.
    """
    symbol = _symbol_type()
    found: list[tuple[tuple[str, ...], int, int]] = []
    for node in _walk(parse_jsonata(expr), symbol):
        steps = getattr(node, "steps", None) if node.type == "path" else None
        if not steps or steps[0].type != "variable" or steps[0].value != "states":
            continue
        if len(steps) < 2 or steps[1].type != "name" or steps[1].value != "context":
            continue
        chain: list[str] = []
        last = steps[1]
        for step in steps[2:]:
            if step.type != "name":
                break
            chain.append(str(step.value))
            last = step
        found.append((tuple(chain), _var_span(steps[0])[0], int(last.position)))
    return sorted(found, key=lambda item: item[1])


def _locally_bound(ast: Any, symbol: type) -> set[str]:
    names: set[str] = set()
    for node in _walk(ast, symbol):
        if node.type == "bind" and getattr(node.lhs, "type", None) == "variable":
            names.add(str(node.lhs.value))
        elif node.type == "lambda":
            names.update(str(a.value) for a in node.arguments or [] if getattr(a, "type", None) == "variable")
        for attr in ("focus", "index"):
            value = getattr(node, attr, None)
            if isinstance(value, str):
                names.add(value)
    return names


def variables_read(expr: str) -> set[str]:
    """Workflow variables the expression reads: ``$name`` references that are not built-in functions,
    ``$states``, ``$``/``$$`` or names bound inside the expression (``:=``, lambda parameters,
    ``@$x``/``#$i``). A name read before the block binds it still counts as a read."""
    return {name for name, _, _ in variable_references(expr)}


def variable_references(expr: str) -> list[tuple[str, int, int]]:
    """Each workflow-variable read as (name, offset, end), the span covering ``$name``; see
    ``variables_read`` for what counts. Sorted by offset."""
    return list(_variable_references(expr))


@lru_cache(maxsize=2048)
def _variable_references(expr: str) -> tuple[tuple[str, int, int], ...]:
    symbol = _symbol_type()
    ast = parse_jsonata(expr)
    builtins = builtin_functions()
    local_focus = {
        v
        for n in _walk(ast, symbol)
        for v in (getattr(n, "focus", None), getattr(n, "index", None))
        if isinstance(v, str)
    }
    found: list[Any] = []
    _collect_reads(ast, symbol, [set()], found, set())
    refs = [
        (str(node.value), *_var_span(node))
        for node in found
        if str(node.value) not in builtins
        and str(node.value) not in local_focus
        and str(node.value) not in ("states", "", "$")
    ]
    return tuple(sorted(refs, key=lambda ref: (ref[1], ref[0])))


def _collect_reads(node: Any, symbol: type, scopes: list[set[str]], found: list[Any], seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    kind = node.type
    # no return after a variable: its step can carry predicates/stages, e.g. $items[$.x > $limit]
    if kind == "variable" and not any(str(node.value) in s for s in scopes):
        found.append(node)
    if kind == "bind" and getattr(node.lhs, "type", None) == "variable":
        _collect_reads(node.rhs, symbol, scopes, found, seen)
        scopes[-1].add(str(node.lhs.value))
        return
    if kind == "lambda":
        params = {str(a.value) for a in node.arguments or [] if getattr(a, "type", None) == "variable"}
        _collect_reads(node.body, symbol, [*scopes, params], found, seen)
        return
    if kind == "block":
        inner = [*scopes, set()]
        for child in node.expressions or []:
            _collect_reads(child, symbol, inner, found, seen)
        return
    for child in _children(node, symbol):
        _collect_reads(child, symbol, scopes, found, seen)


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


def _to_internal(value: Any) -> Any:
    """Top-level ``None`` must be JSONata's null, or the library would read it as undefined."""
    from jsonata.utils import Utils

    return Utils.NULL_VALUE if value is None else value


def _from_internal(value: Any) -> Any:
    """Library values → plain JSON: nulls → None, sequences → lists, integral floats → int."""
    from jsonata.utils import Utils

    if value is None:
        return UNDEFINED
    return _plain(value, Utils.NULL_VALUE)


def _plain(value: Any, null: Any) -> Any:
    # Below the top level None is a JSON null: JSONata never stores undefined in arrays or objects.
    if value is None or value is null:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, list):
        return [_plain(v, null) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, null) for k, v in value.items()}
    if callable(value) or type(value).__module__.startswith("jsonata"):
        raise EvaluationError(QUERY_ERROR, "The JSONata expression returned an unsupported result type.")
    return value


@lru_cache(maxsize=1)
def _extra_bindings(now_millis: int) -> dict[str, Any]:
    from asl_lint.expr import _jsonata_functions

    return _jsonata_functions.bindings(now_millis)


def evaluate_jsonata(expr: str, bindings: Mapping[str, Any], now_millis: int | None = None) -> Any:
    """Evaluate ``expr`` with ``bindings`` (``states`` = the ``$states`` object, plus workflow variables);
    $now() and $millis() read ``now_millis`` (milliseconds since the epoch) when given, else the clock.

    Returns plain JSON values, or ``UNDEFINED`` when the expression yields nothing. Raises
    EvaluationError(States.QueryEvaluationError, "<code>: <message>") on failure or after 1 s.
    """
    import jsonata
    from jsonata import timebox

    try:
        compiled = _compiled(expr)
    except ExprSyntaxError as exc:
        raise EvaluationError(QUERY_ERROR, exc.message) from None
    frame = compiled.create_frame(compiled.environment)
    clock = now_millis if now_millis is not None else timebox.Timebox.current_milli_time()
    for name, value in _extra_bindings(clock).items():
        frame.bind(name, value)
    for name, value in bindings.items():
        frame.bind(name, _to_internal(value))
    timebox.Timebox(frame, TIMEOUT_MS, MAX_DEPTH)
    compiled.set_output_convert_nulls(False)
    try:
        result = compiled.evaluate(None, frame)
    except jsonata.JException as exc:
        code = getattr(exc, "error", None)
        message = getattr(exc, "message", None) or str(exc)
        raise EvaluationError(QUERY_ERROR, f"{code}: {message}" if code else message) from None
    except RecursionError:
        raise EvaluationError(
            QUERY_ERROR, "Stack overflow error: Check for non-terminating recursive function."
        ) from None
    except Exception as exc:  # library crashes on odd input must not crash the linter
        raise EvaluationError(QUERY_ERROR, f"{type(exc).__name__}: {exc}") from None
    return _from_internal(result)
