"""Start-up cost of a command: the code ``dataclasses`` generates, compiled once and kept.

For every dataclass, Python's ``dataclasses`` writes the source of its ``__init__``, ``__repr__``,
``__eq__`` (and more for frozen classes) and compiles it, each time the module that defines the
class is imported: about half a millisecond a class, some ninety classes in a one-file run, a
quarter of its time. That source depends only on the class, so its compiled code can be kept the
way Python keeps a module's bytecode. ``install`` gives ``dataclasses`` an ``exec`` that compiles
each source once and keeps the code objects in ``asl_lint/__pycache__`` (not when Python writes no
bytecode: ``PYTHONDONTWRITEBYTECODE``, ``-B``, or a read-only install). Nothing else changes: the
same source, compiled the same way, executed with the same namespaces.

Only the command line installs it (``asl_lint.cli.main``); the library leaves ``dataclasses`` alone.
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
from types import CodeType
from typing import Any

MAX_ENTRIES = 3000
# source -> marshalled code, as read from the file (only the sources a run meets are unmarshalled)
_KEPT: dict[str, bytes] = {}
_MEMO: dict[str, CodeType] = {}  # source -> code, this run
_STATE = {"installed": False, "dirty": False}


def kept_file(name: str) -> str | None:
    """Where what is called ``name`` is kept beside the package's bytecode (``asl_lint/__pycache__``);
    None when Python has no bytecode cache tag."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__", f"{name}.{tag}.marshal")


def read_kept(path: str | None) -> Any:
    """What was kept at ``path``; None when nothing (readable) is."""
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            return marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None  # none yet, or unreadable: the caller computes it again


def keep(path: str | None, value: Any) -> None:
    """Keep ``value`` at ``path`` (replaced whole, never half-written); nothing where Python keeps
    no bytecode (``PYTHONDONTWRITEBYTECODE``, ``-B``) or cannot write (a read-only install)."""
    if path is None or sys.dont_write_bytecode:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            marshal.dump(value, handle)
        os.replace(temporary, path)
    except (OSError, ValueError):
        pass


def _cache_file() -> str | None:
    return kept_file("dataclasses")


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /) -> None:
    if globals is None:  # what exec itself would use: the caller's namespace
        frame = sys._getframe(1)
        globals, locals = frame.f_globals, frame.f_locals if locals is None else locals
    if isinstance(source, str):
        code = _MEMO.get(source)
        if code is None:
            kept = _KEPT.get(source)
            try:
                code = marshal.loads(kept) if kept is not None else None
            except (EOFError, ValueError, TypeError):
                code = None
            if not isinstance(code, CodeType):
                code = compile(source, "<string>", "exec")
                _STATE["dirty"] = True
            _MEMO[source] = code
        source = code
    builtins.exec(source, globals, locals)


def install() -> None:
    """Let ``dataclasses`` reuse compiled code from earlier runs (once per process)."""
    if _STATE["installed"]:
        return
    _STATE["installed"] = True
    path = _cache_file()
    if path is None:
        return
    import dataclasses

    kept = read_kept(path)
    if isinstance(kept, dict):
        _KEPT.update((k, v) for k, v in kept.items() if isinstance(k, str) and isinstance(v, bytes))
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # the module-level name dataclasses calls
    if not sys.dont_write_bytecode:
        import atexit

        atexit.register(_save, path)


def _save(path: str) -> None:
    """Keep what this run compiled, with what earlier runs kept (this run's first, at most
    ``MAX_ENTRIES``), when it compiled anything new."""
    if not _STATE["dirty"]:
        return
    entries = {source: marshal.dumps(code) for source, code in _MEMO.items()}
    for source, raw in _KEPT.items():
        if len(entries) >= MAX_ENTRIES:
            break
        entries.setdefault(source, raw)
    keep(path, entries)
