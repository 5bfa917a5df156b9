"""Benchmark ``asl-lint test`` (not a timed test): 100 cases of a 20-state machine.

The machine has Tasks with retries and a catcher, a Choice, a one-day Wait, an inline Map, a
Parallel and a JSONata state; the cases take its different paths (retries with backoff, the caught
error, both Choice branches). Prints the best of ``--repeat`` runs of: loading and running the suite
in one process, running the already loaded cases, and the whole command in a fresh process.

    python benchmarks/workflow_tests.py [--cases 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LAMBDA_RETRY = [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                                 "Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 3,
                 "BackoffRate": 2}]


def _task(name: str, nxt: str, **extra: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": name, "Payload.$": "$"}, "ResultSelector": {"v.$": "$.Payload"},
            "ResultPath": f"$.{name}", "Retry": LAMBDA_RETRY, "Next": nxt, **extra}


def machine() -> dict[str, Any]:
    """20 states, nested ones included."""
    states: dict[str, Any] = {
        "Load": _task("load", "Enrich"),
        "Enrich": {"Type": "Pass", "Parameters": {"count.$": "States.ArrayLength($.items)"}, "ResultPath": "$.meta",
                   "Next": "Validate"},
        "Validate": _task("validate", "Route", Catch=[{"ErrorEquals": ["Invalid"], "ResultPath": "$.error",
                                                       "Next": "Reject"}]),
        "Route": {"Type": "Choice", "Choices": [
            {"Variable": "$.amount", "NumericGreaterThan": 1000, "Next": "Review"},
            {"Variable": "$.express", "BooleanEquals": True, "Next": "Express"},
        ], "Default": "Standard"},
        "Review": {"Type": "Wait", "Seconds": 86400, "Next": "Approve"},
        "Approve": _task("approve", "Standard"),
        "Express": {"Type": "Pass", "Result": "express", "ResultPath": "$.speed", "Next": "Items"},
        "Standard": {"Type": "Pass", "Result": "standard", "ResultPath": "$.speed", "Next": "Items"},
        "Items": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.packed", "Next": "Fanout",
                  "ItemProcessor": {"StartAt": "Pick", "States": {
                      "Pick": _task("pick", "Pack"),
                      "Pack": {"Type": "Pass", "Parameters": {"sku.$": "$.sku", "picked.$": "$.pick.v"},
                               "End": True},
                  }}},
        "Fanout": {"Type": "Parallel", "ResultPath": "$.notified", "Next": "Summarize", "Branches": [
            {"StartAt": "Mail", "States": {"Mail": {**_task("mail", "Mailed"), "ResultPath": None},
                                           "Mailed": {"Type": "Pass", "End": True}}},
            {"StartAt": "Log", "States": {"Log": {"Type": "Pass", "Result": "logged", "End": True}}},
        ]},
        "Summarize": {"Type": "Pass", "QueryLanguage": "JSONata", "Next": "Store",
                      "Output": "{% {'id': $states.input.id, 'speed': $states.input.speed, "
                                "'parcels': $count($states.input.packed)} %}"},
        "Store": {**_task("store", "Audit"), "ResultPath": None},
        "Audit": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
        "Reject": {"Type": "Fail", "Error": "Rejected", "CausePath": "$.error.Cause"},
    }
    return {"StartAt": "Load", "States": states}


def suite(cases: int) -> dict[str, Any]:
    ok = {"Return": {"Payload": 1}}
    body: dict[str, Any] = {}
    for n in range(cases):
        kind = n % 4
        case: dict[str, Any] = {
            "input": {"id": n, "amount": 5000 if kind == 1 else 10, "express": kind == 2,
                      "items": [{"sku": f"s{i}"} for i in range(1 + n % 3)]},
            "mocks": {name: ok for name in ("Load", "Validate", "Approve", "Pick", "Mail", "Store")},
        }
        if kind == 3:  # a flaky loader, then an invalid order
            case["mocks"]["Load"] = {"0-1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
                                     "2": {"Return": {"Payload": 1}}}
            case["mocks"]["Validate"] = {"Throw": {"Error": "Invalid", "Cause": "no address"}}
            case["expect"] = {"status": "FAILED", "error": "Rejected", "cause": "no address", "retries": 2,
                              "path": ["Load", "Enrich", "Validate", "Reject"]}
        else:
            speed = {0: "standard", 1: "standard", 2: "express"}[kind]
            case["expect"] = {"status": "SUCCEEDED",
                              "output": {"id": n, "speed": speed, "parcels": 1 + n % 3},
                              "duration": 86400 if kind == 1 else 0}
        body[f"case{n:03d}"] = case
    return {"stateMachine": "flow.asl.json", "cases": body}


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100, help="number of cases in the suite")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (the best is shown)")
    args = parser.parse_args()

    from asl_lint.testing.coverage import items
    from asl_lint.testing.runner import run_paths, run_suite
    from asl_lint.testing.suite import load_suite

    definition = machine()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "flow.asl.json").write_text(json.dumps(definition, indent=2), encoding="utf-8")
        (root / "flow.sfn-test.json").write_text(json.dumps(suite(args.cases), indent=2), encoding="utf-8")
        run = run_paths([folder])
        failed = [c.case.name for c in run.cases if not c.passed]
        assert not run.errors and not failed, (run.errors, failed)
        loaded = load_suite(root / "flow.sfn-test.json")
        in_process = best(lambda: run_paths([folder]), args.repeat)
        cases_only = best(lambda: run_suite(loaded), args.repeat)
        command = [sys.executable, "-m", "asl_lint", "test", folder, "--format", "json", "--coverage"]
        cold = best(lambda: subprocess.run(command, check=False, capture_output=True), args.repeat)
        coverage = run.coverage.summary()
    print(f"{args.cases} cases of a {len(items(definition)['states'])}-state machine "
          f"(best of {args.repeat}; all pass; states {coverage['states']['covered']}/{coverage['states']['total']}, "
          f"Choice branches {coverage['choices']['covered']}/{coverage['choices']['total']})")
    print(f"  load + run, in process     {in_process * 1000:8.1f} ms")
    print(f"  run the loaded cases       {cases_only * 1000:8.1f} ms  ({cases_only / args.cases * 1000:.2f} ms a case)")
    print(f"  asl-lint test (new process){cold * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
