"""Small builders for evaluator tests."""

from __future__ import annotations

import json
from typing import Any

from asl_lint.eval import run_execution


def machine(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def run_ok(definition: dict[str, Any], data: Any = None, **kwargs: Any) -> Any:
    """Run and return the decoded output, failing the test when the execution failed."""
    result = run_execution(definition, data, **kwargs)
    assert result["status"] == "SUCCEEDED", result
    return json.loads(result["output"])
