"""Workflow tests: run state machines offline against mocked service integrations.

``asl-lint test`` runs suite files (``*.sfn-test.yaml|json``, see docs/testing.md); the typed API::

    from asl_lint.testing import run
    execution = run(definition, {"orderId": "o-1"}, mocks={"Charge": {"Return": {"ok": True}}})
    execution.status, execution.output, execution.path, execution.history

Names are loaded on first use (PEP 562) so that the pytest plugin stays cheap to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from asl_lint._lazy import lazy_attributes

if TYPE_CHECKING:
    from asl_lint.testing.api import Execution, Marks, run
    from asl_lint.testing.document import Problem, SuiteError
    from asl_lint.testing.runner import TestRun, run_paths
    from asl_lint.testing.suite import Suite, load_suite

__all__ = ["Execution", "Marks", "Problem", "Suite", "SuiteError", "TestRun", "load_suite", "run", "run_paths"]

_HOMES = {
    "Execution": "asl_lint.testing.api",
    "Marks": "asl_lint.testing.api",
    "run": "asl_lint.testing.api",
    "Problem": "asl_lint.testing.document",
    "SuiteError": "asl_lint.testing.document",
    "TestRun": "asl_lint.testing.runner",
    "run_paths": "asl_lint.testing.runner",
    "Suite": "asl_lint.testing.suite",
    "load_suite": "asl_lint.testing.suite",
}


__getattr__ = lazy_attributes(globals(), _HOMES)
