"""Do two source trees report exactly the same findings? (The guard for performance work.)

    python benchmarks/same_findings.py [--base-ref REF | --base DIR] [--corpus ../shared/corpus]
                                       [--jobs] [--cache] [--show 20]

Lints the same inputs with ``asl-lint check --format json`` from the reference tree (``--base``,
or ``--base-ref``, exported with ``git archive``; default: the commit this branch forked from
``main``) and from this checkout, each in its own process with the same interpreter, and compares
every diagnostic and suppressed diagnostic exactly (code, severity, message, file, line, column,
end, pointer, state, fingerprint). Inputs: the whole corpus (every file under it, templates and
project folders included), the repository's ``examples/``, and the generated definitions the
benchmarks use (``bench.generated_definition`` at 6, 200 and 2,000 states; ``lsp_bench.definition``
at 500 states with and without Choices). ``--jobs`` also compares this checkout run with
``--jobs 2`` and ``--cache`` with a cold and a warm ``--cache`` run.

The reference run is kept in ``$TMPDIR/asl-lint-same-findings/<commit>-<inputs>.json`` so that
repeated checks only lint this checkout. Exit status 0 when everything is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench import generated_definition  # noqa: E402
from lsp_bench import definition as lsp_definition  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "asl-lint-same-findings"


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def export(ref: str) -> tuple[Path, str]:
    """The tree of ``ref`` under the cache folder (exported once per commit)."""
    commit = _git("rev-parse", ref)
    target = CACHE / f"tree-{commit[:12]}"
    if not (target / "asl_lint").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target, commit


def write_generated(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {f"generated-{n}.asl.json": generated_definition(n) for n in (6, 200, 2000)}
    made["lsp-500-choices.asl.json"] = lsp_definition(500, True)
    made["lsp-500-plain.asl.json"] = lsp_definition(500, False)
    for name, value in made.items():
        (folder / name).write_text(json.dumps(value, indent=2), encoding="utf-8")
    return [str(folder / name) for name in sorted(made)]


def run(source: Path, inputs: list[str], *extra: str, cwd: str | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(source) + os.pathsep + env.get("PYTHONPATH", "")
    code = ("import sys, asl_lint.cli as c; "
            f"assert c.__file__.startswith({str(source)!r}), c.__file__; sys.exit(c.main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, "check", "--format", "json", "--exit-zero", *extra, *inputs],
                          capture_output=True, text=True, env=env, cwd=cwd or tempfile.gettempdir())
    if proc.returncode != 0:
        raise SystemExit(f"asl-lint from {source} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def _key(diag: dict[str, Any]) -> str:
    return json.dumps(diag, sort_keys=True, ensure_ascii=False)


def compare(label: str, base: dict[str, Any], mine: dict[str, Any], show: int) -> bool:
    same = True
    for part in ("diagnostics", "suppressed"):
        a = [_key(d) for d in base.get(part, [])]
        b = [_key(d) for d in mine.get(part, [])]
        if a == b:
            print(f"{label}: {part}: {len(b)} identical")
            continue
        same = False
        gone = sorted(set(a) - set(b))
        new = sorted(set(b) - set(a))
        print(f"{label}: {part}: DIFFERENT ({len(a)} reference, {len(b)} now; {len(gone)} gone, {len(new)} new"
              f"{'; same set, other order' if not gone and not new else ''})")
        for text in gone[:show]:
            print(f"  - {text}")
        for text in new[:show]:
            print(f"  + {text}")
    if base.get("summary") != mine.get("summary"):
        same = False
        print(f"{label}: summary differs: {base.get('summary')} vs {mine.get('summary')}")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--base", help="reference source tree (a folder holding asl_lint/)")
    group.add_argument("--base-ref", help="reference git revision (default: merge-base of HEAD and main)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--jobs", action="store_true", help="also compare --jobs 2 with the reference")
    parser.add_argument("--cache", action="store_true", help="also compare cold and warm --cache runs")
    parser.add_argument("--show", type=int, default=20, help="differences shown per list")
    args = parser.parse_args()

    if args.base:
        base, commit = Path(args.base).resolve(), "dir-" + hashlib.sha1(args.base.encode()).hexdigest()[:12]
    else:
        base, commit = export(args.base_ref or _git("merge-base", "HEAD", "main"))
    generated = write_generated(CACHE / "generated")
    inputs = [str(ROOT / "examples"), *generated]
    if Path(args.corpus).is_dir():
        inputs.insert(0, str(Path(args.corpus).resolve()))
    else:
        print(f"no corpus at {args.corpus}: examples and generated definitions only", file=sys.stderr)
    digest = hashlib.sha1(json.dumps(inputs).encode()).hexdigest()[:10]
    kept = CACHE / f"{commit[:12]}-{digest}.json"
    if kept.exists():
        reference = json.loads(kept.read_text(encoding="utf-8"))
    else:
        print(f"linting with the reference tree {base} ...", file=sys.stderr, flush=True)
        reference = run(base, inputs)
        kept.write_text(json.dumps(reference), encoding="utf-8")
    print(f"reference: {base} ({reference['summary']})", file=sys.stderr)
    ok = compare("one process", reference, run(ROOT, inputs), args.show)
    if args.jobs:
        ok &= compare("--jobs 2", reference, run(ROOT, inputs, "--jobs", "2"), args.show)
    if args.cache:
        with tempfile.TemporaryDirectory() as cwd:
            ok &= compare("--cache (cold)", reference, run(ROOT, inputs, "--cache", cwd=cwd), args.show)
            ok &= compare("--cache (warm)", reference, run(ROOT, inputs, "--cache", cwd=cwd), args.show)
    print("SAME FINDINGS" if ok else "FINDINGS DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
