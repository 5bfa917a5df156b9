"""When the language server collects cyclic garbage: between keystrokes, not in the middle of a lint.

Python collects when allocations pass thresholds, wherever the program is. With its defaults
(700, 10, 10) a server linting a 500-state definition after every keystroke spent a third of a
keystroke's latency in the collector (≈ 33 ms an edit, measured with ``gc.callbacks`` over
``benchmarks/lsp_stdio_bench.py``), and a full collection — every object of every open document,
plus the modules — landed inside a lint now and then, holding one publication up by up to 90 ms.

So: what the server loaded to start (modules, rule documents, schemas) is frozen once, never to be
walked again (``gc.freeze``); young collections are rarer and the automatic full ones rarer still;
and a full collection runs when typing pauses (``collect_when_idle``, after the diagnostics of
the last text are out). Objects freed by reference counting — nearly everything a lint builds —
go as before; only cycles wait for the pause.
"""

from __future__ import annotations

import gc

# Young collections after this many net allocations (a lint of a large definition makes some
# hundred thousand); the automatic full collection only as a backstop for a session that never
# pauses (100 middle collections, some hundred million allocations).
THRESHOLDS = (50_000, 20, 100)


def settle() -> None:
    """Once the server is built, before any document: freeze what it loaded, raise the thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def collect_when_idle() -> None:
    """A full collection, now that the user paused: the cycles the last lints left."""
    gc.collect()
