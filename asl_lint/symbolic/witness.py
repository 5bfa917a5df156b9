"""Turn a z3 model into a concrete Choice input, and check it with the concrete evaluator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the encoder, fractions and datetime load with the first model (the concrete
    # outcomes below, which symbolic/fast.py uses without a solver, need none of them)
    from collections.abc import Callable
    from fractions import Fraction

    from asl_lint.symbolic.smt import Encoder, PathVars


class NoWitness(Exception):
    """The model has no JSON form we can write down exactly."""


def build_input(model: Any, encoder: Encoder, prefer_text: bool = False) -> Any:
    """The input the model describes; ``prefer_text``: a timestamp is the model's string when it
    parses (else one written for the model's instant)."""
    keys = sorted((k for k in encoder.paths if k[0] == "$"), key=lambda k: len(k[1]))
    root: dict[str, Any] = {"v": None}
    holders: dict[tuple[Any, ...], Any] = {}
    for key in keys:
        pv = encoder.paths[key]
        steps = key[1]
        if steps and not _true(model, pv.present):
            continue
        value = _leaf(model, pv, prefer_text)
        if not steps:
            root["v"] = value
            holders[()] = value
            continue
        parent = holders.get(steps[:-1])
        step = steps[-1]
        if isinstance(parent, dict) and isinstance(step, str):
            parent[step] = value
        elif isinstance(parent, list) and isinstance(step, int) and step >= 0:
            while len(parent) <= step:
                parent.append(None)
            parent[step] = value
        else:
            raise NoWitness
        holders[steps] = value
    return root["v"]


def timestamp_shape(encoder: Encoder) -> list[Any]:
    """Strings that are timestamps look like one (always-valid dates), to help witnesses."""
    z3 = encoder.z3
    ctx = encoder.ctx

    def digits(n: int) -> Any:
        return z3.Concat(*[z3.Range("0", "9", ctx) for _ in range(n)]) if n > 1 else z3.Range("0", "9", ctx)

    def lit(text: str) -> Any:
        return z3.Re(z3.StringVal(text, ctx))

    month = z3.Union(z3.Concat(lit("0"), z3.Range("1", "9", ctx)), z3.Concat(lit("1"), z3.Range("0", "2", ctx)))
    day = z3.Union(z3.Concat(lit("0"), z3.Range("1", "9", ctx)), z3.Concat(lit("1"), digits(1)),
                   z3.Concat(lit("2"), z3.Range("0", "8", ctx)))
    hour = z3.Union(z3.Concat(z3.Range("0", "1", ctx), digits(1)), z3.Concat(lit("2"), z3.Range("0", "3", ctx)))
    sixty = z3.Concat(z3.Range("0", "5", ctx), digits(1))
    shape = z3.Concat(digits(4), lit("-"), month, lit("-"), day, lit("T"), hour, lit(":"), sixty, lit(":"), sixty,
                      lit("Z"))
    return [z3.Implies(pv.is_ts, z3.InRe(pv.text, shape)) for key, pv in encoder.paths.items() if key[0] == "$"]


def _true(model: Any, expr: Any) -> bool:
    import z3

    return z3.is_true(model.eval(expr, model_completion=True))


def _leaf(model: Any, pv: PathVars, prefer_text: bool) -> Any:
    from asl_lint.symbolic.smt import KIND

    code = model.eval(pv.kind, model_completion=True).as_long()
    kind = next((name for name, value in KIND.items() if value == code), None)
    if kind == "null":
        return None
    if kind == "boolean":
        return _true(model, pv.flag)
    if kind == "number":
        from fractions import Fraction

        fraction = Fraction(str(model.eval(pv.num, model_completion=True).as_fraction()))
        if fraction.denominator == 1:
            return int(fraction)
        return float(fraction)
    if kind == "string":
        from asl_lint.eval.timestamps import parse_timestamp

        text = model.eval(pv.text, model_completion=True).as_string()
        if _true(model, pv.is_ts):
            from fractions import Fraction

            instant = Fraction(str(model.eval(pv.ts, model_completion=True).as_fraction()))
            # The string the rules named, when it is this instant; else one written for it.
            parsed = parse_timestamp(text)
            if parsed == instant or (prefer_text and parsed is not None):
                return text
            return _timestamp(instant)
        return text
    return [] if kind == "array" else {}


def _timestamp(seconds: Fraction) -> str:
    from datetime import UTC, datetime, timedelta

    whole = seconds.numerator // seconds.denominator
    rest = seconds - whole
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=whole)
    except OverflowError as exc:
        raise NoWitness from exc
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if rest:
        digits = 0
        scaled = rest
        while scaled.denominator != 1 and digits < 9:
            scaled *= 10
            digits += 1
        if scaled.denominator != 1:
            raise NoWitness
        text += "." + str(scaled.numerator).rjust(digits, "0")
    if moment.year < 1 or moment.year > 9999:
        raise NoWitness
    return text + "Z"


# --- concrete checks --------------------------------------------------------------------------------
def _resolver(data: Any, context: Any = None, variables: dict[str, Any] | None = None
              ) -> Callable[[str], tuple[bool, Any]]:
    """The concrete evaluator's path reader over ``data``: (found, value)."""
    from asl_lint.eval.exprs import PathMissing, read_path
    from asl_lint.symbolic.fast import _ABSENT, _lookup
    from asl_lint.symbolic.paths import input_steps

    def resolve(path: str) -> tuple[bool, Any]:
        steps = input_steps(path)
        if steps is not None and all(not isinstance(s, int) or s >= 0 for s in steps):
            # A definite path of members and indices from 0: where Jayway's walk ends, or nothing
            # (the search asks this a thousand times a run; ``read_path`` is the general case).
            found = _lookup(data, steps)
            return (False, None) if found is _ABSENT else (True, found)
        try:
            return True, read_path(path, data, context=context, variables=variables)
        except PathMissing:
            return False, None

    return resolve


def rule_verdicts(rules: list[Any], data: Any) -> list[bool | None]:
    """Each (JSONPath) rule evaluated on its own: True when it matches, False when it does not,
    None when it fails (an error)."""
    from asl_lint.eval.choice import evaluate_rule

    resolve = _resolver(data)
    out: list[bool | None] = []
    for rule in rules:
        try:
            out.append(bool(evaluate_rule(rule, resolve)))
        except Exception:  # (StatesError, and anything else: ``jsonpath_outcome`` counts it an error too)
            out.append(None)
    return out


def jsonpath_outcome(rules: list[Any], data: Any, context: Any = None,
                     variables: dict[str, Any] | None = None) -> int | str | None:
    """Index of the rule the concrete evaluator takes, None when none matches, or the error name
    (``States.Runtime:<path>`` when a path was missing). ``$$`` and ``$var`` paths read
    ``context`` and ``variables``."""
    from asl_lint.eval.choice import evaluate_rule
    from asl_lint.eval.errors import StatesError

    resolve = _resolver(data, context, variables)
    try:
        for index, rule in enumerate(rules):
            if evaluate_rule(rule, resolve):
                return index
    except StatesError as exc:
        if exc.error == "States.Runtime" and exc.cause:
            # Which path was missing: "States.Runtime:$.x" (the cause quotes it first).
            import re

            match = re.search(r"Invalid path '([^']*)'", exc.cause)
            if match:
                return f"States.Runtime:{match.group(1)}"
        return exc.error or "error"
    except Exception:
        return "error"
    return None


def jsonata_outcome(rules: list[Any], data: Any, variables: dict[str, Any] | None = None) -> int | str | None:
    """Like ``jsonpath_outcome`` for ``Condition`` rules; ``variables``: workflow variables bound."""
    from asl_lint.eval.exprs import eval_jsonata, jsonata_body

    for index, rule in enumerate(rules):
        body = jsonata_body(rule.get("Condition")) if isinstance(rule, dict) else None
        if body is None:
            return "error"
        try:
            verdict = eval_jsonata(body, {**(variables or {}), "states": {"input": data, "context": {}}})
        except Exception:
            return "error"
        if not isinstance(verdict, bool):
            return "error"
        if verdict:
            return index
    return None
