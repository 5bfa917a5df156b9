"""Retry and Catch matching, exactly as AWS does it."""

from __future__ import annotations

from typing import Any

from asl_lint.eval.errors import ALL, RUNTIME, TASK_FAILED, TIMEOUT

DEFAULT_INTERVAL = 1
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_BACKOFF = 2.0


def error_matches(names: list[str], error: str | None) -> bool:
    """Does an ``ErrorEquals`` list match ``error``?

    States.ALL matches any error; States.TaskFailed any error except States.Timeout; States.Runtime
    is never matched (AWS neither retries nor catches it, even when it is named).
    """
    if error == RUNTIME:
        return False
    for name in names:
        if name == ALL:
            return True
        if name == TASK_FAILED and error != TIMEOUT:
            return True
        if error is not None and name == error:
            return True
    return False


def find_match(handlers: list[dict[str, Any]] | None, error: str | None) -> int | None:
    """Index of the first retrier / catcher whose ErrorEquals matches, or None."""
    for index, handler in enumerate(handlers or []):
        if error_matches(list(handler.get("ErrorEquals") or []), error):
            return index
    return None


def max_attempts(retrier: dict[str, Any]) -> int:
    return int(retrier.get("MaxAttempts", DEFAULT_MAX_ATTEMPTS))


def backoff_seconds(retrier: dict[str, Any], attempt: int) -> int | float:
    """Delay before retry number ``attempt + 1`` (attempt counts retries already done)."""
    delay = (
        retrier.get("IntervalSeconds", DEFAULT_INTERVAL)
        * retrier.get("BackoffRate", DEFAULT_BACKOFF) ** attempt
    )
    cap = retrier.get("MaxDelaySeconds")
    if cap is not None:
        delay = min(delay, cap)
    return int(delay) if float(delay).is_integer() else delay
