"""Checking an execution against a case's expectations, with a readable diff of what differed."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from asl_lint.eval.errors import NO_MOCK
from asl_lint.testing.api import Execution
from asl_lint.testing.suite import MISSING, Expectation

_SHOWN = 120  # characters of a value shown in a message


@dataclass(frozen=True)
class Difference:
    """One place where two JSON values differ: ``changed``, ``missing`` (expected, absent) or ``unexpected``."""

    path: str  # $.a.b[0]
    kind: str
    expected: Any = None
    actual: Any = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "kind": self.kind}
        if self.kind != "unexpected":
            out["expected"] = self.expected
        if self.kind != "missing":
            out["actual"] = self.actual
        return out

    def __str__(self) -> str:
        if self.kind == "missing":
            return f"{self.path}: missing (expected {show(self.expected)})"
        if self.kind == "unexpected":
            return f"{self.path}: not expected (got {show(self.actual)})"
        return f"{self.path}: expected {show(self.expected)}, got {show(self.actual)}"


@dataclass
class Failure:
    """One expectation a case did not meet (``field``: status, output, error, cause, path, …; or ``mocks``)."""

    field: str
    message: str
    expected: Any = None
    actual: Any = None
    differences: list[Difference] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.field != "mocks":
            out["expected"] = self.expected
            out["actual"] = self.actual
        if self.differences:
            out["differences"] = [d.to_dict() for d in self.differences]
        return out


def show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def check(expect: Expectation | None, execution: Execution) -> list[Failure]:
    """The failures of ``execution`` against ``expect``.

    Without a ``status`` the execution must succeed, unless an ``error`` or ``cause`` is expected.

    A missing mock always fails the case, whatever was expected: Step Functions Local would have
    called the real service there.
    """
    if execution.error == NO_MOCK:  # the run stopped short: comparing its result says nothing more
        return [Failure("mocks", execution.cause or "A Task has no mocked response")]
    failures: list[Failure] = []
    expect = expect or Expectation()
    wanted = expect.status
    if wanted is None and expect.error is MISSING and expect.cause is MISSING:
        wanted = "SUCCEEDED"  # a case that says nothing of failing must succeed
    if wanted is not None and wanted != execution.status:
        reason = f" ({execution.error}: {execution.cause})" if execution.error else ""
        failures.append(Failure("status", f"status: expected {wanted}, got {execution.status}{reason}",
                                wanted, execution.status))
    if expect.output is not MISSING:
        differences = diff(expect.output, execution.output, subset=False)
        if differences or (execution.status != "SUCCEEDED"):
            failures.append(_output_failure("output", expect.output, execution, differences))
    if expect.output_contains is not MISSING:
        differences = diff(expect.output_contains, execution.output, subset=True)
        if differences or execution.status != "SUCCEEDED":
            failures.append(_output_failure("outputContains", expect.output_contains, execution, differences))
    for name in ("error", "cause"):
        wanted = getattr(expect, name)
        actual = getattr(execution, name)
        if wanted is not MISSING and wanted != actual:
            failures.append(Failure(name, f"{name}: expected {show(wanted)}, got {show(actual)}", wanted, actual))
    if expect.path is not None and expect.path != execution.path:
        failures.append(Failure("path", f"path: expected {show(expect.path)}, got {show(execution.path)}"
                                f"{_path_hint(expect.path, execution.path)}", expect.path, execution.path))
    if expect.retries is not None and expect.retries != execution.retries:
        failures.append(Failure("retries", f"retries: expected {expect.retries}, got {execution.retries}",
                                expect.retries, execution.retries))
    if expect.duration is not None and float(expect.duration) != execution.duration:
        failures.append(Failure("duration", f"duration: expected {expect.duration:g} s, got {execution.duration:g} s "
                                "(simulated)", expect.duration, execution.duration))
    return failures


def _output_failure(name: str, expected: Any, execution: Execution, differences: list[Difference]) -> Failure:
    if execution.status != "SUCCEEDED":
        return Failure(name, f"{name}: expected {show(expected)}, but the execution {execution.status} "
                       "and has no output", expected, None)
    lines = "\n".join(f"  {d}" for d in differences)
    what = "output differs" if name == "output" else "output does not contain the expected values"
    return Failure(name, f"{what}:\n{lines}", expected, execution.output, differences)


def _path_hint(expected: list[str], actual: list[str]) -> str:
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
        if want != got:
            return f"; state {index + 1} is '{got}', not '{want}'"
    if len(actual) < len(expected):
        return f"; it stopped after '{actual[-1]}'" if actual else "; no state was entered"
    return f"; '{actual[len(expected)]}' was entered after '{expected[-1]}'" if expected else ""


def diff(expected: Any, actual: Any, *, subset: bool, path: str = "$") -> list[Difference]:
    """Where ``actual`` differs from ``expected`` (with ``subset``, extra object members are fine).

    JSON semantics: 1 and 1.0 are equal, true is not 1; arrays compare element by element.
    """
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[Difference] = []
        for key, value in expected.items():
            where = _member(path, key)
            if key not in actual:
                out.append(Difference(where, "missing", expected=value))
            else:
                out.extend(diff(value, actual[key], subset=subset, path=where))
        if not subset:
            extra = [key for key in actual if key not in expected]
            out.extend(Difference(_member(path, key), "unexpected", actual=actual[key]) for key in extra)
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        out = []
        for index, value in enumerate(expected):
            where = f"{path}[{index}]"
            if index >= len(actual):
                out.append(Difference(where, "missing", expected=value))
            else:
                out.extend(diff(value, actual[index], subset=subset, path=where))
        for index in range(len(expected), len(actual)):
            out.append(Difference(f"{path}[{index}]", "unexpected", actual=actual[index]))
        return out
    if _same_scalar(expected, actual):
        return []
    return [Difference(path, "changed", expected, actual)]


def _same_scalar(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return float(expected) == float(actual)
    return type(expected) is type(actual) and bool(expected == actual)


def _member(path: str, key: str) -> str:
    plain = key.isidentifier()
    return f"{path}.{key}" if plain else f"{path}[{json.dumps(key, ensure_ascii=False)}]"
