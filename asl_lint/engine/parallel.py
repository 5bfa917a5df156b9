"""Linting many files on several cores (``check --jobs``; by default on every core for big runs).

Each file is linted on its own, so the files are shared out among processes. On Linux this
process lints too, beside ``jobs - 1`` forked children: they take the next file from a shared
counter (so a slow file holds nobody up), keep their results and hand them over at the end; a
file a child took but did not report (it died) is linted here. The children are forked before
anything is linted, and import what they need (``warm_up``) while this process starts linting,
on another core. Elsewhere a pool of workers is used: the modules a lint needs are imported here
first (a small definition is linted), so that the workers start with them where they are forked.
A run of a handful of files stays in this process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MANY_FILES = 16  # below this, worker processes cost more than they save

# Touches what most definitions need (JSONPath and intrinsics, JSONata, retries, the symbolic data
# flow, secrets) without the solver: z3 stays for the workers whose files need it.
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
               "Shape": {"Type": "Pass", "QueryLanguage": "JSONata",
                         "Output": "{% $merge([$states.input, {'n': $count($states.input.list)}]) %}", "End": true}}},
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


def map_in_processes(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[fn(item) for item in items]``, on ``jobs`` processes when that is more than one."""
    with relaxed_gc():
        if jobs <= 1 or len(items) <= 1:
            return [fn(item) for item in items]
        if sys.platform.startswith("linux"):
            return _forked(fn, items, min(jobs, len(items)))
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


def _forked(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """This process and ``jobs - 1`` forked children take items from one shared counter."""
    import multiprocessing
    import pickle

    context = multiprocessing.get_context("fork")
    lock = context.Lock()
    taken = context.RawValue("q", 0)  # the next item to take

    def take() -> int:
        with lock:
            index = int(taken.value)
            taken.value = index + 1
        return index

    def work() -> Iterator[tuple[int, R]]:
        while (index := take()) < len(items):
            yield index, fn(items[index])

    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    results: dict[int, R] = {}
    try:
        for _ in range(jobs - 1):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its results go back in one piece when it runs out of work
                os.close(read)
                status = 1
                try:
                    # Imports first, and only then a file: one taken before would wait for them
                    # while this process may already be done with all the others.
                    warm_up()
                    done = list(work())
                    with os.fdopen(write, "wb") as out:
                        pickle.dump(done, out, protocol=pickle.HIGHEST_PROTOCOL)
                    status = 0
                finally:
                    os._exit(status)  # never the parent's exit handlers or its callers' cleanup
            os.close(write)
            children.append((pid, read))
        results.update(work())
    finally:
        for pid, read in children:
            # (a child that died reported nothing, or half a result: its items are linted below)
            with os.fdopen(read, "rb") as handle, contextlib.suppress(Exception):
                results.update(pickle.load(handle))
            os.waitpid(pid, 0)
    # What a child took and never reported (it was killed, say) is linted here.
    return [results[i] if i in results else fn(items[i]) for i in range(len(items))]
