"""Public entry points: ``test_state`` (offline TestState) and ``run_execution`` (offline execution)."""

from __future__ import annotations

from typing import Any

from asl_lint.eval.context import DEFAULT_ROLE_ARN, execution_context
from asl_lint.eval.errors import too_deep
from asl_lint.eval.execution import execute
from asl_lint.eval.loading import load_definition
from asl_lint.eval.runtime import Limits, Runtime
from asl_lint.eval.test_state import test_state

__all__ = ["run_execution", "test_state"]


def run_execution(
    definition: dict[str, Any] | str,
    input: Any = None,
    *,
    mocks: dict[str, Any] | None = None,
    limits: Limits | None = None,
    state_machine_type: str = "STANDARD",
    role_arn: str = DEFAULT_ROLE_ARN,
) -> dict[str, Any]:
    """Run a whole state machine offline.

    Returns ``{"status": "SUCCEEDED", "output": <JSON text>}`` or ``{"status": "FAILED", "error", "cause"}``.
    ``mocks`` maps state names to a result value, TestState's ``{"result": <JSON text or value>}``,
    or ``{"errorOutput": {"error": ..., "cause": ...}}``. Every Task needs one; a mocked Map or
    Parallel is not run, the mock is its whole result. Without input AWS starts with ``{}``.
    ``state_machine_type`` ("STANDARD"/"EXPRESS") and ``role_arn`` only shape the Context object.
    """
    try:
        return _run(definition, input, mocks, limits, state_machine_type, role_arn)
    except RecursionError:
        return too_deep()


def _run(
    definition: dict[str, Any] | str,
    input: Any,
    mocks: dict[str, Any] | None,
    limits: Limits | None,
    state_machine_type: str,
    role_arn: str,
) -> dict[str, Any]:
    machine = load_definition(definition)
    execution_input = {} if input is None else input
    runtime = Runtime(
        base_context=execution_context(
            execution_input, express=state_machine_type == "EXPRESS", role_arn=role_arn
        ),
        mocks=dict(mocks or {}),
        limits=limits or Limits(),
    )
    return execute(machine, execution_input, runtime)
