"""Linting on several processes: this process and forked children share the items out, and every
item's result comes back in order, even when a child dies."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import pytest

from asl_lint.engine.parallel import Workers, map_in_processes, warm_up

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
    warm_up()  # (the child's own is then quick: run alone, this test would otherwise race the imports)
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


@linux_only
def test_workers_started_before_the_items_are_known_share_them_out() -> None:
    warm_up()
    workers = Workers.start(2)
    assert workers is not None
    items = list(range(40))
    results = map_in_processes(_pid_after_a_pause, items, 2, workers)
    assert [item for item, _ in results] == items
    assert len({pid for _, pid in results}) == 2
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@linux_only
def test_workers_get_items_larger_than_a_pipe_holds() -> None:
    workers = Workers.start(3)
    items = ["x" * 100_000 + str(i) for i in range(12)]  # (a pipe holds 64 KiB: this is 1.2 MB)
    assert map_in_processes(len, items, 3, workers) == [len(item) for item in items]


@linux_only
@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_let_go_without_work(jobs: int) -> None:
    # The plan failed (close), the run turned out small (jobs 1), or the items cannot be handed over.
    for use in ("close", "small", "unpicklable"):
        workers = Workers.start(3)
        assert workers is not None
        if use == "close":
            workers.close()
        elif use == "small":
            assert map_in_processes(_double, [1, 2, 3], 1, workers) == [2, 4, 6]
        else:
            assert map_in_processes(lambda item: item + 1, [1, 2, 3], 2, workers) == [2, 3, 4]
        with pytest.raises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)  # no child left behind
    assert Workers.start(jobs - 1) is None  # nothing to fork for one process


def test_many_files_on_the_command_line_give_what_one_process_gives(tmp_path: Any) -> None:
    from asl_lint.config import Config
    from asl_lint.engine.runner import lint_paths

    files = []
    for i in range(20):
        path = tmp_path / f"m{i}.asl.json"
        path.write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "%s"}}}' % ("A" if i % 2 else "B"))
        files.append(str(path))
    one = lint_paths(files, Config(), jobs=1)
    many = lint_paths(files, Config(), jobs=0)
    assert [(d.file, d.code, d.line, d.column) for d in many.diagnostics] == \
           [(d.file, d.code, d.line, d.column) for d in one.diagnostics]
    assert len(one.diagnostics) >= 10


@linux_only
def test_this_process_takes_from_the_front_and_the_children_from_the_back() -> None:
    warm_up()
    results = map_in_processes(_pid_after_a_pause, list(range(40)), 2)
    mine = [item for item, pid in results if pid == PARENT]
    theirs = [item for item, pid in results if pid != PARENT]
    assert mine and theirs
    assert mine == list(range(len(mine)))  # a prefix of the items, in order
    assert theirs == list(range(len(mine), 40))  # the rest: the suffix the children took


def test_units_with_yaml_or_jsonata_go_first(tmp_path: Any) -> None:
    from asl_lint.config import Config
    from asl_lint.engine.runner import _heavy_first
    from asl_lint.sources.project import plan

    plain = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}'
    texts = {"a.asl.json": plain, "b.asl.yaml": "StartAt: A\n", "c.asl.json": plain,
             "d.asl.json": plain.replace('"Pass"', '"Pass", "QueryLanguage": "JSONata"'), "e.asl.json": plain}
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    units = plan([str(tmp_path / name) for name in texts], Config())
    assert [unit.files[0].file for unit in units] == [str(tmp_path / name) for name in texts]
    assert _heavy_first(units) == [1, 3, 0, 2, 4]


@linux_only
def test_a_child_with_plain_json_files_imports_neither_yaml_nor_jsonata(tmp_path: Any) -> None:
    import subprocess

    for i in range(60):  # (enough that the child, importing while this process plans, gets some)
        (tmp_path / f"m{i}.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}')
    (tmp_path / "flow.asl.yaml").write_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n    QueryLanguage: JSONata\n"
                                            "    Output: '{% $states.input %}'\n    End: true\n")
    # This process lints slowly on purpose, so that the child, once it has imported what it needs,
    # surely takes some of the files however fast this one is and however busy the machine.
    code = """
import os, sys, time
from asl_lint.engine import runner
lint_one = runner._lint_one
def lint(args):
    result = lint_one(args)
    if os.getpid() != PARENT:
        print("CHILD", "yaml" in sys.modules, "jsonata" in sys.modules, flush=True)
    else:
        time.sleep(0.02)
    return result
PARENT = os.getpid()
runner._lint_one = lint
from asl_lint.config import Config
runner.lint_paths(sys.argv[1:], Config(), jobs=2)
"""
    files = sorted(str(p) for p in tmp_path.iterdir())
    out = subprocess.run([sys.executable, "-c", code, *files], capture_output=True, text=True, check=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("CHILD")]
    assert lines and set(lines) == {"CHILD False False"}, out.stdout
