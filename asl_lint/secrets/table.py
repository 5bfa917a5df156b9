"""Loads patterns.json once and compiles it into immutable, ready-to-match structures."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Format:
    """One provider token format (regex + optional validation)."""

    id: str
    kind: str
    pattern: str
    hints: tuple[str, ...]
    hints_ci: tuple[str, ...]
    validate: Callable[[str], bool] | None
    on_invalid: str  # "reject" or the confidence to report when validation fails
    confidence: str
    mask_prefixes: tuple[str, ...]
    dummy_check: bool
    source: str

    @property
    def regex(self) -> re.Pattern[str]:
        # Compiled on first use (``re`` keeps it): most runs meet no value that passes the hints.
        return re.compile(self.pattern)

    def may_match(self, value: str, lowered: str) -> bool:
        return any(h in value for h in self.hints) or any(h in lowered for h in self.hints_ci)


@dataclass(frozen=True)
class KeyedFormat:
    """A shapeless secret recognised by its key name (AWS secret access key, Twilio auth token)."""

    id: str
    kind: str
    key: re.Pattern[str]
    value: re.Pattern[str]
    confidence: str


@dataclass(frozen=True)
class KeywordGroup:
    """Key names that announce a secret (``password``, ``api_key``...), by kind."""
    kind: str
    strong: bool
    contains: tuple[str, ...]
    exact: frozenset[str]

    def matches(self, norm: str) -> bool:
        return norm in self.exact or any(word in norm for word in self.contains)


@dataclass(frozen=True)
class Dummies:
    """Values that look like secrets but are placeholders (``changeme``, ``<token>``...)."""
    exact: frozenset[str]
    suffixes: tuple[str, ...]
    markers: tuple[str, ...]
    words: frozenset[str]


@dataclass(frozen=True)
class Entropy:
    """How long and how random a value must be to count as a secret."""
    strong_min_length: int
    strong_random_min_length: int
    strong_random_min_entropy: float
    weak_min_length: int
    weak_min_entropy: float
    hex_min_length: int
    hex_min_entropy: float


@dataclass(frozen=True)
class Table:
    """The secret formats, key names, placeholders and thresholds the detector uses."""
    formats: tuple[Format, ...]
    keyed: tuple[KeyedFormat, ...]
    groups: tuple[KeywordGroup, ...]
    not_secret_suffixes: tuple[str, ...]
    not_secret_prefixes: tuple[str, ...]
    not_secret_exact: frozenset[str]
    auth_exact: dict[str, str]
    auth_contains: tuple[tuple[str, str], ...]
    auth_schemes: tuple[str, ...]
    dummies: Dummies
    entropy: Entropy
    gate: re.Pattern[str]  # one search tells whether any case-sensitive format hint occurs
    gate_ci: re.Pattern[str]  # same for the case-insensitive hints, searched in the lower-cased value
    mask_prefixes: tuple[str, ...]  # longest first


def _format(entry: dict, validators: dict[str, Callable[[str], bool]]) -> Format:
    name = entry.get("validate")
    return Format(
        id=entry["id"],
        kind=entry["kind"],
        pattern=entry["regex"],
        hints=tuple(entry.get("hints", ())),
        hints_ci=tuple(h.lower() for h in entry.get("hints_ci", ())),
        validate=validators[name] if name else None,
        on_invalid=entry.get("on_invalid", "reject"),
        confidence=entry["confidence"],
        mask_prefixes=_as_tuple(entry.get("mask_prefix", ())),
        dummy_check=entry.get("dummy_check", True),
        source=entry["source"],
    )


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    return tuple(v for v in items if v)


def _gate(hints: set[str]) -> re.Pattern[str]:
    # Plain literal alternation: sre then scans for the first characters quickly (no inline flags).
    return re.compile("|".join(re.escape(h) for h in sorted(hints, key=len, reverse=True)))


@cache
def table() -> Table:
    """The compiled table (built on first use, then cached for the process)."""
    from asl_lint.secrets.validators import VALIDATORS

    # a plain path (not importlib.resources, which costs ~10 ms to import); the file ships as package data
    raw = json.loads(Path(__file__).with_name("patterns.json").read_text("utf-8"))
    formats = tuple(_format(e, VALIDATORS) for e in raw["formats"])
    kw = raw["keywords"]
    auth = raw["auth_names"]
    dummies = raw["dummies"]
    return Table(
        formats=formats,
        keyed=tuple(
            KeyedFormat(e["id"], e["kind"], re.compile(e["key"]), re.compile(e["value"]), e["confidence"])
            for e in raw["keyed_formats"]
        ),
        groups=tuple(
            KeywordGroup(g["kind"], g["strength"] == "strong", tuple(g["contains"]), frozenset(g["exact"]))
            for g in kw["groups"]
        ),
        not_secret_suffixes=tuple(kw["not_secret_suffixes"]),
        not_secret_prefixes=tuple(kw["not_secret_prefixes"]),
        not_secret_exact=frozenset(kw["not_secret_exact"]),
        auth_exact=dict(auth["exact"]),
        auth_contains=tuple(auth["contains"].items()),
        auth_schemes=tuple(auth["value_schemes"]),
        dummies=Dummies(
            exact=frozenset(dummies["exact"]),
            suffixes=tuple(dummies["suffixes"]),
            markers=tuple(dummies["markers"]),
            words=frozenset(dummies["words"]),
        ),
        entropy=Entropy(**{k: v for k, v in raw["entropy"].items() if not k.startswith("_")}),
        gate=_gate({h for f in formats for h in f.hints}),
        gate_ci=_gate({h for f in formats for h in f.hints_ci}),
        mask_prefixes=tuple(sorted({p for f in formats for p in f.mask_prefixes}, key=len, reverse=True)),
    )
