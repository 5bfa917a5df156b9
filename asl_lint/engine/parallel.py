"""Linting many files on several cores (``check --jobs``; by default on every core for big runs).

Each file is linted on its own, so the files are shared out among processes. On Linux this process
lints too, beside ``jobs - 1`` forked children (``Workers``): this process takes the next file
from the front of the list, the children from the back, through shared counters (so a slow file
holds nobody up, and the files the caller put first, those that need more modules, stay here); the
children keep their results and hand them over at the end; a file a child took but did not report
(it died) is linted here. The children are forked before anything is linted, and import what they
need (``warm_up``) while this process starts linting, on another core; when many files are named
on the command line, even before the run is planned. Elsewhere a pool of workers is used: the
modules a lint needs are imported here first (a small definition is linted), so that the workers
start with them where they are forked. A run of a handful of files stays in this process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MANY_FILES = 16  # below this, worker processes cost more than they save

# Touches what every definition needs (JSONPath and intrinsics, retries, the symbolic data flow,
# secrets) and nothing only some need: JSONata, YAML and z3 are imported by the processes whose
# files read them. The caller puts such files first (``runner._heavy_first``), and this process takes
# items from the front while the children take them from the back, so a child often needs none.
_WARM_UP = """{
  "StartAt": "Call",
  "States": {
    "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Parameters": {"FunctionName": "f", "Payload.$": "States.JsonMerge($, $.extra, false)"},
             "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 2}], "Next": "Pick"},
    "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.kind", "StringEquals": "a", "Next": "Each"}],
             "Default": "Each"},
    "Each": {"Type": "Map", "ItemsPath": "$.items",
             "ItemProcessor": {"StartAt": "Shape", "States": {
               "Shape": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($.list)"}, "End": true}}},
             "End": true}
  }
}"""


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def resolve_jobs(jobs: int, count: int) -> int:
    """``jobs`` as asked; 0 means: every available core when there are many files, else one."""
    if jobs > 0:
        return jobs
    return available_cores() if count >= MANY_FILES else 1


def warm_up() -> None:
    """Import what linting needs, here, once (the workers inherit it)."""
    from asl_lint.config import Config
    from asl_lint.engine.runner import lint_text

    lint_text(_WARM_UP, "warm-up.asl.json", Config())


@contextmanager
def relaxed_gc() -> Iterator[None]:
    """Python's cyclic garbage collector less often while linting: a lint allocates masses of
    small objects without cycles, and each full collection walks the whole (growing) heap again:
    on a 2,000-state definition that was an eighth of the time, and the share grows with the
    size. Cycles are still collected, later; the previous thresholds come back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _worker_start() -> None:
    gc.set_threshold(max(gc.get_threshold()[0], 50_000), *gc.get_threshold()[1:])


def map_in_processes(fn: Callable[[T], R], items: Sequence[T], jobs: int, workers: Workers | None = None) -> list[R]:
    """``[fn(item) for item in items]``, on ``jobs`` processes when that is more than one.
    ``workers``: children started before the items were known (``Workers.start``); they are used
    for ``jobs - 1`` of the processes, or let go when the run stays in this process."""
    with relaxed_gc():
        if jobs <= 1 or len(items) <= 1:
            if workers is not None:
                workers.close()
            return [fn(item) for item in items]
        if workers is not None:
            return workers.map(fn, items)
        if sys.platform.startswith("linux"):
            return Workers(min(jobs, len(items)), items=(fn, items)).map(fn, items)
        from concurrent.futures import ProcessPoolExecutor

        warm_up()
        chunk = max(1, len(items) // (jobs * 4))
        # What is loaded now (modules, the warm-up's caches) lives as long as the workers: frozen,
        # their collections do not walk it, nor write to (and so copy) the pages they share.
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start) as pool:
                return list(pool.map(fn, items, chunksize=chunk))
        finally:
            gc.unfreeze()


class Workers:
    """This process and ``jobs - 1`` forked children (Linux) take items from shared counters: this
    process from the front of the items, the children from the back, until the two meet.

    A child imports what linting needs first (``warm_up``), and only then takes an item: one
    taken before would wait for the imports while this process may be done with all the others.
    Children can be started before the items are known (``start``, when the command line alone
    says the run is big: many files): they import while this process plans the run, and get the
    items through an unnamed file when ``map`` is called (a signal on a pipe says it is written;
    a pipe alone would block this process while a child is still importing). Each child keeps its
    results and hands them over in one piece when it runs out of work; an item a child took but
    did not report (it died) is linted here.
    """

    def __init__(self, jobs: int, items: tuple[Callable[[T], R], Sequence[T]] | None = None) -> None:
        import mmap

        # How many items were taken from the front and from the back, in memory the processes
        # share, behind a lock on an unnamed file (POSIX record locks hold between processes).
        # ``multiprocessing``'s Lock and RawValue cost 20 ms of imports and set-up, before any
        # process could start.
        self._taken = mmap.mmap(-1, 16)
        self._task: Any = items  # (fn, items), when known before the children are forked
        self._file: Any = _unnamed_file()  # the lock, and the items when they come later
        self._children: list[tuple[int, int, int | None]] = []  # (pid, results read end, signal write end)
        for _ in range(jobs - 1):
            results_read, results_write = os.pipe()
            signal_read, signal_write = os.pipe() if items is None else (None, None)
            pid = os.fork()
            if pid == 0:
                for _pid, other_results, other_signal in self._children:  # (inherited: not this child's)
                    os.close(other_results)
                    if other_signal is not None:
                        os.close(other_signal)
                os.close(results_read)
                if signal_write is not None:
                    os.close(signal_write)
                self._child(results_write, signal_read)  # never returns
            os.close(results_write)
            if signal_read is not None:
                os.close(signal_read)
            self._children.append((pid, results_read, signal_write))

    @classmethod
    def start(cls, jobs: int) -> Workers | None:
        """Children for a run of ``jobs`` processes, forked now (None where there is no fork)."""
        if jobs <= 1 or not sys.platform.startswith("linux"):
            return None
        return cls(jobs)

    def _take(self, count: int, front: bool) -> int | None:
        """The index of the next item from the front (this process) or the back (a child); None
        when every item is taken."""
        import fcntl

        fd = self._file.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            first = int.from_bytes(self._taken[:8], "little")
            last = int.from_bytes(self._taken[8:16], "little")
            if first + last >= count:
                return None
            if front:
                self._taken[:8] = (first + 1).to_bytes(8, "little")
                return first
            self._taken[8:16] = (last + 1).to_bytes(8, "little")
            return count - 1 - last
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def _work(self, fn: Callable[[T], R], items: Sequence[T], front: bool) -> Iterator[tuple[int, R]]:
        while (index := self._take(len(items), front)) is not None:
            yield index, fn(items[index])

    def _child(self, results_write: int, signal_read: int | None) -> None:
        import pickle

        status = 1
        try:
            warm_up()
            task = self._task
            if signal_read is not None:
                with os.fdopen(signal_read, "rb") as signal:
                    if signal.read(1) == b"1":  # (else: let go without work)
                        task = pickle.loads(_read_all(self._file.fileno()))
            done = list(self._work(task[0], task[1], front=False)) if task is not None else []
            with os.fdopen(results_write, "wb") as out:
                pickle.dump(done, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)  # never the parent's exit handlers or its callers' cleanup

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[fn(item) for item in items]`` shared out between this process and the children."""
        import pickle

        results: dict[int, R] = {}
        try:
            if self._task is None:
                try:
                    task = pickle.dumps((fn, items), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # (what cannot be handed over is linted here; the children go)
                    task = None
                if task is not None:
                    os.pwrite(self._file.fileno(), task, 0)
                    self._signal(b"1")
            results.update(self._work(fn, items, front=True))
        finally:
            for pid, read in self._collect():
                # (a child that died reported nothing, or half a result: its items are linted below)
                with os.fdopen(read, "rb") as handle, contextlib.suppress(Exception):
                    results.update(pickle.load(handle))
                os.waitpid(pid, 0)
            self._file.close()
        return [results[i] if i in results else fn(items[i]) for i in range(len(items))]

    def close(self) -> None:
        """Let the children go without work, and wait for them."""
        for pid, read in self._collect():
            os.close(read)
            os.waitpid(pid, 0)
        self._file.close()

    def _signal(self, message: bytes) -> None:
        for index, (pid, read, signal) in enumerate(self._children):
            if signal is not None:
                with contextlib.suppress(OSError):  # (a child that died has closed its end)
                    os.write(signal, message)
                os.close(signal)
                self._children[index] = (pid, read, None)

    def _collect(self) -> list[tuple[int, int]]:
        self._signal(b"")  # (nothing written: a child still waiting reads the end of the pipe)
        children, self._children = self._children, []
        return [(pid, read) for pid, read, _ in children]


def _unnamed_file() -> Any:
    """A file no other process can open (in memory where Linux has ``memfd_create``)."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("asl-lint-items"), "w+b")
    import tempfile

    return tempfile.TemporaryFile()


def _read_all(fd: int) -> bytes:
    parts: list[bytes] = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        parts.append(chunk)
        offset += len(chunk)
    return b"".join(parts)
