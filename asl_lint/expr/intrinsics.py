"""Intrinsic functions (``States.Format(...)`` etc.): parser with offsets, static checks, evaluator.

Grammar: ``Name(arg, ...)`` where an argument is a single-quoted string (escapes ``\\'`` ``\\{``
``\\}`` ``\\\\``), a number, ``true``/``false``/``null``, a JSONPath (``$``, ``$$``, ``$var``) or a
nested call. The evaluator reproduces AWS's observed quirks (docs/sources.md#amazon-states-language-semantics).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from asl_lint.expr._intrinsic_ast import Arg, Call, Literal, PathArg, Problem
from asl_lint.expr._intrinsic_parser import Parser
from asl_lint.expr.errors import EvaluationError

__all__ = [
    "FUNCTIONS",
    "MAX_NESTING",
    "Call",
    "Literal",
    "PathArg",
    "Problem",
    "Signature",
    "check_call",
    "evaluate_call",
    "iter_paths",
    "looks_like_intrinsic",
    "parse_intrinsic",
]

MAX_NESTING = 10


# ---------------------------------------------------------------------------------------------
# Parsing (the grammar lives in _intrinsic_parser)
# ---------------------------------------------------------------------------------------------


def looks_like_intrinsic(text: str) -> bool:
    """True for text that starts with ``States.`` (after optional blanks) and has a ``(``."""
    return text.lstrip().startswith("States.") and "(" in text


def iter_paths(call: Call) -> Iterator[PathArg]:
    """Every path argument of ``call`` and of its nested calls, in source order."""
    for arg in call.args:
        if isinstance(arg, PathArg):
            yield arg
        elif isinstance(arg, Call):
            yield from iter_paths(arg)


@lru_cache(maxsize=4096)
def parse_intrinsic(text: str) -> Call:
    """Parse an intrinsic call. Raises ExprSyntaxError with offsets into ``text``."""
    return Parser(text).parse()


# ---------------------------------------------------------------------------------------------
# Signatures and static checks
# ---------------------------------------------------------------------------------------------

JsonType = str  # "string" | "number" | "boolean" | "array" | "object" | "null" | "any"


@dataclass(frozen=True)
class Signature:
    """What an intrinsic function takes and returns."""
    name: str
    min_args: int
    max_args: int | None  # None = variadic
    arg_types: tuple[JsonType, ...]  # the last entry repeats for variadic functions
    returns: JsonType
    path_only: tuple[int, ...] = ()  # argument positions that must be paths

    def arg_type(self, index: int) -> JsonType:
        if not self.arg_types:
            return "any"
        return self.arg_types[min(index, len(self.arg_types) - 1)]


def _sig(name: str, lo: int, hi: int | None, types: tuple[str, ...], ret: str, **kw: Any) -> Signature:
    return Signature(f"States.{name}", lo, hi, types, ret, **kw)


FUNCTIONS: dict[str, Signature] = {
    s.name: s
    for s in (
        _sig("Format", 1, None, ("string", "any"), "string"),
        _sig("StringToJson", 1, 1, ("string",), "any"),
        _sig("JsonToString", 1, 1, ("any",), "string", path_only=(0,)),
        _sig("Array", 0, None, ("any",), "array"),
        _sig("ArrayPartition", 2, 2, ("array", "number"), "array"),
        _sig("ArrayContains", 2, 2, ("array", "any"), "boolean"),
        _sig("ArrayRange", 3, 3, ("number", "number", "number"), "array"),
        _sig("ArrayGetItem", 2, 2, ("array", "number"), "any"),
        _sig("ArrayLength", 1, 1, ("array",), "number"),
        _sig("ArrayUnique", 1, 1, ("array",), "array"),
        _sig("Base64Encode", 1, 1, ("string",), "string"),
        _sig("Base64Decode", 1, 1, ("string",), "string"),
        _sig("Hash", 2, 2, ("string", "string"), "string"),
        _sig("JsonMerge", 3, 3, ("object", "object", "boolean"), "object"),
        _sig("MathRandom", 2, 3, ("number", "number", "number"), "number"),
        _sig("MathAdd", 2, 2, ("number", "number"), "number"),
        _sig("StringSplit", 2, 2, ("string", "string"), "array"),
        _sig("UUID", 0, 0, (), "string"),
    )
}

HASH_ALGORITHMS = ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512")
MAX_INPUT_CHARS = 10_000
MAX_RANGE_ITEMS = 1000
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def json_type(value: Any) -> JsonType:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _arg_type(arg: Arg) -> JsonType:
    if isinstance(arg, Literal):
        return json_type(arg.value)
    if isinstance(arg, Call) and arg.name in FUNCTIONS:
        return FUNCTIONS[arg.name].returns
    return "any"


def _placeholders(template: str) -> int:
    """Count unescaped ``{}`` in a States.Format template source."""
    return len(re.findall(r"(?<!\\)\{\}", re.sub(r"\\\\", "", template)))


def check_call(call: Call) -> list[Problem]:
    """Static problems in a parsed call (nested calls included); [] when it is valid."""
    problems: list[Problem] = []
    # AWS: "You can nest up to 10 intrinsic functions within a field"; its example with calls 5 deep
    # is described as "nine nested intrinsic functions", so every call in the field counts.
    if call.count() > MAX_NESTING:
        problems.append(
            Problem(
                f"A field can nest at most {MAX_NESTING} intrinsic functions (found {call.count()})",
                call.offset,
                call.end,
            )
        )
    _check(call, problems)
    return problems


def _check(call: Call, problems: list[Problem]) -> None:
    for arg in call.args:
        if isinstance(arg, Call):
            _check(arg, problems)
    sig = FUNCTIONS.get(call.name)
    if sig is None:
        import difflib

        # Compare without the shared "States." prefix, which would make every name look close.
        short = call.name.removeprefix("States.")
        names = [n.removeprefix("States.") for n in FUNCTIONS]
        close = difflib.get_close_matches(short, names, n=1, cutoff=0.6)
        hint = f"; did you mean States.{close[0]}?" if close else ""
        problems.append(Problem(f"Unknown intrinsic function {call.name}{hint}", call.offset, call.name_end))
        return
    count = len(call.args)
    if count < sig.min_args or (sig.max_args is not None and count > sig.max_args):
        problems.append(Problem(_arity_message(sig, count), call.offset, call.end))
        return
    for index, arg in enumerate(call.args):
        expected, actual = sig.arg_type(index), _arg_type(arg)
        if index in sig.path_only and not isinstance(arg, PathArg):
            problems.append(Problem(f"{sig.name} expects a path argument", arg.offset, arg.end))
        elif expected != "any" and actual != "any" and actual != expected:
            problems.append(
                Problem(
                    f"Argument {index + 1} of {sig.name} must be {_article(expected)}, not {_article(actual)}",
                    arg.offset,
                    arg.end,
                )
            )
    _check_values(call, sig, problems)


def _article(t: str) -> str:
    return f"an {t}" if t[0] in "aeiou" else f"a {t}"


def _arity_message(sig: Signature, count: int) -> str:
    if sig.max_args is None:
        want = f"at least {sig.min_args}"
    elif sig.min_args == sig.max_args:
        want = str(sig.min_args)
    else:
        want = f"{sig.min_args} to {sig.max_args}"
    noun = "argument" if want.endswith(("1", " 1")) and not want.endswith("11") else "arguments"
    return f"{sig.name} takes {want} {noun} but {count} {'was' if count == 1 else 'were'} given"


def _lit(arg: Arg) -> Literal | None:
    return arg if isinstance(arg, Literal) else None


def _check_values(call: Call, sig: Signature, problems: list[Problem]) -> None:
    """Checks on literal values that AWS would reject at run time."""
    args = call.args
    name = sig.name
    if name == "States.Format":
        tmpl = _lit(args[0])
        if tmpl is not None and tmpl.raw is not None:
            wanted = _placeholders(tmpl.raw)
            if wanted != len(args) - 1:
                problems.append(
                    Problem(
                        f"States.Format template has {wanted} placeholder(s) but {len(args) - 1} "
                        f"value argument(s) were given",
                        call.offset,
                        call.end,
                    )
                )
    elif name == "States.Hash":
        alg = _lit(args[1])
        if alg is not None and isinstance(alg.value, str) and alg.value not in HASH_ALGORITHMS:
            problems.append(
                Problem(
                    f"Unsupported hash algorithm '{alg.value}'; use one of {', '.join(HASH_ALGORITHMS)}",
                    alg.offset,
                    alg.end,
                )
            )
    elif name == "States.JsonMerge":
        flag = _lit(args[2])
        if flag is not None and flag.value is not False:
            problems.append(
                Problem(
                    "States.JsonMerge supports only a shallow merge: the third argument must be false",
                    flag.offset,
                    flag.end,
                )
            )
    elif name == "States.ArrayRange":
        lits = [_lit(a) for a in args]
        step = lits[2]
        if step is not None and is_number(step.value) and java_round(step.value) == 0:
            problems.append(Problem("States.ArrayRange step must not be 0", step.offset, step.end))
        elif all(lit is not None and is_number(lit.value) for lit in lits):
            start, stop, inc = (java_round(lit.value) for lit in lits if lit is not None)
            count = len(range(start, stop + (1 if inc > 0 else -1), inc))
            if count > MAX_RANGE_ITEMS:
                problems.append(
                    Problem(
                        f"States.ArrayRange would produce {count} items; the limit is {MAX_RANGE_ITEMS}",
                        call.offset,
                        call.end,
                    )
                )
    elif name == "States.ArrayPartition":
        size = _lit(args[1])
        if size is not None and is_number(size.value) and java_round(size.value) <= 0:
            problems.append(Problem("States.ArrayPartition chunk size must be positive", size.offset, size.end))
    elif name == "States.ArrayGetItem":
        index = _lit(args[1])
        if index is not None and is_number(index.value) and index.value < 0:
            problems.append(Problem("States.ArrayGetItem index must not be negative", index.offset, index.end))
    elif name == "States.MathAdd":
        for arg in args:
            lit = _lit(arg)
            if lit is not None and is_number(lit.value) and not INT_MIN <= java_round(lit.value) <= INT_MAX:
                problems.append(
                    Problem(
                        f"States.MathAdd arguments must be between {INT_MIN} and {INT_MAX}",
                        lit.offset,
                        lit.end,
                    )
                )
    elif name == "States.MathRandom":
        lo, hi = _lit(args[0]), _lit(args[1])
        if (
            lo is not None
            and hi is not None
            and is_number(lo.value)
            and is_number(hi.value)
            and java_round(lo.value) >= java_round(hi.value)
        ):
            problems.append(Problem("States.MathRandom start must be less than end", call.offset, call.end))
    elif name in ("States.Base64Encode", "States.Base64Decode", "States.Hash"):
        data = _lit(args[0])
        if data is not None and isinstance(data.value, str) and len(data.value) > MAX_INPUT_CHARS:
            problems.append(Problem(f"{name} input is limited to {MAX_INPUT_CHARS} characters", data.offset, data.end))


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def java_round(v: float) -> int:
    """Java ``Math.round``: half up towards positive infinity (-2.5 → -2, 2.5 → 3)."""
    import math

    return math.floor(v + 0.5) if isinstance(v, float) else int(v)


def intrinsic_failure(name: str, detail: str) -> EvaluationError:
    return EvaluationError("States.IntrinsicFailure", f"Invalid arguments in {name}: {detail}")


def evaluate_call(call: Call, data: Any, *, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
    """Evaluate a call against the effective input ``data``.

    Raises EvaluationError: ``States.IntrinsicFailure`` for bad arguments, or the path error
    (``States.Runtime``) when a path argument matches nothing.
    """
    from asl_lint.expr import _intrinsic_impl as impl
    from asl_lint.expr.jsonpath import get_value

    values: list[Any] = []
    for arg in call.args:
        if isinstance(arg, Literal):
            values.append(arg.value)
        elif isinstance(arg, PathArg):
            values.append(get_value(arg.path, data, context=context, variables=variables))
        else:
            values.append(evaluate_call(arg, data, context=context, variables=variables))
    sig = FUNCTIONS.get(call.name)
    if sig is None:
        raise EvaluationError("States.IntrinsicFailure", f"Unknown intrinsic function {call.name}")
    if len(values) < sig.min_args or (sig.max_args is not None and len(values) > sig.max_args):
        raise intrinsic_failure(call.name, _arity_message(sig, len(values)))
    template_raw = None
    if call.name == "States.Format" and isinstance(call.args[0], Literal):
        template_raw = call.args[0].raw
    return impl.run(call.name, values, template_raw)
