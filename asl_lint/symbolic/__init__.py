"""Symbolic evaluation: an abstract state of the data flowing through a definition (``flow``),
and Choice rules decided by concrete inputs where that is certain (``fast``), else with an SMT
solver (``choice``). Used by ``asl_lint.checks.evaluation``.

Everything here is sound in one direction only: what it reports is certain (or, for warnings,
certain on some path of the graph); whatever it cannot decide is "unknown" and reported as nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

# Set by a caller that may no longer want the result (the language server, when the text changed):
# the analysis then stops at its next state boundary by raising ``Stopped``.
STOP: ContextVar[Callable[[], bool] | None] = ContextVar("asl_lint_symbolic_stop", default=None)


class Stopped(Exception):
    """The result of this analysis is no longer wanted."""


def check_stop() -> None:
    stop = STOP.get()
    if stop is not None and stop():
        raise Stopped
