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

``defer_dataclasses`` (a short command's, not the language server's) goes one step further: a
class is made a dataclass when first needed, not when its module is imported. A one-file run
imports some hundred dataclasses and uses about sixty (the JSONPath AST's filter nodes, the
template layouts' records, the solver's encodings wait for the inputs that need them), and making
one costs ~0.15 ms even with its code kept. "Needed" is: an instance is created (``__init__``;
``__setstate__`` when unpickled), or the class is asked for its dataclass fields, parameters or
``__match_args__`` (``dataclasses.fields``, ``is_dataclass``, ``replace``, pydantic). Then
``dataclasses`` makes it exactly as it would have at import (the arguments are kept), bases
first. Slotted classes (``dataclasses`` makes a new class for them) and classes with an
``__init__`` or ``__setstate__`` of their own are made at once.
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


# --- dataclasses made when first needed ------------------------------------------------------------
_DEFERRED: dict[type, tuple[tuple[Any, ...], dict[str, Any]]] = {}  # class -> _process_class arguments
_HOOKS = ("__init__", "__setstate__", "__dataclass_fields__", "__dataclass_params__", "__match_args__")
_REALISING: Any = None  # a re-entrant lock (``_thread``: ``threading`` is not imported by a run)
_PROCESS: Any = None  # dataclasses' own _process_class


class _Realising:
    """Stands for a dataclass attribute of a class not yet made: reading it makes the class."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type) -> Any:
        realise(owner)
        return getattr(owner, self.name)


def _init_of(owner: type) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        realise(owner)
        owner.__init__(self, *args, **kwargs)  # type: ignore[misc]  # now the dataclass's own
    return __init__


def _setstate(self: Any, state: Any) -> None:
    """An instance made without ``__init__`` (unpickled from a worker process) makes its class,
    then takes its state as ``pickle`` would have."""
    realise(type(self))
    setstate = getattr(self, "__setstate__", None)
    if setstate is not None:
        setstate(state)
        return
    slots = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
    if state:
        self.__dict__.update(state)
    for name, value in (slots or {}).items():
        object.__setattr__(self, name, value)


def realise(cls: type) -> None:
    """Make the deferred dataclasses among ``cls`` and its bases, bases first."""
    with _REALISING:
        for klass in reversed(cls.__mro__):
            arguments = _DEFERRED.pop(klass, None)
            if arguments is not None:
                for name in _HOOKS:
                    if name in klass.__dict__:
                        delattr(klass, name)
                _PROCESS(klass, *arguments[0], **arguments[1])


def _defer(cls: type, *args: Any, **kwargs: Any) -> type:
    if kwargs.get("slots", args[8] if len(args) > 8 else False) \
            or any(name in cls.__dict__ for name in _HOOKS):
        return _PROCESS(cls, *args, **kwargs)  # (slots make a new class; a class's own __init__: now)
    _DEFERRED[cls] = (args, kwargs)
    # (not __new__: a class that had one never gets object's fast path back, which refuses arguments)
    cls.__init__ = _init_of(cls)  # type: ignore[misc]
    cls.__setstate__ = _setstate  # type: ignore[attr-defined]
    for name in _HOOKS[2:]:
        setattr(cls, name, _Realising(name))
    return cls


def defer_dataclasses() -> None:
    """Make each dataclass defined from now on when it is first needed (see the module doc)."""
    global _REALISING, _PROCESS
    import dataclasses

    process = getattr(dataclasses, "_process_class", None)
    code = getattr(process, "__code__", None)
    # dataclasses' private entry point, as Python 3.11–3.13 define it; any other: classes made now
    if _PROCESS is not None or code is None or code.co_varnames[:11] != (
            "cls", "init", "repr", "eq", "order", "unsafe_hash", "frozen", "match_args", "kw_only", "slots",
            "weakref_slot"):
        return
    import _thread

    _REALISING, _PROCESS = _thread.RLock(), process
    dataclasses._process_class = _defer  # type: ignore[attr-defined]


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
