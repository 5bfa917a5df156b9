"""ErrorEquals matching exactly as AWS does it.

- ``States.ALL`` matches every error except ``States.Runtime``.
- ``States.TaskFailed`` matches every error except ``States.Timeout`` (and ``States.Runtime``).
- Any other name matches only itself, case-sensitively.
- ``States.Runtime`` is never retried or caught, not even when named explicitly (observed).
"""

from __future__ import annotations

from collections.abc import Iterable

ALL = "States.ALL"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
RUNTIME = "States.Runtime"

# Every States.* error name Step Functions raises (docs/sources.md#error-names).
KNOWN_STATES_ERRORS = frozenset(
    {
        ALL,
        TASK_FAILED,
        TIMEOUT,
        RUNTIME,
        "States.HeartbeatTimeout",
        "States.Permissions",
        "States.ResultPathMatchFailure",
        "States.ParameterPathFailure",
        "States.BranchFailed",
        "States.NoChoiceMatched",
        "States.IntrinsicFailure",
        "States.ExceedToleratedFailureThreshold",
        "States.ItemReaderFailed",
        "States.ResultWriterFailed",
        "States.QueryEvaluationError",
        "States.Http.Socket",
        "States.DataLimitExceeded",
    }
)


def is_known_states_error(name: str) -> bool:
    return name in KNOWN_STATES_ERRORS or (
        name.startswith("States.Http.StatusCode.") and name.rsplit(".", 1)[1].isdigit()
    )


def matches(pattern: str, error: str) -> bool:
    """Whether an ErrorEquals entry ``pattern`` takes a raised ``error``."""
    if error == RUNTIME:
        return False
    if pattern == ALL:
        return True
    if pattern == TASK_FAILED:
        return error != TIMEOUT
    return pattern == error


def subsumed(pattern: str, earlier: Iterable[str]) -> bool:
    """Whether every error ``pattern`` can match is already matched by one of ``earlier``."""
    names = set(earlier)
    if pattern in names or ALL in names:
        return True
    if pattern == ALL:
        return False
    if pattern == TASK_FAILED:
        return False
    return TASK_FAILED in names and pattern != TIMEOUT
