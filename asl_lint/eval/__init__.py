"""The concrete evaluator: offline TestState and offline executions.

The names below are loaded on first use (PEP 562), so that the linter's symbolic checks can import
``asl_lint.eval.choice`` or ``asl_lint.eval.timestamps`` without loading the whole evaluator. (No
submodule may share a name with them: importing it would shadow the function on the package.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from asl_lint._lazy import lazy_attributes

if TYPE_CHECKING:
    from asl_lint.eval.api import run_execution, test_state
    from asl_lint.eval.errors import StatesError, TestStateRequestError
    from asl_lint.eval.runtime import Limits

__all__ = ["Limits", "StatesError", "TestStateRequestError", "run_execution", "test_state"]

_HOMES = {
    "run_execution": "asl_lint.eval.api",
    "test_state": "asl_lint.eval.api",
    "StatesError": "asl_lint.eval.errors",
    "TestStateRequestError": "asl_lint.eval.errors",
    "Limits": "asl_lint.eval.runtime",
}


__getattr__ = lazy_attributes(globals(), _HOMES)
