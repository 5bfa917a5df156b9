"""The concrete evaluator: offline TestState and offline executions."""

from __future__ import annotations

from asl_lint.eval.api import run_execution, test_state
from asl_lint.eval.errors import StatesError, TestStateRequestError
from asl_lint.eval.runtime import Limits

__all__ = ["Limits", "StatesError", "TestStateRequestError", "run_execution", "test_state"]
