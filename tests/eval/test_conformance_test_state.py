"""Every recorded AWS TestState call in ../shared/conformance/test-state, answered offline."""

from __future__ import annotations

import json
from typing import Any

from asl_lint.eval import TestStateRequestError
from asl_lint.eval import test_state as offline_test_state
from tests.conftest import shared_path
from tests.eval.conformance import decode_response, load_cases, normalise_actual, same, summary, tokens_for

ROLE_ARN = "arn:aws:iam::111111111111:role/asl-lint-test-role"


def _call(case: dict[str, Any]) -> dict[str, Any]:
    try:
        return offline_test_state(
            case["definition"],
            case.get("input"),
            state_name=case.get("stateName"),
            inspection_level=case.get("inspectionLevel", "INFO"),
            variables=case.get("variables"),
            context=case.get("context"),
            mock=case.get("mock"),
            reveal_secrets=bool(case.get("revealSecrets", False)),
            role_arn=ROLE_ARN if "roleArn" in case else None,
            state_configuration=case.get("stateConfiguration"),
        )
    except TestStateRequestError as exc:
        return exc.as_response()


def _feature(case: dict[str, Any]) -> str:
    expected = case["expected"]
    if "Error" in expected:
        return "api-error"
    tested = next(
        (f[len("tested-state-") :] for f in case["features"] if f.startswith("tested-state-")), None
    )
    kind = tested or next((f[5:] for f in case["features"] if f.startswith("type:")), "?")
    return f"{kind}/{expected.get('status')}"


def _matches(case: dict[str, Any], got: dict[str, Any]) -> tuple[bool, bool]:
    """(core fields match, inspectionData matches)."""
    expected = case["expected"]
    if "Error" in expected:
        ok = "Error" in got and got["Error"]["Code"] == expected["Error"]["Code"]
        return ok, ok
    actual = normalise_actual(decode_response(got))
    tokens = tokens_for(case)
    core = all(
        same(expected.get(key), actual.get(key), tokens) for key in ("status", "nextState", "error", "output")
    ) and (expected.get("cause") is None or same(expected.get("cause"), actual.get("cause"), tokens))
    inspection = same(expected.get("inspectionData"), actual.get("inspectionData"), tokens)
    return core, inspection


def test_test_state_conformance() -> None:
    results: dict[str, list[bool]] = {}
    inspection_results: list[bool] = []
    failures = []
    for case in load_cases(shared_path("conformance", "test-state")):
        try:
            got = _call(case)
        except Exception as exc:
            got = {"status": "CRASH", "error": type(exc).__name__, "cause": str(exc)}
        core, inspection = _matches(case, got)
        results.setdefault(_feature(case), []).append(core)
        if "Error" not in case["expected"]:
            inspection_results.append(inspection)
        if not (core and inspection):
            failures.append((case["id"], core, case["expected"], got))
    print(summary(results, "test-state conformance (by tested state type / status)"))
    print(f"  inspectionData exact: {sum(inspection_results)}/{len(inspection_results)}")
    for case_id, core, expected, got in failures:
        print(
            f"MISMATCH{'' if core else ' (core)'} {case_id}\n  expected {json.dumps(expected)[:400]}\n"
            f"  got      {json.dumps(got)[:400]}"
        )
    status_cases = [ok for key, oks in results.items() if key != "api-error" for ok in oks]
    assert len(status_cases) == 136
    assert sum(status_cases) / len(status_cases) >= 0.95
    assert all(results["api-error"])
    assert sum(inspection_results) / len(inspection_results) >= 0.95
