"""Signatures of intrinsic functions and JSONata built-ins, rendered for hover and completion."""

from __future__ import annotations

import re
from functools import cache

from asl_lint.expr.intrinsics import FUNCTIONS, Signature

_INTRINSIC_AT = re.compile(r"States\.[A-Za-z0-9]+")
_JSONATA_AT = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*")
_TYPES = {"a": "array", "s": "string", "n": "number", "b": "boolean", "l": "null", "f": "function", "o": "object"}
_GROUP = re.compile(r"\(\[?([a-z]+)\]?([?+]?)\)")
# Step Functions' own JSONata additions (AWS documents them; jsonata-python lacks them).
_AWS_JSONATA = {
    "partition": "$partition(array, size: number) → array",
    "range": "$range(start: number, end: number, step: number) → array",
    "hash": "$hash(data: string, algorithm: string) → string",
    "random": "$random(seed?: number) → number",
    "uuid": "$uuid() → string",
    "parse": "$parse(json: string) → any",
}


def intrinsic_signature(sig: Signature) -> str:
    # A variadic function lists its fixed arguments, then its repeating last type with "...".
    count = sig.max_args if sig.max_args is not None else max(len(sig.arg_types) - 1, 0)
    args = []
    for i in range(count):
        optional = "?" if i >= sig.min_args else ""
        args.append(f"{sig.arg_type(i)}{optional}")
    if sig.max_args is None:
        args.append(f"{sig.arg_type(count)}...")
    return f"{sig.name}({', '.join(args)}) → {sig.returns}"


def _word_at(pattern: re.Pattern[str], line: str, column: int) -> str | None:
    for match in pattern.finditer(line):
        if match.start() <= column <= match.end():
            return match.group(0)
    return None


def intrinsic_at(line: str, column: int) -> Signature | None:
    word = _word_at(_INTRINSIC_AT, line, column)
    return FUNCTIONS.get(word) if word else None


@cache
def _jsonata_bindings() -> dict[str, object]:
    import jsonata

    return dict(getattr(jsonata.Jsonata.static_frame, "bindings", {}))


def jsonata_signature(name: str) -> str | None:
    """``$name(param types) `` from jsonata-python's compiled signature (or AWS's additions)."""
    if name in _AWS_JSONATA:
        return _AWS_JSONATA[name]
    function = _jsonata_bindings().get(name)
    if function is None:
        return None
    compiled = getattr(getattr(function, "signature", None), "_signature", None) or ""
    params = []
    for letters, suffix in _GROUP.findall(str(compiled)):
        kinds = [_TYPES[c] for c in letters if c in _TYPES]
        kind = "any" if len(kinds) > 3 else " | ".join(kinds) or "any"
        params.append(kind + {"?": "?", "+": "..."}.get(suffix, ""))
    return f"${name}({', '.join(params)})"


def jsonata_at(line: str, column: int) -> str | None:
    """The signature of the ``$function`` under the cursor, when it is a built-in call."""
    word = _word_at(_JSONATA_AT, line, column)
    if word is None:
        return None
    end = line.find(word, max(0, column - len(word))) + len(word)
    if not line[end:].lstrip().startswith("("):
        return None  # a variable, not a call
    return jsonata_signature(word[1:])


def jsonata_names() -> list[str]:
    return sorted(set(_jsonata_bindings()) | set(_AWS_JSONATA))
