"""The 866 recorded AWS executions, run again through the workflow-test engine (history, virtual clock
and coverage marks on): every one still matches AWS, and its history ends the way its result says."""

from __future__ import annotations

import json

from asl_lint.testing.api import execute
from tests.conftest import shared_path
from tests.eval.conformance import load_cases
from tests.eval.test_conformance_execution import _matches

_TERMINAL = {"SUCCEEDED": "ExecutionSucceeded", "FAILED": "ExecutionFailed", "TIMED_OUT": "ExecutionTimedOut"}


def test_recorded_executions_match_aws_with_history_and_coverage_on() -> None:
    cases = load_cases(shared_path("conformance", "execution"))
    assert len(cases) == 866
    mismatches = []
    for case in cases:
        tested = execute(case["definition"], case.get("input"), {},
                         machine_type=case.get("stateMachineType", "STANDARD"))
        result: dict[str, object] = {"status": tested.status}
        if tested.output_json is not None:
            result["output"] = tested.output_json
        result.update({key: value for key in ("error", "cause") if (value := getattr(tested, key)) is not None})
        if not _matches(case, result):
            mismatches.append((case["id"], json.dumps(result)[:300]))
        history = tested.history
        assert history[0]["type"] == "ExecutionStarted", case["id"]
        assert history[-1]["type"] == _TERMINAL[tested.status], case["id"]
        assert [event["id"] for event in history] == list(range(1, len(history) + 1)), case["id"]
        assert tested.path[0] == case["definition"]["StartAt"], case["id"]
    assert mismatches == []
