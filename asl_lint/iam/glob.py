"""Three-valued wildcard matching of IAM patterns against values that may be partly unknown.

A value may contain ``${name}`` placeholders: parts unknown statically (a path, a CloudFormation
pseudo parameter, a generated name). A pattern may contain ``*``/``?`` and, when it comes from a
template, the same symbolic placeholders. Results are ``NO < UNKNOWN < YES``: YES only when the
match holds whatever the placeholders stand for, NO when it holds for none of them.
"""

from __future__ import annotations

import re
import sys
from enum import IntEnum
from functools import cache, lru_cache
from typing import Literal

Mode = Literal["action", "resource", "arn", "like", "equals", "equals-ci"]


class Tri(IntEnum):
    NO = 0
    UNKNOWN = 1
    YES = 2

    def negate(self) -> Tri:
        return Tri(2 - self.value)


_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


class _Ph(str):
    """A placeholder token (a str subclass so tokens stay hashable and comparable by name).

    ``atom``: it holds no colon. True for pseudo parameters (``AWS::Region``), resource attributes
    (``Fn.Name``) and any placeholder embedded in a larger value (a part of an ARN stands for a
    part of one segment); a value that is one placeholder alone may be a whole ARN.
    """

    atom: bool = False


def _ph(name: str, embedded: bool) -> _Ph:
    ph = _Ph(name)
    ph.atom = embedded or name.startswith("AWS::") or bool(re.fullmatch(r"[A-Za-z0-9]+\.[A-Za-z0-9]+", name))
    return ph


class _Lit(str):
    """A literal character written as an escape (``${*}``, ``${?}``, ``${$}``)."""


class _Wild(str):
    """A ``*`` (``cross`` tells whether it may run over ``:``) or ``?`` token."""

    cross: bool


def _wild(kind: str, cross: bool) -> _Wild:
    w = _Wild(kind)
    w.cross = cross
    return w


def has_placeholder(value: str) -> bool:
    return _PLACEHOLDER.search(value) is not None


@lru_cache(maxsize=16384)
def _value_tokens(text: str) -> tuple[str, ...]:
    return tuple(_split(text))


def _split(text: str) -> list[str]:
    """Text -> chars and _Ph tokens."""
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        out.extend(text[pos : m.start()])
        out.append(_ph(m.group(1), m.group(0) != text))
        pos = m.end()
    out.extend(text[pos:])
    return out


@lru_cache(maxsize=16384)
def _pattern_tokens(pattern: str, mode: Mode) -> tuple[str, ...]:
    raw = _split(pattern)
    wildcards = mode not in ("equals", "equals-ci")
    out: list[str] = []
    colons = 0
    for i, tok in enumerate(raw):
        if isinstance(tok, _Ph) and tok in ("*", "?", "$"):
            out.append(_Lit(tok))
            continue
        if isinstance(tok, _Ph) or not wildcards or tok not in "*?":
            colons += tok == ":" and not isinstance(tok, _Ph)
            out.append(tok)
            continue
        if mode in ("action", "like"):
            cross = True
        elif mode == "arn":
            cross = colons >= 5
        else:  # resource: the 6th segment and a pattern-final '*' run over colons
            cross = colons >= 5 or (tok == "*" and i == len(raw) - 1)
        out.append(_wild(tok, cross))
    return tuple(out)


@lru_cache(maxsize=65536)
def match(pattern: str, value: str, mode: Mode) -> Tri:
    """Match ``value`` against ``pattern``.

    Modes: ``action`` (case-insensitive, ``*`` runs anywhere), ``resource`` (IAM Resource element:
    ``*`` stays inside a colon segment except in the resource part or at the pattern's end),
    ``arn`` (ArnLike: never across segments before the resource part), ``like`` (StringLike),
    ``equals`` / ``equals-ci`` (no wildcards).
    """
    ci = mode in ("action", "equals-ci")
    if ci:
        pattern, value = _fold(pattern), _fold(value)
    if not _edges_agree(_pattern_edges(pattern, mode), _value_edges(value)):
        return Tri.NO
    pat = _pattern_tokens(pattern, mode)
    val = _value_tokens(value)
    limit = sys.getrecursionlimit()
    needed = 4 * (len(pat) + len(val)) + 200
    if needed > limit:
        sys.setrecursionlimit(needed)
    return _dp(pat, val)


def _fold(text: str) -> str:
    # Fold only literal text; placeholder names keep their spelling.
    parts = []
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        parts.append(text[pos : m.start()].lower())
        parts.append(m.group(0))
        pos = m.end()
    parts.append(text[pos:].lower())
    return "".join(parts)


def _literal_run(tokens: tuple[str, ...] | list[str]) -> str:
    run = []
    for tok in tokens:
        if isinstance(tok, (_Ph, _Wild)):
            break
        run.append(tok)
    return "".join(run)


def _edges(tokens: tuple[str, ...]) -> tuple[str, str]:
    return _literal_run(tokens), _literal_run(tokens[::-1])[::-1]


@lru_cache(maxsize=16384)
def _pattern_edges(pattern: str, mode: Mode) -> tuple[str, str]:
    return _edges(_pattern_tokens(pattern, mode))


@lru_cache(maxsize=16384)
def _value_edges(value: str) -> tuple[str, str]:
    return _edges(_value_tokens(value))


def _edges_agree(pat: tuple[str, str], val: tuple[str, str]) -> bool:
    """Cheap necessary condition: the literal text both sides begin (and end) with must agree."""
    (pp, ps), (vp, vs) = pat, val
    if not (pp.startswith(vp) or vp.startswith(pp)):
        return False
    return ps.endswith(vs) or vs.endswith(ps)


def _dp(pat: tuple[str, ...], val: tuple[str, ...]) -> Tri:
    np, nv = len(pat), len(val)

    @cache
    def m(i: int, j: int) -> Tri:
        if i == np:
            if j == nv:
                return Tri.YES
            # Leftover placeholders might be empty.
            return Tri.UNKNOWN if all(isinstance(t, _Ph) for t in val[j:]) else Tri.NO
        p = pat[i]
        if isinstance(p, _Wild) and p == "*":
            best = m(i + 1, j)
            if best is not Tri.YES and j < nv:
                v = val[j]
                if isinstance(v, _Ph) and not v.atom and not p.cross:
                    # A whole-value placeholder may hold colons this '*' cannot run over.
                    best = max(best, min(Tri.UNKNOWN, m(i, j + 1)))
                elif isinstance(v, _Ph) or p.cross or v != ":":
                    best = max(best, m(i, j + 1))
            return best
        if j == nv:
            return min(Tri.UNKNOWN, m(i + 1, j)) if isinstance(p, _Ph) else Tri.NO
        v = val[j]
        if isinstance(v, _Ph):
            if isinstance(p, _Ph) and p == v:
                exact = m(i + 1, j + 1)
                if exact is Tri.YES or v.atom:
                    return exact
                return max(exact, min(Tri.UNKNOWN, max(m(i, j + 1), m(i + 1, j))))
            # The placeholder may end here, or swallow this pattern token and go on.
            swallow = Tri.NO if v.atom and p == ":" and not isinstance(p, _Ph) else m(i + 1, j)
            return min(Tri.UNKNOWN, max(m(i, j + 1), swallow))
        if isinstance(p, _Ph):
            # A symbolic pattern part may stand for any run of the value.
            swallow = Tri.NO if p.atom and v == ":" else m(i, j + 1)
            return min(Tri.UNKNOWN, max(m(i + 1, j), swallow))
        if isinstance(p, _Wild):  # '?'
            return m(i + 1, j + 1) if (p.cross or v != ":") else Tri.NO
        return m(i + 1, j + 1) if p == v else Tri.NO

    return m(0, 0)
