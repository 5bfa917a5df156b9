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
from typing import TYPE_CHECKING, Any, Literal

__version__ = "0.2.0"

if TYPE_CHECKING:
    from asl_lint.config import Config
    from asl_lint.diagnostics import Diagnostic
    from asl_lint.eval.runtime import Limits


def __getattr__(name: str) -> Any:
    # ``asl_lint.Config`` without importing the config module on every ``import asl_lint``.
    if name == "Config":
        from asl_lint.config import Config

        return Config
    raise AttributeError(f"module 'asl_lint' has no attribute {name!r}")

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


def test_state(
    definition: dict[str, Any] | str,
    input: Any = None,
    *,
    state_name: str | None = None,
    inspection_level: Literal["INFO", "DEBUG", "TRACE"] = "INFO",
    variables: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    mock: dict[str, Any] | None = None,
    reveal_secrets: bool = False,
    role_arn: str | None = None,
    state_configuration: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What AWS TestState returns for one state, computed offline: the dict ``asl-lint test-state`` prints.

    Raises ``asl_lint.eval.TestStateRequestError`` for a request AWS would reject.
    """
    from asl_lint.eval.api import test_state as run

    return run(
        definition,
        input,
        state_name=state_name,
        inspection_level=inspection_level,
        variables=variables,
        context=context,
        mock=mock,
        reveal_secrets=reveal_secrets,
        role_arn=role_arn,
        state_configuration=state_configuration,
    )


def run_execution(
    definition: dict[str, Any] | str,
    input: Any = None,
    *,
    mocks: dict[str, Any] | None = None,
    limits: Limits | None = None,
    state_machine_type: Literal["STANDARD", "EXPRESS"] = "STANDARD",
    role_arn: str | None = None,
) -> dict[str, Any]:
    """Run a whole machine offline; Task results come from ``mocks`` (state name -> result).

    Returns ``{"status", "output"}`` or ``{"status", "error", "cause"}`` like ``asl-lint run``. For
    Step Functions Local's mock format, histories and coverage, see ``asl_lint.testing.run``.
    """
    from asl_lint.eval.api import run_execution as run
    from asl_lint.eval.context import DEFAULT_ROLE_ARN

    return run(
        definition,
        input,
        mocks=mocks,
        limits=limits,
        state_machine_type=state_machine_type,
        role_arn=role_arn or DEFAULT_ROLE_ARN,
    )


test_state.__test__ = False  # type: ignore[attr-defined]  # not a pytest test

__all__ = ["Config", "__version__", "lint_paths", "lint_text", "run_execution", "test_state"]
