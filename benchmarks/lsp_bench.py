"""Re-diagnosis time of ``asl-lint lsp`` after one edit of a generated 500-state definition.

Times the server's own lint+convert step (``asl_lint.lsp.documents.lint_document``: engine lint of
the unsaved text, redaction, conversion to LSP diagnostics with UTF-16 ranges) in process, after
warming up, for a series of one-character edits; also the navigation snapshot built after a lint.
The debounce delay (``CHANGE_DELAY``) comes on top in an editor.

    python benchmarks/lsp_bench.py [--states 500] [--edits 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asl_lint.config import Config  # noqa: E402
from asl_lint.lsp.documents import lint_document  # noqa: E402
from asl_lint.lsp.server import CHANGE_DELAY  # noqa: E402
from asl_lint.lsp.snapshot import build_snapshot  # noqa: E402


def definition(count: int, choices: bool = True) -> dict[str, object]:
    """A chain of Lambda Tasks (with retriers), Choices (every third state, when ``choices``) and Passes."""
    states: dict[str, object] = {}
    for i in range(count):
        name, nxt = f"Step{i:04d}", f"Step{i + 1:04d}"
        last = i + 1 == count
        if i % 3 == 0:
            state: dict[str, object] = {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f", "Payload.$": "$"},
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                           "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                           "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}],
            }
        elif i % 3 == 1 and not last and choices:
            state = {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": i, "Next": nxt}],
                     "Default": nxt}
        else:
            state = {"Type": "Pass", "Parameters": {"index": i, "label.$": "States.Format('step {}', $.n)"}}
        if state["Type"] != "Choice":
            state.update({"End": True} if last else {"Next": nxt})
        states[name] = state
    return {"Comment": "generated", "StartAt": "Step0000", "States": states}


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure(count: int, edits_count: int, choices: bool) -> None:
    text = json.dumps(definition(count, choices), indent=2)
    path = str(ROOT / "bench-generated.asl.json")  # never written: the server lints unsaved text
    config = Config()
    for _ in range(3):  # warm up imports, rule docs, schema validators and caches
        lint_document(path, text, 0, config)
    # One edit per run, like typing: the top-level Comment changes by one character.
    edits = [text.replace('"Comment": "generated"', f'"Comment": "generated {i}"', 1) for i in range(edits_count)]
    times = [timed(lambda e=e, v=v: lint_document(path, e, v, config), 1)[0] for v, e in enumerate(edits, 1)]
    # Where the time goes: the same edits without the symbolic (z3) checks ASL7xx.
    light = Config(ignore=("ASL7",))
    lint_document(path, text, 0, light)
    light_times = [timed(lambda e=e: lint_document(path, e, 0, light), 1)[0] for e in edits]
    linted = lint_document(path, edits[-1], 0, config)
    snapshot_ms = timed(lambda: build_snapshot(path, edits[-1], 0), 5)
    kinds = "Tasks, Choices and Passes" if choices else "Tasks and Passes, no Choice"
    print(f"{count} states ({kinds}), {len(text):,} characters, {len(linted.diagnostics)} diagnostics")
    print(f"  re-diagnosis after one edit (lint + convert), {len(times)} edits: median "
          f"{statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms")
    print(f"  without the symbolic checks (ASL7xx): median {statistics.median(light_times):.1f} ms")
    print(f"  navigation snapshot (parse + model + graphs): median {statistics.median(snapshot_ms):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--states", type=int, default=500)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    for choices in (False, True):
        measure(args.states, args.edits, choices)
    print(f"debounce before a re-lint while typing: {CHANGE_DELAY * 1000:.0f} ms (not included above)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
