"""Public entry points: ``test_state`` (offline TestState) and ``run_execution`` (offline execution)."""

from __future__ import annotations

from typing import Any

from asl_lint.eval.context import execution_context
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
) -> dict[str, Any]:
    """Run a whole state machine offline.

    Returns ``{"status": "SUCCEEDED", "output": <JSON text>}`` or ``{"status": "FAILED", "error", "cause"}``.
    ``mocks`` maps Task state names to a result value, ``{"result": value}`` or
    ``{"errorOutput": {"error": ..., "cause": ...}}``. Without input AWS starts with ``{}``.
    """
    machine = load_definition(definition)
    execution_input = {} if input is None else input
    runtime = Runtime(
        base_context=execution_context(execution_input),
        mocks=dict(mocks or {}),
        limits=limits or Limits(),
    )
    return execute(machine, execution_input, runtime)

