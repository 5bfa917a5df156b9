"""Errors raised by the evaluator.

Two kinds: ``TestStateRequestError`` is a request AWS would reject before running anything;
``StatesError`` is a run-time failure of a state that flows through Retry/Catch like AWS errors do.
"""

from __future__ import annotations

RUNTIME = "States.Runtime"
ALL = "States.ALL"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
QUERY_EVALUATION = "States.QueryEvaluationError"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
DATA_LIMIT = "States.DataLimitExceeded"
TOLERATED_FAILURE = "States.ExceedToleratedFailureThreshold"
NO_MOCK = "AslLint.NoMock"
LIMIT_EXCEEDED = "AslLint.LimitExceeded"
INVALID_DEFINITION = "AslLint.InvalidDefinition"
# What a malformed definition (a field of the wrong JSON type) raises inside the evaluator.
MALFORMED = (AttributeError, TypeError, KeyError, IndexError)
TOO_DEEP = "The data or definition is nested too deeply for asl-lint."


def too_deep() -> dict[str, str]:
    """The result (execution or TestState) when Python's recursion limit is hit by hostile nesting."""
    return {"status": "FAILED", "error": LIMIT_EXCEEDED, "cause": TOO_DEEP}


class TestStateRequestError(Exception):
    """A TestState request AWS rejects (the CLI prints ``{"Error": {"Code", "Message"}}``, exit 2)."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def as_response(self) -> dict[str, dict[str, str]]:
        return {"Error": {"Code": self.code, "Message": self.message}}


class StatesError(Exception):
    """A state failed with an ASL error name and an optional cause."""

    def __init__(self, error: str | None, cause: str | None = None) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause

    @property
    def catchable(self) -> bool:
        # AWS never retries or catches States.Runtime, even when named explicitly.
        return self.error != RUNTIME

    def error_output(self) -> dict[str, str]:
        """The ``{"Error", "Cause"}`` object a Catcher receives (absent parts left out)."""
        out: dict[str, str] = {}
        if self.error is not None:
            out["Error"] = self.error
        if self.cause is not None:
            out["Cause"] = self.cause
        return out


class ExecutionTimedOut(Exception):
    """The virtual clock passed the execution's TimeoutSeconds (or its type's maximum duration).

    Not a StatesError: nothing in the workflow can retry or catch an execution timeout.
    """

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause
