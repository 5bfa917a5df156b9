"""Linting on several processes: this process and forked children share the items out, and every
item's result comes back in order, even when a child dies."""

from __future__ import annotations

import os
import sys
import time

import pytest

from asl_lint.engine.parallel import map_in_processes

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children are forked on Linux")
PARENT = os.getpid()


def _double(item: int) -> int:
    return item * 2


def _pid_after_a_pause(item: int) -> tuple[int, int]:
    time.sleep(0.01)
    return item, os.getpid()


def _dies_in_a_child(item: int) -> int:
    if os.getpid() != PARENT:
        os._exit(9)  # killed halfway: what it took is not reported
    return item * 3


def test_results_come_back_in_order() -> None:
    assert map_in_processes(_double, list(range(100)), 2) == [i * 2 for i in range(100)]


@linux_only
def test_this_process_and_a_child_both_lint() -> None:
    results = map_in_processes(_pid_after_a_pause, list(range(40)), 2)
    assert [item for item, _ in results] == list(range(40))
    pids = {pid for _, pid in results}
    assert PARENT in pids and len(pids) == 2


@linux_only
def test_what_a_dead_child_took_is_linted_here() -> None:
    assert map_in_processes(_dies_in_a_child, list(range(30)), 3) == [i * 3 for i in range(30)]


@linux_only
def test_an_error_in_this_process_still_waits_for_the_children() -> None:
    def boom(item: int) -> int:
        if os.getpid() == PARENT:
            raise ValueError("this process fails")
        time.sleep(0.05)  # (the child is slow: this process surely takes an item)
        return item

    with pytest.raises(ValueError, match="this process fails"):
        map_in_processes(boom, list(range(10)), 2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind
