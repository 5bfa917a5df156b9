"""Benchmark linting whole projects (not a timed test): the projects corpus (SAM, Terraform,
Serverless folders with their definition files), in one process and as a cold command.

    python benchmarks/projects.py [--corpus ../shared/corpus/projects] [--repeat 3] [--jobs 1]

Separate from ``bench.py``/``peers.py``: this measures the project layer (planning units, reading
templates, linting each definition file with its machines' contexts).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "projects"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2

    from asl_lint.config import Config
    from asl_lint.engine.runner import lint_paths
    from asl_lint.sources.project import forget, plan

    folders = sorted({str(p.parent) for p in corpus.glob("*/*/")} | {str(p) for p in corpus.glob("*/*") if p.is_dir()})
    rows: list[tuple[str, float, str]] = []
    best_plan = best_lint = float("inf")
    units = result = None
    for _ in range(args.repeat):
        forget()
        start = time.perf_counter()
        units = plan([str(corpus)], Config())
        best_plan = min(best_plan, time.perf_counter() - start)
        forget()
        start = time.perf_counter()
        result = lint_paths([str(corpus)], Config(), jobs=args.jobs)
        best_lint = min(best_lint, time.perf_counter() - start)
    assert units is not None and result is not None
    rows.append(("plan (discovery + linking), in process", best_plan, f"{len(units)} units"))
    rows.append((f"check, in process (jobs={args.jobs})", best_lint,
                 f"{len(result.files)} files, {result.definitions} definitions, {len(result.diagnostics)} findings"))
    best_cold = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "asl_lint", "check", str(corpus), "--exit-zero", "--format", "json",
                        "--jobs", str(args.jobs)], stdout=subprocess.DEVNULL, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        best_cold = min(best_cold, time.perf_counter() - start)
    rows.append(("asl-lint check <corpus>, cold process", best_cold, f"{len(folders)} project folders"))
    width = max(len(r[0]) for r in rows)
    print(f"{'scenario':<{width}}  {'best of ' + str(args.repeat):>10}  notes")
    for name, seconds, notes in rows:
        print(f"{name:<{width}}  {seconds * 1000:>8.0f} ms  {notes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
