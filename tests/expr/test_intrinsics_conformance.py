"""Intrinsic functions against executions recorded on real AWS (conformance/execution).

Runs every case whose machine is one Pass state with only ``Parameters`` containing an intrinsic:
the payload template is applied to the input and compared with the recorded output or error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from asl_lint.expr.errors import EvaluationError, ExprSyntaxError
from asl_lint.expr.intrinsics import check_call, evaluate_call, looks_like_intrinsic, parse_intrinsic
from asl_lint.expr.jsonpath import get_value, parse_path
from tests.conftest import shared_path

_PASS_KEYS = {"Type", "Parameters", "End", "Comment"}


def _has_intrinsic(template: Any) -> bool:
    if isinstance(template, dict):
        return any(
            (k.endswith(".$") and isinstance(v, str) and looks_like_intrinsic(v)) or _has_intrinsic(v)
            for k, v in template.items()
        )
    if isinstance(template, list):
        return any(_has_intrinsic(v) for v in template)
    return False


def _cases() -> list[tuple[str, dict[str, Any]]]:
    folder = shared_path("conformance", "execution")
    out = []
    for file in sorted(Path(folder).glob("*.json")):
        case = json.loads(file.read_text())
        states = case["definition"]["States"]
        if len(states) != 1:
            continue
        (state,) = states.values()
        if state.get("Type") != "Pass" or set(state) - _PASS_KEYS or "Parameters" not in state:
            continue
        if _has_intrinsic(state["Parameters"]):
            out.append((file.stem, case))
    return out


def _context(case: dict[str, Any]) -> dict[str, Any]:
    # The recorded outputs carry masks for run-time names; build a context with those tokens.
    sm_arn = "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>"
    return {
        "Execution": {"Id": "<ExecArnPart_0idx>", "Input": case["input"], "Name": "<ExecArnPart_0idx>"},
        "StateMachine": {"Id": sm_arn, "Name": "<ArnPart_0idx>"},
        "State": {"Name": next(iter(case["definition"]["States"])), "RetryCount": 0},
    }


def _apply(template: Any, data: Any, context: Any) -> Any:
    if isinstance(template, dict):
        out = {}
        for key, value in template.items():
            if key.endswith(".$") and isinstance(value, str):
                if looks_like_intrinsic(value):
                    out[key[:-2]] = evaluate_call(parse_intrinsic(value), data, context=context)
                else:
                    out[key[:-2]] = get_value(parse_path(value), data, context=context)
            else:
                out[key] = _apply(value, data, context)
        return out
    if isinstance(template, list):
        return [_apply(v, data, context) for v in template]
    return template


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z")


def _matches(actual: Any, expected: Any, masks: list[str]) -> bool:
    if isinstance(expected, str) and expected in masks:
        if expected == "RandomNumberGenerated":
            return isinstance(actual, int)
        if expected.startswith("<uuid:"):
            return isinstance(actual, str) and bool(_UUID.match(actual))
        return actual == expected
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(_matches(actual[k], expected[k], masks) for k in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_matches(a, e, masks) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    return bool(actual == expected)


def _run(case: dict[str, Any]) -> str | None:
    """None when the case passes, else a description of the difference."""
    (state,) = case["definition"]["States"].values()
    expected = case["expected"]
    masks = case.get("maskedInExpected", [])
    try:
        output = _apply(state["Parameters"], case["input"], _context(case))
    except EvaluationError as exc:
        if expected["status"] == "FAILED" and expected.get("error") == exc.error:
            return None
        return f"raised {exc.error}: {exc.cause}; expected {expected}"
    if expected["status"] != "SUCCEEDED":
        return f"succeeded with {output!r}; expected {expected}"
    if not _matches(output, expected["output"], masks):
        return f"got {output!r}; expected {expected['output']!r}"
    return None


def test_intrinsic_conformance_pass_rate(capsys: pytest.CaptureFixture[str]) -> None:
    cases = _cases()
    assert len(cases) >= 100
    failures = [(name, why) for name, case in cases if (why := _run(case)) is not None]
    rate = 1 - len(failures) / len(cases)
    with capsys.disabled():
        print(f"\nintrinsic conformance: {len(cases) - len(failures)}/{len(cases)} = {rate:.1%}")
        for name, why in failures:
            print(f"  FAIL {name}: {why}")
    assert rate >= 0.95


def _intrinsics_in(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith(".$") and isinstance(item, str) and looks_like_intrinsic(item):
                out.add(item)
            if key != "Result":  # a Pass state's Result is never evaluated
                _intrinsics_in(item, out)
    elif isinstance(value, list):
        for item in value:
            _intrinsics_in(item, out)


def test_every_call_aws_ran_parses_and_checks_clean() -> None:
    calls: set[str] = set()
    for file in Path(shared_path("conformance", "execution")).glob("*.json"):
        _intrinsics_in(json.loads(file.read_text())["definition"], calls)
    assert len(calls) >= 40
    assert {text: check_call(parse_intrinsic(text)) for text in calls} == {text: [] for text in calls}


def test_calls_aws_rejected_do_not_parse() -> None:
    folder = Path(shared_path("conformance", "validation"))
    rejected = [
        json.loads(f.read_text())["definition"]["States"]["IntrinsicEscape"]["Parameters"]["parsed.$"]
        for f in folder.glob("test_base_scenarios.test_illegal_escapes*.json")
    ]
    assert len(rejected) == 2
    for text in rejected:
        with pytest.raises(ExprSyntaxError, match="Invalid escape sequence"):
            parse_intrinsic(text)
