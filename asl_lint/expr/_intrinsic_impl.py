"""Run-time behaviour of the 18 intrinsic functions, with AWS's (Java) quirks.

Separate from ``intrinsics`` (parsing/checking) so that module stays small; only
``intrinsics.evaluate_call`` calls ``run``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from asl_lint.expr.errors import EvaluationError
from asl_lint.expr.intrinsics import (
    HASH_ALGORITHMS,
    INT_MAX,
    INT_MIN,
    MAX_INPUT_CHARS,
    MAX_RANGE_ITEMS,
    intrinsic_failure,
    java_round,
    json_type,
)

_HASHLIB = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def _need(name: str, index: int, value: Any, expected: str) -> Any:
    actual = json_type(value)
    if actual != expected:
        raise intrinsic_failure(
            name, f"argument {index + 1} must be of type {expected} but was {actual}: {_java_text(value)}"
        )
    return value


def java_double(x: float) -> str:
    """``Double.toString``: plain between 1e-3 and 1e7, otherwise ``d.dddE±n``."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    digits_t, exp = Decimal(repr(abs(x))).normalize().as_tuple()[1:]
    digits = "".join(map(str, digits_t))
    assert isinstance(exp, int)
    point = len(digits) + exp  # position of the decimal point within digits
    if 1e-3 <= abs(x) < 1e7:
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{sign}{digits}{'0' * (point - len(digits))}.0"
        return f"{sign}{digits[:point]}.{digits[point:]}"
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return f"{sign}{mantissa}E{point - 1}"


def java_json(value: Any) -> str:
    """Compact JSON as Jackson writes it: like ``json.dumps`` but doubles in Java form (1.0E20)."""
    if isinstance(value, float) and math.isfinite(value):
        return java_double(value)
    if isinstance(value, list):
        return "[" + ",".join(java_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{java_json(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def _java_text(value: Any) -> str:
    """How AWS renders a value inside States.Format (Java ``toString`` of the parsed JSON)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_java_text(v) for v in value) + "]"
    return "{" + ", ".join(f"{k}={_java_text(v)}" for k, v in value.items()) + "}"


def _strict_eq(a: Any, b: Any) -> bool:
    """Jackson node equality: an integer never equals a decimal (1 != 1.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_strict_eq(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_strict_eq(a[k], b[k]) for k in a)
    return bool(a == b)


def _format(values: list[Any], template_raw: str | None) -> str:
    name = "States.Format"
    template = _need(name, 0, values[0], "string")
    args = values[1:]
    pieces: list[str] = []
    used = 0
    src = template_raw if template_raw is not None else template
    i = 0
    while i < len(src):
        ch = src[i]
        if template_raw is not None and ch == "\\" and i + 1 < len(src):
            pieces.append(src[i + 1])
            i += 2
            continue
        if src.startswith("{}", i):
            if used >= len(args):
                raise intrinsic_failure(name, "the number of arguments does not match the number of placeholders")
            pieces.append(_java_text(args[used]))
            used += 1
            i += 2
            continue
        pieces.append(ch)
        i += 1
    if used != len(args):
        raise intrinsic_failure(name, "the number of arguments does not match the number of placeholders")
    return "".join(pieces)


def _string_to_json(values: list[Any]) -> Any:
    text = _need("States.StringToJson", 0, values[0], "string").strip()
    if not text:
        return None

    def no_constants(token: str) -> Any:
        raise ValueError(token)

    try:
        return json.loads(text, parse_constant=no_constants)
    except ValueError:
        raise intrinsic_failure("States.StringToJson", f"the string is not valid JSON: {text}") from None


def _array_partition(values: list[Any]) -> list[Any]:
    name = "States.ArrayPartition"
    arr = _need(name, 0, values[0], "array")
    size = java_round(_need(name, 1, values[1], "number"))
    if size <= 0:
        raise intrinsic_failure(name, f"the chunk size must be greater than 0 but was {size}")
    return [arr[i : i + size] for i in range(0, len(arr), size)]


def _array_range(values: list[Any]) -> list[int]:
    name = "States.ArrayRange"
    start, stop, step = (java_round(_need(name, i, v, "number")) for i, v in enumerate(values))
    if step == 0:
        raise intrinsic_failure(name, "the step must not be 0")
    out = list(range(start, stop + (1 if step > 0 else -1), step))
    if len(out) > MAX_RANGE_ITEMS:
        raise intrinsic_failure(name, f"the result would have {len(out)} items; the maximum is {MAX_RANGE_ITEMS}")
    return out


def _array_get_item(values: list[Any]) -> Any:
    name = "States.ArrayGetItem"
    arr = _need(name, 0, values[0], "array")
    index = java_round(_need(name, 1, values[1], "number"))
    if not 0 <= index < len(arr):
        raise intrinsic_failure(name, f"index {index} is out of bounds for an array of length {len(arr)}")
    return arr[index]


def _array_unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in _need("States.ArrayUnique", 0, values[0], "array"):
        if not any(_strict_eq(item, seen) for seen in out):
            out.append(item)
    return out


def _limited(name: str, value: Any) -> str:
    text = _need(name, 0, value, "string")
    if len(text) > MAX_INPUT_CHARS:
        raise intrinsic_failure(name, f"the input exceeds the maximum of {MAX_INPUT_CHARS} characters")
    return str(text)


def _base64_decode(values: list[Any]) -> str:
    text = _limited("States.Base64Decode", values[0])
    try:
        return base64.b64decode(text, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        raise intrinsic_failure("States.Base64Decode", f"the input is not valid Base64: {text}") from None


def _hash(values: list[Any]) -> str:
    data = _limited("States.Hash", values[0])
    alg = _need("States.Hash", 1, values[1], "string")
    if alg not in HASH_ALGORITHMS:
        raise intrinsic_failure(
            "States.Hash", f"unsupported algorithm '{alg}'; use one of {', '.join(HASH_ALGORITHMS)}"
        )
    import hashlib  # (here: hashlib and uuid cost ~10 ms to import; few definitions call them)

    return hashlib.new(_HASHLIB[alg], data.encode("utf-8")).hexdigest()


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _json_merge(values: list[Any]) -> dict[str, Any]:
    name = "States.JsonMerge"
    left, right = _need(name, 0, values[0], "object"), _need(name, 1, values[1], "object")
    if _need(name, 2, values[2], "boolean") is not False:
        raise intrinsic_failure(name, "deep merging is not supported; the third argument must be false")
    return {**left, **right}


def _math_random(values: list[Any]) -> int:
    name = "States.MathRandom"
    start, end = (java_round(_need(name, i, v, "number")) for i, v in enumerate(values[:2]))
    if start >= end:
        raise intrinsic_failure(name, f"start ({start}) must be less than end ({end})")
    if len(values) == 3:
        seed = java_round(_need(name, 2, values[2], "number"))
        return random.Random(seed).randrange(start, end)
    return random.randrange(start, end)


def _math_add(values: list[Any]) -> int:
    name = "States.MathAdd"
    total = 0
    for index, value in enumerate(values):
        number = java_round(_need(name, index, value, "number"))
        if not INT_MIN <= number <= INT_MAX:
            raise intrinsic_failure(name, f"argument {index + 1} ({_java_text(value)}) is outside the integer range")
        total += number
    if not INT_MIN <= total <= INT_MAX:
        raise intrinsic_failure(name, f"the result {total} is outside the integer range")
    return total


def _string_split(values: list[Any]) -> list[str]:
    # Java StringTokenizer: every delimiter character separates, empty tokens are dropped.
    text = _need("States.StringSplit", 0, values[0], "string")
    delims = set(_need("States.StringSplit", 1, values[1], "string"))
    tokens: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in delims:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        tokens.append("".join(current))
    return tokens


_IMPLS: dict[str, Callable[[list[Any]], Any]] = {
    "States.StringToJson": _string_to_json,
    "States.JsonToString": lambda v: java_json(v[0]),
    "States.Array": lambda v: list(v),
    "States.ArrayPartition": _array_partition,
    "States.ArrayContains": lambda v: any(_strict_eq(x, v[1]) for x in _need("States.ArrayContains", 0, v[0], "array")),
    "States.ArrayRange": _array_range,
    "States.ArrayGetItem": _array_get_item,
    "States.ArrayLength": lambda v: len(_need("States.ArrayLength", 0, v[0], "array")),
    "States.ArrayUnique": _array_unique,
    "States.Base64Encode": lambda v: base64.b64encode(_limited("States.Base64Encode", v[0]).encode()).decode(),
    "States.Base64Decode": _base64_decode,
    "States.Hash": _hash,
    "States.JsonMerge": _json_merge,
    "States.MathRandom": _math_random,
    "States.MathAdd": _math_add,
    "States.StringSplit": _string_split,
    "States.UUID": lambda v: _uuid(),
}


def run(name: str, values: list[Any], template_raw: str | None) -> Any:
    """Apply function ``name`` to evaluated argument ``values``."""
    if name == "States.Format":
        return _format(values, template_raw)
    impl = _IMPLS.get(name)
    if impl is None:
        raise EvaluationError("States.IntrinsicFailure", f"Unknown intrinsic function {name}")
    return impl(values)
