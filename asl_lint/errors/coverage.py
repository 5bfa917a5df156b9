"""Which retrier or catcher takes an error, and which transient errors no retrier retries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from asl_lint.errors.matching import matches
from asl_lint.model.machine import State


@dataclass(frozen=True)
class Taker:
    """The first retrier (or catcher) whose ErrorEquals matches an error."""

    index: int
    entry: dict[str, Any]
    explicit: bool  # the error is named in ErrorEquals (not taken by a wildcard)


def error_names(entry: dict[str, Any]) -> list[str]:
    names = entry.get("ErrorEquals")
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def first_taker(entries: Iterable[tuple[int, dict[str, Any]]], error: str) -> Taker | None:
    for index, entry in entries:
        names = error_names(entry)
        if any(matches(name, error) for name in names):
            return Taker(index, entry, error in names)
    return None


def retries(entry: dict[str, Any]) -> bool:
    """Whether a retrier retries at all (MaxAttempts defaults to 3; non-numbers count as yes)."""
    attempts = entry.get("MaxAttempts", 3)
    return not (isinstance(attempts, int | float) and not isinstance(attempts, bool) and attempts <= 0)


def _covered_at(state: State, error: str) -> bool | None:
    """True: retried here. False: handled here without retry. None: propagates to the parent."""
    taker = first_taker(state.retriers, error)
    if taker is not None:
        # MaxAttempts 0 on an explicitly named error is a deliberate "do not retry".
        return retries(taker.entry) or taker.explicit
    if first_taker(state.catchers, error) is not None:
        return False
    return None


def uncovered_transients(state: State, required: Iterable[str]) -> list[str]:
    """The ``required`` errors no retrier retries: neither the state's own nor, when the error
    propagates out of a Parallel branch or an inline Map iteration, an enclosing state's."""
    missing: list[str] = []
    for error in required:
        current: State | None = state
        covered: bool | None = None
        while current is not None and covered is None:
            covered = _covered_at(current, error)
            owner = current.scope.owner
            # A Distributed Map's child executions fail into the Map as their own errors.
            current = owner if owner is not None and not owner.is_distributed_map else None
        if not covered:
            missing.append(error)
    return missing
