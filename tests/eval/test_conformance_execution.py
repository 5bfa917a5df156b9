"""Every recorded AWS execution in ../shared/conformance/execution, run offline."""

from __future__ import annotations

import json
from typing import Any

from asl_lint.eval import run_execution
from tests.conftest import shared_path
from tests.eval.conformance import decode_cause, load_cases, normalise_actual, same, summary, tokens_for


def _matches(case: dict[str, Any], result: dict[str, Any]) -> bool:
    expected = case["expected"]
    tokens = tokens_for(case)
    if result["status"] != expected["status"]:
        return False
    if expected["status"] == "SUCCEEDED":
        return same(expected.get("output"), normalise_actual(json.loads(result["output"])), tokens)
    for key in ("error", "cause"):
        if expected.get(key) is None and result.get(key) is None:
            continue
        if not same(decode_cause(expected.get(key)), normalise_actual(decode_cause(result.get(key))), tokens):
            return False
    return True


def run_all() -> tuple[dict[str, list[bool]], list[tuple[str, dict[str, Any], dict[str, Any]]]]:
    results: dict[str, list[bool]] = {}
    failures = []
    for case in load_cases(shared_path("conformance", "execution")):
        try:
            result = run_execution(
                case["definition"],
                case.get("input"),
                state_machine_type=case.get("stateMachineType", "STANDARD"),
            )
        except Exception as exc:  # a crash counts as a mismatch, reported with its type
            result = {"status": "CRASH", "error": type(exc).__name__, "cause": str(exc)}
        ok = _matches(case, result)
        results.setdefault(case["area"], []).append(ok)
        if not ok:
            failures.append((case["id"], case["expected"], result))
    return results, failures


def test_execution_conformance() -> None:
    results, failures = run_all()
    print(summary(results, "execution conformance (by area)"))
    for case_id, expected, got in failures:
        print(
            f"MISMATCH {case_id}\n  expected {json.dumps(expected)[:300]}\n  got      {json.dumps(got)[:300]}"
        )
    passed = sum(sum(v) for v in results.values())
    total = sum(len(v) for v in results.values())
    assert total == 866
    assert passed == total
