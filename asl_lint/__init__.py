"""asl-lint: a static analyzer and linter for AWS Step Functions (Amazon States Language).

The Python API of the contract::

    import asl_lint
    asl_lint.lint_paths(paths, config=None) -> list[Diagnostic]   # one path or several
    asl_lint.Config(select=("ASL1",), fail_on=...)                 # what [tool.asl-lint] sets
    asl_lint.lint_text(text, path="definition.asl.json", config=None) -> list[Diagnostic]
    asl_lint.test_state(definition, input=None, *, state_name=None, ...) -> dict
    asl_lint.run_execution(definition, input=None, *, mocks=None) -> dict

Workflow tests (Step Functions Local mock configs, histories, coverage): ``asl_lint.testing``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from asl_lint._lazy import lazy_attributes

__version__ = "0.2.0"

if TYPE_CHECKING:
    from asl_lint.config import Config
    from asl_lint.diagnostics import Diagnostic
    from asl_lint.eval.api import run_execution, test_state

# ``asl_lint.Config``, ``test_state`` and ``run_execution`` are imported on first use, not by every
# ``import asl_lint`` (the command line imports this package first).
__getattr__ = lazy_attributes(globals(), {"Config": "asl_lint.config", "test_state": "asl_lint.eval.api",
                                          "run_execution": "asl_lint.eval.api"})

StrPath = str | os.PathLike[str]


def lint_paths(paths: StrPath | Iterable[StrPath], config: Config | None = None) -> list[Diagnostic]:
    """Lint files and directories, given as one path or several (``str`` or ``pathlib.Path``).

    The diagnostics come sorted by file, line, column, code. Without ``config`` the defaults apply
    (every rule); ``asl_lint.config.config_for([path], None)`` reads a project's own config.
    """
    from asl_lint.config import Config
    from asl_lint.engine.runner import lint_paths as run

    # A single path is one path, not an iterable of characters.
    items = [paths] if isinstance(paths, str | bytes | os.PathLike) else list(paths)
    return run([os.fsdecode(p) for p in items], config or Config()).diagnostics


def lint_text(text: str, path: str = "definition.asl.json", config: Config | None = None) -> list[Diagnostic]:
    """Lint one document given as text; ``path`` decides JSON or YAML and appears in findings."""
    from asl_lint.config import Config
    from asl_lint.engine.runner import lint_text as run

    return run(text, path, config or Config()).finish().diagnostics


__all__ = ["Config", "__version__", "lint_paths", "lint_text", "run_execution", "test_state"]
