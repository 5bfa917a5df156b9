"""Telling cheaply whether a file changed since it was read: the caches of a long-lived process.

The language server keeps what it read (parsed ``.tf`` files, templates, what an infrastructure
file says) while the files are unchanged. A file's *stamp* is its modification time (in
nanoseconds) and size; it changes when the file is written, created or deleted, and a folder's
modification time changes when a file is created, deleted or renamed in it (editors that save by
renaming a temporary file touch both).

File systems set modification times from a coarse clock (a kernel tick, some milliseconds), so a
file written again within the same tick as it was read may keep its stamp although its content
changed (git's "racy" files). A stamp is trusted only when it is older than the read by more than
that: :func:`settled`. A cache entry that is not settled is checked again (its content compared or
read anew) the next time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

Stamp = tuple[int, int] | None  # (modification time in ns, size); None: the file does not exist
RACY_NS = 50_000_000  # 50 ms: well above the coarse clocks of file systems


def stamp(path: str) -> Stamp:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def now() -> int:
    """The time to take *before* reading a file, for :func:`settled`."""
    return time.time_ns()


def settled(found: Stamp, read_at: int) -> bool:
    """True when a file with this stamp, read at ``read_at`` (:func:`now` before the read), cannot
    have been written again since without its stamp changing."""
    return found is None or found[0] < read_at - RACY_NS


def stamps(paths: Iterable[str]) -> tuple[tuple[str, Stamp], ...]:
    return tuple((path, stamp(path)) for path in paths)
