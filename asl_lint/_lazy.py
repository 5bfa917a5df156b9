"""Names a package exports but imports only on first use (PEP 562), and regular expressions
compiled on first use: to keep ``import`` cheap."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module
from typing import Any, cast


def lazy_attributes(namespace: dict[str, Any], homes: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports each name of ``homes`` from its module when first asked for."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(import_module(home), name)
        namespace[name] = value
        return value

    return __getattr__


class _LazyPattern:
    """``re.compile(pattern, flags)`` when first used. That use keeps the compiled pattern's methods
    and attributes on the instance, so later calls cost what calling the pattern's own cost."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # (copy, pickle and friends probe for these)
            raise AttributeError(name)
        compiled = re.compile(*self._args)
        for attr in _PATTERN_ATTRIBUTES:
            self.__dict__[attr] = getattr(compiled, attr)
        return getattr(compiled, name)


_PATTERN_ATTRIBUTES = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split", "scanner",
                       "pattern", "flags", "groups", "groupindex")


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A regular expression compiled on first use. Python's compiler is written in Python: a
    pattern costs 0.1–0.3 ms, and a one-file run met 30 module-level patterns it never used
    (those of layouts, formats and secret shapes that file does not have)."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
