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
