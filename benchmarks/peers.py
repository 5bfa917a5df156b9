"""asl-lint against the peer linters, side by side, in one run (a benchmark, not a timed test).

    python benchmarks/peers.py [--corpus ../shared/corpus] [--repeat 5] [--corpus-repeat 3]
                               [--peers statelint,asl-validator,asl-service,cfn-lint] [--json out.json]

Scenarios, each tool in its own process, timed from outside (wall clock, and CPU = user + system
time of the child from ``os.wait4``, plus its peak resident memory):

* one small file, cold process: ``examples/order-fulfilment.asl.json`` (a Choice, an HTTP Task, a
  Lambda and an SQS Task: most checks run on it), or ``--small FILE``;
* the whole corpus (``../shared/corpus``), each tool in its best batch mode: asl-lint as it runs
  by default (on every core: ``--jobs`` defaults to the core count for 16 files or more),
  statelint (one process for the JSON files, one with ``--yaml`` for the YAML ones),
  asl-validator (repeated ``--json-path``/``--yaml-path``; a file that crashes it ends the
  process, so the run resumes after that file in a new process and the times are added),
  the AWS language service (a library without CLI: ``asl_service_batch.js`` validates every file
  in one node process), cfn-lint (templates only: the corpus templates plus every standalone
  definition embedded in a minimal template, all in one run). Only asl-lint and cfn-lint read the
  templates, so asl-lint is also timed on the standalone files alone, the set the other peers get;
* generated 200- and 2,000-state definitions (linear scaling), cold process;
* asl-lint "warm" (a process that has linted one small file already, so imports and compiled
  schemas are paid for; then one timed run of the input): the scaling ratio, the corpus, the cost
  per check.

asl-lint runs as users install it: the repository is ``pip install``-ed (not editable) into a
throwaway environment that borrows this one's dependencies (``--editable`` runs this environment's
own install instead, ``--source DIR`` another checkout). Every measurement is repeated and the
median reported: the machine is shared, single runs are noise. Peers are found in
``$PEERS_ENV`` (default ``~/.cache/asl-peers``, made by ``../shared/tools/peers/install.sh``); a
peer that is not installed is skipped, and without the corpus only the generated inputs run.
Children run without ``PYTHONDONTWRITEBYTECODE`` so that both Python tools use compiled bytecode,
as an installed package does.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench import generated_definition  # noqa: E402

PEERS_ENV = Path(os.environ.get("PEERS_ENV") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                 / "asl-peers")
PEER_NAMES = ("statelint", "asl-validator", "asl-service", "cfn-lint")
SCALING_GOAL = 12.0


# --- running one child ---------------------------------------------------------------------------
@dataclass
class Run:
    wall: float = 0.0
    cpu: float = 0.0
    rss_kb: int = 0
    processes: int = 0
    files: int = 0
    exit_codes: list[int] = field(default_factory=list)
    output: str = ""

    def add(self, other: Run) -> None:
        self.wall += other.wall
        self.cpu += other.cpu
        self.rss_kb = max(self.rss_kb, other.rss_kb)
        self.processes += other.processes
        self.exit_codes += other.exit_codes
        self.output += other.output


SOURCE: str | None = None  # --source: run asl-lint from another checkout (before/after comparisons)
# How asl-lint is started: ``python -m asl_lint`` of this environment, or an installed copy's
# interpreter running its console script (see install_copy).
COMMAND = [sys.executable, "-m", "asl_lint"]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if SOURCE:
        env["PYTHONPATH"] = SOURCE + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(cmd: Sequence[str], *, cwd: str | None = None, timeout: float = 900) -> Run:
    """Run ``cmd``; wall time, the child's own CPU time and peak RSS (``os.wait4``)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=child_env())
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, 1, 0, [proc.returncode], text)


# --- the tools -----------------------------------------------------------------------------------
@dataclass
class Inputs:
    small: str
    generated: dict[int, str]
    standalone: list[str]  # corpus definitions
    templates: list[str]  # corpus templates
    wrapped: dict[str, str]  # definition -> the same definition embedded in a minimal template (cfn-lint)


def _is_yaml(path: str) -> bool:
    return path.lower().endswith((".yaml", ".yml"))


class Tool:
    name = ""
    reads_templates = False

    def available(self) -> bool:
        return True

    def version(self) -> str:
        return ""

    def run(self, files: list[str], inputs: Inputs) -> Run:
        raise NotImplementedError


class AslLint(Tool):
    name = "asl-lint"
    reads_templates = True

    def __init__(self, *extra: str, label: str = "asl-lint", cwd: str | None = None) -> None:
        self.extra = list(extra)
        self.name = label
        self.cwd = cwd

    def version(self) -> str:
        from asl_lint import __version__

        return __version__

    def run(self, files: list[str], inputs: Inputs) -> Run:
        # Not from the repository: ``-m`` puts the working directory first on sys.path.
        cwd = self.cwd or tempfile.gettempdir()
        result = run_child([*COMMAND, "check", *self.extra, *files], cwd=cwd)
        result.files = len(files)
        return result


def install_copy(tmp: Path) -> list[str]:
    """asl-lint installed the way users install it (``pip install .``, not editable) into a
    throwaway environment that borrows this environment's dependencies; the command that starts
    it as the ``asl-lint`` console script does (no ``runpy``).

    An editable install makes every start-up import setuptools' finder (and ``pathlib``,
    ``urllib.parse``, ``ipaddress`` with it), which no user pays.
    """
    import sysconfig

    env = tmp / "installed"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = str(env / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # A path line in a .pth file adds the folder, not the .pth files in it: the development
    # environment's editable finder stays out.
    Path(site, "asl_lint_bench_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, str(ROOT)],
                   check=True)
    # ``--target`` writes the script with this environment's interpreter in its #! line: run it
    # with the copy's own.
    return [python, str(Path(site, "bin", "asl-lint"))]


def _py_dist_version(dist: str) -> str:
    for path in (PEERS_ENV / "venv" / "lib").glob(f"python*/site-packages/{dist.replace('-', '_')}-*.dist-info"):
        return path.name.removesuffix(".dist-info").split("-")[1]
    return ""


def _npm_version(package: str) -> str:
    try:
        data = json.loads((PEERS_ENV / "node" / "node_modules" / package / "package.json").read_text())
        return str(data.get("version", ""))
    except (OSError, ValueError):
        return ""


class Statelint(Tool):
    name = "statelint"
    exe = PEERS_ENV / "venv" / "bin" / "statelint"

    def available(self) -> bool:
        return self.exe.exists()

    def version(self) -> str:
        return _py_dist_version("statelint")

    def run(self, files: list[str], inputs: Inputs) -> Run:
        total = Run(files=len(files))
        plain = [f for f in files if not _is_yaml(f)]
        yaml = [f for f in files if _is_yaml(f)]
        if plain:
            total.add(run_child([str(self.exe), *plain]))
        if yaml:
            total.add(run_child([str(self.exe), "--yaml", *yaml]))
        return total


class AslValidator(Tool):
    name = "asl-validator"
    cli = PEERS_ENV / "node" / "node_modules" / "asl-validator" / "dist" / "bin" / "asl-validator.js"

    def available(self) -> bool:
        return self.cli.exists() and shutil.which("node") is not None

    def version(self) -> str:
        return _npm_version("asl-validator")

    def run(self, files: list[str], inputs: Inputs) -> Run:
        # JSON files first, then YAML: the CLI validates them in that order, one "✓"/"✕" line each.
        ordered = [f for f in files if not _is_yaml(f)] + [f for f in files if _is_yaml(f)]
        total = Run(files=len(files))
        rest = ordered
        while rest:
            args: list[str] = []
            for f in rest:
                args += ["--yaml-path" if _is_yaml(f) else "--json-path", f]
            run = run_child(["node", str(self.cli), *args])
            total.add(run)
            done = len(re.findall(r"^[✓✕] State machine definition", run.output, re.M))
            if run.exit_codes[-1] != 2 or done >= len(rest):
                break
            rest = rest[done + 1:]  # the file after the last reported one crashed the process
        total.output = ""
        return total


class AslService(Tool):
    name = "asl-service"
    modules = PEERS_ENV / "node" / "node_modules"

    def available(self) -> bool:
        return (self.modules / "amazon-states-language-service").exists() and shutil.which("node") is not None

    def version(self) -> str:
        return _npm_version("amazon-states-language-service")

    def run(self, files: list[str], inputs: Inputs) -> Run:
        result = run_child(["node", str(HERE / "asl_service_batch.js"), str(self.modules), *files])
        result.files = len(files)
        return result


class CfnLint(Tool):
    name = "cfn-lint"
    reads_templates = True
    exe = PEERS_ENV / "venv" / "bin" / "cfn-lint"

    def available(self) -> bool:
        return self.exe.exists()

    def version(self) -> str:
        return _py_dist_version("cfn-lint")

    def run(self, files: list[str], inputs: Inputs) -> Run:
        targets = [inputs.wrapped.get(f, f) for f in files if f in inputs.wrapped or f in inputs.templates]
        result = run_child([str(self.exe), "--", *targets])
        result.files = len(targets)
        return result


# --- inputs --------------------------------------------------------------------------------------
def _placeholders(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, str):
        found.update(m.group(1).strip() for m in re.finditer(r"\$\{([^}:!]+)\}", value))
    elif isinstance(value, dict):
        for k, v in value.items():
            found |= _placeholders(k) | _placeholders(v)
    elif isinstance(value, list):
        for v in value:
            found |= _placeholders(v)
    return found


def wrap_in_template(definition_file: str, out_dir: Path, index: int) -> str | None:
    """The definition as ``Definition`` of a minimal CloudFormation template (what cfn-lint reads)."""
    text = Path(definition_file).read_text(encoding="utf-8", errors="replace")
    try:
        if _is_yaml(definition_file):
            import yaml

            definition = yaml.safe_load(text)
        else:
            definition = json.loads(text)
    except Exception:
        return None  # cfn-lint cannot be given a definition that does not parse
    props: dict[str, Any] = {"RoleArn": {"Ref": "RoleArn"}, "Definition": definition}
    names = sorted(_placeholders(definition))
    if names:
        props["DefinitionSubstitutions"] = {name: "placeholder" for name in names}
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"RoleArn": {"Type": "String"}},
        "Resources": {"StateMachine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": props}},
    }
    path = out_dir / f"{index:04d}-{Path(definition_file).name}.template.json"
    path.write_text(json.dumps(template, indent=2), encoding="utf-8")
    return str(path)


def corpus_files(corpus: Path) -> tuple[list[str], list[str]]:
    def files(sub: str) -> list[str]:
        base = corpus / sub
        return sorted(str(p) for p in base.rglob("*") if p.is_file()) if base.is_dir() else []

    return files("standalone"), files("templates")


def prepare(tmp: Path, corpus: Path | None, sizes: Sequence[int], small_file: str | None = None) -> Inputs:
    small = tmp / "small.asl.json"
    if small_file:
        small = tmp / Path(small_file).name
        shutil.copyfile(small_file, small)
    else:
        small.write_text(json.dumps(generated_definition(6), indent=2))
    generated = {}
    for n in sizes:
        path = tmp / f"generated-{n}.asl.json"
        path.write_text(json.dumps(generated_definition(n), indent=2))
        generated[n] = str(path)
    standalone, templates = corpus_files(corpus) if corpus is not None else ([], [])
    wrapped_dir = tmp / "wrapped"
    wrapped_dir.mkdir()
    wrapped: dict[str, str] = {}
    for i, f in enumerate([str(small), *generated.values(), *standalone]):
        w = wrap_in_template(f, wrapped_dir, i)
        if w is not None:
            wrapped[f] = w
    return Inputs(str(small), generated, standalone, templates, wrapped)


# --- measuring -----------------------------------------------------------------------------------
@dataclass
class Cell:
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.rss_kb for r in self.runs) / 1024

    @property
    def last(self) -> Run:
        return self.runs[-1]


def measure(tools: list[Tool], scenario: Callable[[Tool], list[str] | None], inputs: Inputs, repeat: int,
            label: str) -> dict[str, Cell]:
    """Each tool ``repeat`` times, interleaved (a, b, c, a, b, c, ...) so that load spikes spread."""
    cells: dict[str, Cell] = {}
    for i in range(repeat):
        for tool in tools:
            files = scenario(tool)
            if not files:
                continue
            print(f"  [{label} {i + 1}/{repeat}] {tool.name} ({len(files)} files)", file=sys.stderr, flush=True)
            cells.setdefault(tool.name, Cell()).runs.append(tool.run(files, inputs))
    return cells


_WARM_CHILD = r"""
import json, sys, time
from asl_lint.config import Config
from asl_lint.engine import runner

small, mode, files = sys.argv[1], sys.argv[2], sys.argv[3:]
config = Config()
runner.lint_paths([small], config)  # imports done, schemas compiled, z3 loaded
by_check = {}
if mode == "by-check":
    original = runner._run

    def timed(fn, ctx, code, *args):
        start = time.perf_counter()
        try:
            original(fn, ctx, code, *args)
        finally:
            by_check[code] = by_check.get(code, 0.0) + time.perf_counter() - start

    runner._run = timed
start = time.perf_counter()
runner.lint_paths(files, config)
print(json.dumps({"seconds": time.perf_counter() - start, "by_check": by_check}))
"""


def _warm(inputs: Inputs, files: list[str], mode: str = "plain") -> dict[str, Any]:
    """Lint ``files`` once in a process that has already linted the small file: the time without
    process startup and imports, but also without anything a previous run of the same files left
    in a cache (the schema results cache, say)."""
    run = run_child([sys.executable, "-c", _WARM_CHILD, inputs.small, mode, *files], cwd=tempfile.gettempdir())
    lines = [line for line in run.output.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"asl-lint warm run failed: {run.output[-500:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def in_process(inputs: Inputs, repeat: int) -> dict[str, Any]:
    """asl-lint without process startup: scaling and the corpus, and where the time goes."""
    times: dict[str, float] = {}
    for n, path in inputs.generated.items():
        times[f"generated-{n}"] = statistics.median(_warm(inputs, [path])["seconds"] for _ in range(repeat))
    by_check: dict[str, float] = {}
    corpus = inputs.standalone + inputs.templates
    if corpus:
        times["corpus"] = statistics.median(_warm(inputs, corpus)["seconds"] for _ in range(max(1, repeat // 2)))
        timed = _warm(inputs, corpus, "by-check")
        by_check = dict(timed["by_check"])
        by_check["(total)"] = timed["seconds"]
    return {"times": times, "by_check": by_check}


# --- report --------------------------------------------------------------------------------------
def _fmt(cell: Cell | None) -> str:
    if cell is None:
        return "–"
    return f"{cell.wall:.2f} / {cell.cpu:.2f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b > 0 else "–"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--small", default=str(ROOT / "examples" / "order-fulfilment.asl.json"),
                        help="the one-file input ('' for a generated 6-state definition)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per cold measurement (median reported)")
    parser.add_argument("--corpus-repeat", type=int, default=3, help="runs per corpus batch (median reported)")
    parser.add_argument("--peers", default=",".join(PEER_NAMES), help="comma-separated peers to run")
    parser.add_argument("--sizes", default="200,2000", help="generated definition sizes (states)")
    parser.add_argument("--no-extras", action="store_true", help="skip the asl-lint --jobs 1 / --cache rows")
    parser.add_argument("--json", help="also write the raw numbers here")
    parser.add_argument("--source", help="run asl-lint from this source tree instead of the installed one")
    parser.add_argument("--editable", action="store_true",
                        help="run this environment's asl-lint as it is (by default the repository is "
                             "installed into a throwaway environment first, as users install it)")
    args = parser.parse_args()
    global SOURCE, COMMAND
    if args.source:
        SOURCE = str(Path(args.source).resolve())
        sys.path.insert(0, SOURCE)
        sys.modules.pop("asl_lint", None)

    wanted = {p.strip() for p in args.peers.split(",") if p.strip()}
    peers: list[Tool] = [t for t in (Statelint(), AslValidator(), AslService(), CfnLint()) if t.name in wanted]
    missing = [t.name for t in peers if not t.available()]
    peers = [t for t in peers if t.available()]
    sizes = [int(s) for s in args.sizes.split(",")]
    corpus = Path(args.corpus)
    has_corpus = (corpus / "standalone").is_dir()
    asl = AslLint()
    tools: list[Tool] = [asl, *peers]

    with tempfile.TemporaryDirectory(prefix="asl-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if not args.source and not args.editable:
            print("  installing asl-lint into a throwaway environment (pip install .)", file=sys.stderr, flush=True)
            COMMAND = install_copy(tmp)
        inputs = prepare(tmp, corpus if has_corpus else None, sizes, args.small or None)
        for tool in tools:  # warm the OS file cache and write bytecode before anything is timed
            tool.run([inputs.small], inputs)

        def small(tool: Tool) -> list[str]:
            return [inputs.small]

        def standalone(tool: Tool) -> list[str] | None:
            if tool.reads_templates and tool is not asl:
                return inputs.standalone + inputs.templates
            return inputs.standalone

        def everything(tool: Tool) -> list[str] | None:
            return inputs.standalone + inputs.templates if tool.reads_templates else None

        results: dict[str, dict[str, Cell]] = {}
        results["small"] = measure(tools, small, inputs, args.repeat, "small file")
        for n in sizes:
            def generated(tool: Tool, n: int = n) -> list[str]:
                return [inputs.generated[n]]

            results[f"gen{n}"] = measure(tools, generated, inputs, args.repeat, f"{n} states")
        extras: dict[str, Cell] = {}
        if not args.no_extras:
            cache_small = tmp / "cache-small"
            cache_small.mkdir()
            cached_one = AslLint("--cache", label="asl-lint --cache, one small file unchanged since the last run",
                                 cwd=str(cache_small))
            cached_one.run([inputs.small], inputs)  # fill the cache
            extras.update(measure([cached_one], small, inputs, args.repeat, "small file, cached"))
        if has_corpus:
            results["corpus"] = measure(tools, standalone, inputs, args.corpus_repeat, "corpus")
            results["corpus_all"] = measure([asl], everything, inputs, args.corpus_repeat, "corpus + templates")
            if not args.no_extras:
                cache_dir = tmp / "cache-cwd"
                cache_dir.mkdir()
                jobs = AslLint("--jobs", "1", label="asl-lint --jobs 1 (one process)")
                cached = AslLint("--cache", label="asl-lint --cache (unchanged files)", cwd=str(cache_dir))
                cached.run(inputs.standalone + inputs.templates, inputs)  # fill the cache
                extras.update(measure([jobs, cached], everything, inputs, args.corpus_repeat, "corpus extras"))
        print("  [in process] asl-lint", file=sys.stderr, flush=True)
        inproc = in_process(inputs, args.repeat)
        counts = {"standalone": len(inputs.standalone), "templates": len(inputs.templates),
                  "wrapped": len([f for f in inputs.standalone if f in inputs.wrapped])}

    print(render(tools, results, extras, inproc, counts, missing, sizes, args))
    if args.json:
        raw = {
            scenario: {name: {"wall": c.wall, "cpu": c.cpu, "rss_mb": c.rss_mb,
                              "runs": [vars(r) | {"output": ""} for r in c.runs]} for name, c in cells.items()}
            for scenario, cells in {**results, "extras": extras}.items()
        }
        Path(args.json).write_text(json.dumps({"results": raw, "in_process": inproc, "counts": counts}, indent=2))
    return 0


def render(tools: list[Tool], results: dict[str, dict[str, Cell]], extras: dict[str, Cell], inproc: dict[str, Any],
           counts: dict[str, int], missing: list[str], sizes: list[int], args: argparse.Namespace) -> str:
    names = [t.name for t in tools]
    lines = [
        f"asl-lint vs peers — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; cells: median wall s / median CPU s "
        f"(cold: {args.repeat} runs, corpus: {args.corpus_repeat} runs)",
        "versions: " + ", ".join(f"{t.name} {t.version()}" for t in tools),
    ]
    if missing:
        lines.append(f"not installed (skipped): {', '.join(missing)}")
    lines += ["", "| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]

    def row(label: str, key: str) -> None:
        cells = results.get(key)
        if cells:
            lines.append(f"| {label} | " + " | ".join(_fmt(cells.get(n)) for n in names) + " |")

    row(f"one file ({Path(args.small).name if args.small else 'a generated 6-state definition'}), cold process",
        "small")
    if "corpus" in results:
        c = results["corpus"]
        lines.append("| corpus: files / processes | " + " | ".join(
            f"{c[n].last.files} / {c[n].last.processes}" if n in c else "–" for n in names) + " |")
        row("corpus batch (standalone definitions; cfn-lint: + templates)", "corpus")
        a = results["corpus_all"].get("asl-lint")
        if a is not None:
            lines.append(f"| corpus incl. {counts['templates']} templates ({a.last.files} files) | {_fmt(a)} |"
                         + " |" * (len(names) - 1))
    for n in sizes:
        row(f"generated {n:,}-state definition, cold", f"gen{n}")
    if len(sizes) == 2:
        lo, hi = (results[f"gen{n}"] for n in sizes)
        lines.append(f"| {sizes[1]:,} / {sizes[0]:,} states (wall) | " + " | ".join(
            _ratio(hi[n].wall, lo[n].wall) if n in hi and n in lo else "–" for n in names) + " |")
    memory_keys = ["small", "corpus", f"gen{sizes[-1]}"]
    memory_keys = [k for k in memory_keys if k in results]
    labels = {"small": "one file", "corpus": "corpus", f"gen{sizes[-1]}": f"{sizes[-1]:,} states"}

    def peak(name: str) -> str:
        return " / ".join(f"{results[k][name].rss_mb:.0f}" if name in results[k] else "–" for k in memory_keys)

    lines.append(f"| peak memory, MB ({' / '.join(labels[k] for k in memory_keys)}) | "
                 + " | ".join(peak(n) for n in names) + " |")

    # ratios: asl-lint / peer (below 1: asl-lint is faster)
    peer_names = names[1:]
    if peer_names:
        lines += ["", "asl-lint ÷ peer, wall (CPU) — below 1 means asl-lint is faster:", ""]
        lines += ["| | " + " | ".join(peer_names) + " |", "|---" * (len(peer_names) + 1) + "|"]
        scen = [("one small file, cold", "small", "small")]
        if "corpus" in results:
            scen.append(("corpus (same files)", "corpus", "corpus"))
        scen += [(f"{n:,} states, cold", f"gen{n}", f"gen{n}") for n in sizes]
        for label, mine, theirs in scen:
            cells = []
            for p in peer_names:
                a = results[mine].get("asl-lint")
                b = results[theirs].get(p)
                if p == "cfn-lint" and theirs == "corpus":
                    a = results.get("corpus_all", {}).get("asl-lint")  # cfn-lint got the templates too
                cells.append(f"{_ratio(a.wall, b.wall)} ({_ratio(a.cpu, b.cpu)})" if a and b else "–")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")

    if extras:
        lines += ["", "asl-lint in other modes (corpus rows: definitions + templates):", ""]
        for name, cell in extras.items():
            lines.append(f"- `{name}`: {cell.wall:.2f} s wall / {cell.cpu:.2f} s CPU, peak {cell.rss_mb:.0f} MB")

    t = inproc["times"]
    lines += ["", "asl-lint warm (startup and imports excluded, first run of the input; median):", ""]
    for n in sizes:
        lines.append(f"- generated {n:,} states: {t[f'generated-{n}'] * 1000:.0f} ms")
    if len(sizes) == 2:
        ratio = t[f"generated-{sizes[1]}"] / t[f"generated-{sizes[0]}"]
        lines.append(f"- scaling {sizes[1]:,} / {sizes[0]:,}: {ratio:.1f}× (goal ≤ {SCALING_GOAL:.0f}×: "
                     f"{'met' if ratio <= SCALING_GOAL else 'NOT met'})")
    if "corpus" in t:
        files = counts["standalone"] + counts["templates"]
        lines.append(f"- corpus ({files} files): {t['corpus']:.2f} s, {t['corpus'] / files * 1000:.1f} ms per file")
        by = inproc["by_check"]
        total = by.pop("(total)", 0.0)
        checks = sum(by.values())
        top = sorted(by.items(), key=lambda kv: -kv[1])[:8]
        lines.append(f"- where the corpus time goes: checks {checks / total:.0%} of {total:.2f} s "
                     f"(parse, locate, suppressions, report: the rest); top checks: "
                     + ", ".join(f"{code} {sec / total:.0%}" for code, sec in top))

    # goals
    lines += ["", "Goals:", ""]

    def rounds(scenario: str, peer: str) -> str:
        """asl-lint ÷ peer in each interleaved round: how much the shared machine moved."""
        mine, theirs = results[scenario]["asl-lint"].runs, results[scenario][peer].runs
        ratios = sorted(a.wall / b.wall for a, b in zip(mine, theirs, strict=False) if b.wall > 0)
        return f"per round {ratios[0]:.2f}–{ratios[-1]:.2f}×, median {statistics.median(ratios):.2f}×" if ratios else ""

    small = results["small"]
    if "statelint" in small:
        a, b = small["asl-lint"], small["statelint"]
        ok = a.wall <= b.wall
        lines.append(f"- cold one-file run no slower than statelint: {'met' if ok else 'NOT met'} "
                     f"({a.wall:.2f} s vs {b.wall:.2f} s wall, {_ratio(a.wall, b.wall)}; "
                     f"{rounds('small', 'statelint')}; {a.cpu:.2f} s vs {b.cpu:.2f} s CPU)")
    if "corpus" in results:
        c = results["corpus"]
        if "statelint" in c:
            a, b = c["asl-lint"], c["statelint"]
            ok = a.wall <= b.wall
            lines.append(f"- corpus batch no slower than statelint's: {'met' if ok else 'NOT met'} "
                         f"({a.wall:.2f} s vs {b.wall:.2f} s wall, {_ratio(a.wall, b.wall)}; "
                         f"{rounds('corpus', 'statelint')}; {a.cpu:.2f} s vs {b.cpu:.2f} s CPU)")
        peak = c["asl-lint"].rss_mb
        lines.append(f"- peak memory of the corpus batch at most 150 MB: {'met' if peak <= 150 else 'NOT met'} "
                     f"({peak:.0f} MB, the largest process)")
    if len(sizes) == 2:
        ratio = t[f"generated-{sizes[1]}"] / t[f"generated-{sizes[0]}"]
        cold = results[f"gen{sizes[1]}"]["asl-lint"].wall / results[f"gen{sizes[0]}"]["asl-lint"].wall
        lines.append(f"- {sizes[1]:,} states at most {SCALING_GOAL:.0f}× the time of {sizes[0]:,}: "
                     f"{'met' if ratio <= SCALING_GOAL else 'NOT met'} ({ratio:.1f}× in process, {cold:.1f}× cold)")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
