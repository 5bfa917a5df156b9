"""Explicit registration of checks: ``@check("ASL101")`` on a function of a CheckContext.

No import-everything magic: ``asl_lint.checks.MODULES`` lists the modules, and a test asserts
that every rule document has exactly one check and every check a document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from asl_lint.diagnostics import Finding

if TYPE_CHECKING:
    from asl_lint.engine.context import CheckContext, FileContext

Scope = Literal["definition", "file"]
CheckFn = Callable[..., Iterable[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: the rule it reports, its function, and what it runs on."""
    code: str
    fn: CheckFn
    scope: Scope


CHECKS: dict[str, CheckSpec] = {}


def check(code: str, *, scope: Scope = "definition") -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` as the check for ``code``. ``scope='file'`` checks get a FileContext."""

    def register(fn: CheckFn) -> CheckFn:
        if code in CHECKS:
            raise RuntimeError(f"two checks registered for {code}: {CHECKS[code].fn.__module__} and {fn.__module__}")
        CHECKS[code] = CheckSpec(code, fn, scope)
        return fn

    return register


def load_checks() -> dict[str, CheckSpec]:
    import importlib

    from asl_lint.checks import MODULES

    for module in MODULES:
        importlib.import_module(module)
    return CHECKS


__all__ = ["CHECKS", "CheckContext", "CheckSpec", "FileContext", "check", "load_checks"]
