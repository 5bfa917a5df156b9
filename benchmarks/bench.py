"""Benchmark asl-lint (not a timed test): the corpus in one process, generated large definitions,
and a cold one-file run. Prints a small table.

    python benchmarks/bench.py [--corpus ../shared/corpus] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generated_definition(states: int) -> dict[str, object]:
    """A linear machine of Task/Choice/Pass states with retries, a Map and a Parallel every 100 states."""
    body: dict[str, object] = {}
    for i in range(states):
        name = f"S{i:05d}"
        nxt = f"S{i + 1:05d}" if i + 1 < states else None
        kind = i % 4
        if kind == 0:
            state: dict[str, object] = {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f", "Payload.$": "$"},
                "ResultPath": f"$.r{i}",
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                           "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                           "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}],
            }
        elif kind == 1 and nxt:
            state = {"Type": "Choice", "Choices": [{"Variable": f"$.r{i - 1}.StatusCode", "NumericEquals": 200,
                                                    "Next": nxt}], "Default": nxt}
        else:
            state = {"Type": "Pass", "Parameters": {"i": i, "input.$": "$", "n.$": "States.ArrayLength($.items)"},
                     "ResultPath": f"$.p{i}"}
        if state["Type"] != "Choice":
            if nxt:
                state["Next"] = nxt
            else:
                state["End"] = True
        body[name] = state
    return {"Comment": f"generated, {states} states", "StartAt": "S00000", "States": body}


def time_call(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from asl_lint.config import Config
    from asl_lint.engine.runner import lint_paths

    config = Config()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.asl.json"
        small.write_text(json.dumps(generated_definition(6), indent=2))
        cold = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "asl_lint", "check", str(small)], capture_output=True, check=False)
            cold.append(time.perf_counter() - start)
        rows.append(("one small file, cold process (python -m asl_lint check)", f"{min(cold) * 1000:.0f} ms"))

        lint_paths([str(small)], config)  # warm imports for the in-process numbers
        sizes = {}
        for states in (200, 2000):
            path = Path(tmp) / f"gen{states}.asl.json"
            path.write_text(json.dumps(generated_definition(states), indent=2))
            sizes[states] = time_call(lambda p=path: lint_paths([str(p)], config), args.repeat)
            rows.append((f"generated {states}-state definition, in process", f"{sizes[states] * 1000:.0f} ms"))
        rows.append(("scaling 2,000 / 200 states", f"{sizes[2000] / sizes[200]:.1f}x"))

    corpus = Path(args.corpus)
    if corpus.is_dir():
        files = [str(p) for p in sorted(corpus.rglob("*")) if p.suffix in (".json", ".yaml", ".yml", ".asl")]
        seconds = time_call(lambda: lint_paths(files, config), args.repeat)
        result = lint_paths(files, config)
        rows.append((f"corpus: {len(files)} files in one process", f"{seconds * 1000:.0f} ms"))
        rows.append(("corpus findings (errors / warnings / infos)",
                     f"{result.count(result.diagnostics[0].severity.ERROR) if result.diagnostics else 0} / "
                     f"{sum(1 for d in result.diagnostics if d.severity.value == 'warning')} / "
                     f"{sum(1 for d in result.diagnostics if d.severity.value == 'info')}"))
    width = max(len(r[0]) for r in rows)
    print(f"asl-lint benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    for label, value in rows:
        print(f"  {label:<{width}}  {value:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
