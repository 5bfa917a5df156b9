"""Step Functions' own JSONata functions ($partition, $range, $hash, $random, $uuid, $parse) and the
removal of ``$eval``, as jsonata-python callables. Imported only when a JSONata expression runs."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from jsonata import JException, Jsonata
from jsonata.utils import Utils

from asl_lint.expr.intrinsics import HASH_ALGORITHMS

_HASHLIB = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def fail(code: str, message: str) -> JException:
    """A JException carrying our own message (jsonata-python only knows its built-in texts)."""
    exc = JException(code, -1)
    exc.args = (message,)
    exc.message = message
    return exc


def _is(value: Any, kind: str) -> bool:
    if kind == "n":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "s":
        return isinstance(value, str)
    if kind == "a":
        return isinstance(value, list)
    return True


def _checked(name: str, impl: Callable[..., Any], kinds: str, required: int) -> Any:
    """Wrap ``impl`` with JSONata-style argument checks (T0410) for signature ``kinds``."""

    def call(*args: Any) -> Any:
        if len(args) > len(kinds):
            raise fail("T0410", f'Argument {len(kinds) + 1} of function "{name}" does not match function signature')
        for index, kind in enumerate(kinds):
            if index >= len(args):
                if index < required:
                    raise fail("T0410", f'Argument {index + 1} of function "{name}" does not match function signature')
                break
            value = args[index]
            if kind == "a" and not isinstance(value, list):
                value = [value]  # JSONata's "a" accepts a single value as a one-item array
                args = (*args[:index], value, *args[index + 1 :])
            if not _is(value, kind):
                raise fail("T0410", f'Argument {index + 1} of function "{name}" does not match function signature')
        return impl(*args)

    return Jsonata.JLambda(call)


def _partition(array: list[Any], size: float) -> list[Any]:
    n = int(size)  # integer parameters are rounded down
    if n <= 0:
        raise fail("D3040", "The size argument of $partition must be a positive integer")
    return [list(array[i : i + n]) for i in range(0, len(array), n)]


def _range(start: float, end: float, step: float = 1) -> Any:
    a, b, s = int(start), int(end), int(step)
    if s == 0:
        raise fail("D3040", "The step argument of $range must not be 0")
    seq = Utils.create_sequence()  # a sequence: one item collapses to a scalar, as recorded on AWS
    seq.extend(range(a, b + (1 if s > 0 else -1), s))
    return seq


def _hash(data: str, algorithm: str) -> str:
    if algorithm not in HASH_ALGORITHMS:
        raise fail("D3040", f"Unsupported hash algorithm {algorithm}; use one of {', '.join(HASH_ALGORITHMS)}")
    import hashlib  # (here: hashlib and uuid cost ~10 ms to import, and few expressions call them)

    return hashlib.new(_HASHLIB[algorithm], data.encode("utf-8")).hexdigest()


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _random(seed: float | None = None) -> float:
    return random.Random(seed).random() if seed is not None else random.random()


def _parse(text: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise fail("D3040", f"Unable to parse JSON: {exc}") from None
    return Utils.NULL_VALUE if value is None else value


def _no_eval(*_args: Any) -> Any:
    raise JException("T1006", -1)  # AWS lacks $eval: calling it fails like calling any non-function


def bindings(now_millis: int) -> dict[str, Any]:
    """Frame bindings that turn jsonata-python's function set into Step Functions', with $now()
    and $millis() at ``now_millis`` (the evaluation's start, or the virtual clock of an execution).
    jsonata-python's own read the timestamp of the Jsonata object built or evaluated last in the
    thread, not of this evaluation: with compiled expressions cached, a time minutes old."""
    from jsonata.functions import Functions

    def now(picture: str | None = None, timezone: str | None = None) -> Any:
        return Functions.datetime_from_millis(now_millis, picture, timezone)

    return {
        "now": _checked("now", now, "ss", 0),
        "millis": _checked("millis", lambda: now_millis, "", 0),
        "partition": _checked("partition", _partition, "an", 2),
        "range": _checked("range", _range, "nnn", 2),
        "hash": _checked("hash", _hash, "ss", 2),
        "random": _checked("random", _random, "n", 0),
        "uuid": _checked("uuid", lambda: _uuid(), "", 0),
        "parse": _checked("parse", _parse, "s", 1),
        "eval": Jsonata.JLambda(_no_eval),
    }
