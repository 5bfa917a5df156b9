"""asl_lint.startup: dataclasses' generated code compiled once and kept, with the same classes."""

from __future__ import annotations

import dataclasses
import marshal
import subprocess
import sys
from pathlib import Path

from asl_lint import startup

SCRIPT = """
import dataclasses, sys
from asl_lint import startup
startup.install()
assert dataclasses.exec is startup._exec

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int = 2
    tags: tuple = ()

p = Point(1)
assert (p.x, p.y, p.tags) == (1, 2, ())
assert p == Point(1, 2) and hash(p) == hash(Point(1, 2)) and repr(p) == "Point(x=1, y=2, tags=())"
try:
    p.x = 3
except dataclasses.FrozenInstanceError:
    pass
else:
    raise AssertionError("frozen")
print(len(startup._MEMO))
"""


def test_generated_code_is_kept_and_reused(tmp_path: Path) -> None:
    cache = tmp_path / "dataclasses.test.marshal"
    code = SCRIPT.replace("startup.install()", f"startup._cache_file = lambda: {str(cache)!r}\nstartup.install()")
    root = str(Path(startup.__file__).resolve().parents[1])
    env = {"PYTHONPATH": root, "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    kept = marshal.loads(cache.read_bytes())
    assert int(first.stdout) == len(kept) > 0
    assert any("def __init__(self,x:" in source for source in kept)
    assert all(isinstance(marshal.loads(code), type(test_no_file_without_bytecode.__code__)) for code in kept.values())
    # The second run compiles nothing new: the file is not rewritten.
    before = cache.stat().st_mtime_ns
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert cache.stat().st_mtime_ns == before


def test_no_file_without_bytecode(tmp_path: Path) -> None:
    cache = tmp_path / "dataclasses.test.marshal"
    code = SCRIPT.replace("startup.install()", f"startup._cache_file = lambda: {str(cache)!r}\nstartup.install()")
    root = str(Path(startup.__file__).resolve().parents[1])
    env = {"PYTHONPATH": root, "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert not cache.exists()


def test_exec_without_namespaces_uses_the_callers() -> None:
    namespace: dict[str, object] = {}
    startup._exec("value = 40 + 2", namespace)
    assert namespace["value"] == 42
    assert dataclasses.is_dataclass(startup) is False


DEFERRED = """
import copy, dataclasses, pickle, sys
from asl_lint import startup

eager = len(sys.argv) > 1
if not eager:
    startup.defer_dataclasses()
    startup.defer_dataclasses()  # (once is enough: a second call changes nothing)
made = []
original = startup._PROCESS or dataclasses._process_class
if not eager:
    def counting(cls, *args, **kwargs):
        made.append(cls.__name__)
        return original(cls, *args, **kwargs)
    startup._PROCESS = counting

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int = 2
    tags: list = dataclasses.field(default_factory=list)

@dataclasses.dataclass(frozen=True)
class Point3(Point):
    z: int = 0

class Plain(Point3):
    def __init__(self, label):
        super().__init__(1, 2, [label])
        object.__setattr__(self, "note", label)

@dataclasses.dataclass(slots=True)
class Slotted:
    a: int

@dataclasses.dataclass
class Unused:
    b: int

@dataclasses.dataclass(order=True)
class Asked:
    c: int

@dataclasses.dataclass(eq=False)
class Unpickled:
    d: int

out = {"made_at_import": list(made)}
p = Point(1)
out["point"] = [p.x, p.y, p.tags, repr(p), p == Point(1, 2, []), hash(Point(1, 2, ())) == hash(Point(1, 2, ()))]
try:
    p.x = 3
except dataclasses.FrozenInstanceError:
    out["frozen"] = True
q = Point3(1, z=3)
out["point3"] = [repr(q), q == Point3(1, 2, [], 3), q != p, [f.name for f in dataclasses.fields(q)]]
out["plain"] = [repr(Plain("a")), Plain("a").note, dataclasses.is_dataclass(Plain)]
out["asked"] = [[f.name for f in dataclasses.fields(Asked)], Asked.__match_args__, Asked(1) < Asked(2)]
out["copy"] = [repr(copy.deepcopy(q)), dataclasses.replace(q, z=5).z, dataclasses.asdict(q)]
if eager:
    sys.stdout.buffer.write(pickle.dumps(Unpickled(7)))
else:
    loaded = pickle.loads(sys.stdin.buffer.read())  # no instance made here before
    out["unpickled"] = [repr(loaded), loaded.d, loaded == loaded, "__eq__" in Unpickled.__dict__]
    out["made"] = made
    out["pending"] = sorted(c.__name__ for c in startup._DEFERRED)
    print(repr(out))
"""


def test_a_deferred_dataclass_is_made_when_first_needed_and_is_the_same_class() -> None:
    """``defer_dataclasses``: a class is made by its first instance, unpickled instance or question
    about its fields, bases first, and then behaves exactly as if made at import."""
    import ast

    root = str(Path(startup.__file__).resolve().parents[1])
    env = {"PYTHONPATH": root, "PATH": "/usr/bin:/bin"}
    pickled = subprocess.run([sys.executable, "-c", DEFERRED, "eager"], capture_output=True, env=env,
                             check=True).stdout
    deferred = subprocess.run([sys.executable, "-c", DEFERRED], input=pickled, capture_output=True, env=env,
                              check=True)
    out = ast.literal_eval(deferred.stdout.decode())
    assert out["made_at_import"] == ["Slotted"]  # slots make a new class: never deferred
    assert out["point"] == [1, 2, [], "Point(x=1, y=2, tags=[])", True, True] and out["frozen"]
    assert out["point3"] == ["Point3(x=1, y=2, tags=[], z=3)", True, True, ["x", "y", "tags", "z"]]
    assert out["plain"] == ["Plain(x=1, y=2, tags=['a'], z=0)", "a", True]
    assert out["asked"] == [["c"], ("c",), True]
    assert out["copy"] == ["Point3(x=1, y=2, tags=[], z=3)", 5, {"x": 1, "y": 2, "tags": [], "z": 3}]
    assert out["unpickled"] == ["Unpickled(d=7)", 7, True, False]
    assert out["made"] == ["Slotted", "Point", "Point3", "Asked", "Unpickled"]
    assert out["pending"] == ["Unused"]


def test_a_part_of_the_suite_passes_with_dataclasses_made_on_first_use() -> None:
    """The command line defers dataclasses; the suite mostly runs them as the library does. These
    tests (the command line, parallel runs, projects, the schema check, the engine) run again in a
    process where every asl-lint dataclass is deferred from the start."""
    import os

    root = Path(startup.__file__).resolve().parents[1]
    env = {**os.environ, "ASL_LINT_TEST_DEFERRED_DATACLASSES": "1"}
    parts = ["tests/test_cli.py", "tests/test_parallel.py", "tests/sources/test_projects.py",
             "tests/structure/test_schema_violation.py", "tests/test_engine.py"]
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *parts],
                          cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]  # (5 when no test ran)
    assert done.stdout.count(".") > 50
