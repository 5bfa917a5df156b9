"""Where state machine definitions come from: one module per project layout behind one interface.

- :mod:`asl_lint.sources.base`: the interface (what a layout returns, the machine's context).
- :mod:`asl_lint.sources.detect`: bytes → text → format → parse, below every layout.
- Layouts: :mod:`~asl_lint.sources.standalone`, :mod:`~asl_lint.sources.cloudformation` (CloudFormation,
  SAM, CDK output), :mod:`~asl_lint.sources.serverless`; the list is :data:`asl_lint.sources.registry.LAYOUTS`.
- :mod:`asl_lint.sources.project`: discovery, and which machines use which definition file.
- :func:`load_machines`: every machine of a file or folder with its resolved definition, for the
  commands that run or inspect a machine (``iam policy``, ``run``, ``test-state``, ``graph``, ``test``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asl_lint.sources.base import LocatedDefinition, MachineContext, SourceResult

if TYPE_CHECKING:
    from asl_lint.sources.machines import LoadedMachine

__all__ = ["LoadedMachine", "LocatedDefinition", "MachineContext", "SourceResult", "load_machines", "locate"]


def locate(*args: Any, **kwargs: Any) -> SourceResult:
    """See :func:`asl_lint.sources.registry.locate`."""
    from asl_lint.sources.registry import locate as run

    return run(*args, **kwargs)


def load_machines(*args: Any, **kwargs: Any) -> list[LoadedMachine]:
    """See :func:`asl_lint.sources.machines.load_machines`."""
    from asl_lint.sources.machines import load_machines as run

    return run(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "LoadedMachine":
        from asl_lint.sources.machines import LoadedMachine

        return LoadedMachine
    raise AttributeError(name)
