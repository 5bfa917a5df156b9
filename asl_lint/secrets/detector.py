"""Finds secrets written inline in one string of a Step Functions definition.

Three layers, most specific first: provider token formats (regex + validation, from patterns.json),
formats recognised by their key (AWS secret access key), then keyword + entropy rules for generic
secrets under credential-like key names, also inside `key=value` text (query strings, embedded JSON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from asl_lint._lazy import lazy_compile
from asl_lint.secrets.filters import is_dummy, is_dummy_word, is_reference, looks_secret
from asl_lint.secrets.keywords import classify_key, normalise
from asl_lint.secrets.manual_auth import manual_auth
from asl_lint.secrets.masking import mask, redact
from asl_lint.secrets.table import KeyedFormat, table

__all__ = ["AllowList", "SecretMatch", "manual_auth", "mask", "redact", "scan"]


@dataclass(frozen=True)
class SecretMatch:
    """A secret at value[start:end] (code-point offsets, end exclusive).

    `rule` is the pattern id from patterns.json ('stripe-secret-key', 'keyword-password', …);
    `confidence` is 'high', 'medium' or 'low'.
    """

    kind: str
    rule: str
    start: int
    end: int
    confidence: str = "high"


@dataclass
class AllowList:
    """Known test fixtures: exact secret values, or regexes searched in the secret text."""

    values: frozenset[str] = field(default_factory=frozenset)
    patterns: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def from_config(cls, values: list[str], patterns: list[str]) -> AllowList:
        return cls(frozenset(values), tuple(re.compile(p) for p in patterns))

    def allows(self, secret: str) -> bool:
        return secret in self.values or any(p.search(secret) for p in self.patterns)


# Whole values that are never scanned at all (references to where the secret really lives).
_SKIP_WHOLE = re.compile(r"^\s*(?:arn:(?:aws[\w-]*|\$\{[^}]+\}):|\{\{resolve:[^}]+\}\}\s*$)", re.IGNORECASE)
# `name=value` / `"name": "value"` inside a longer string; a name right after ':' or '/' is an ARN or
# path segment (`…:secret:prod/db-AbCdEf`), not an assignment.
_ASSIGNMENT = lazy_compile(
    r"(?<![A-Za-z0-9_.:/-])(?P<key>[A-Za-z][A-Za-z0-9_.-]{0,60})[\"']?\s*[:=](?!//)\s*[\"']?"
    r"(?P<secret>[^\s\"'&,;{}()<>\[\]\\|`]{8,})"
)
_KEYWORD_HINT = re.compile(r"pass|pwd|secret|key|token|auth|cred|bearer|sig|dsn|cookie|contrase", re.I)

MIN_LENGTH = 8  # no secret this module finds is shorter (``scan`` returns at once)
_Candidate = tuple[int, SecretMatch]  # (priority, match): lower priority wins an overlap


def _format_matches(value: str, candidates: list[_Candidate]) -> list[tuple[int, int]]:
    """Adds format matches; returns the spans recognised as documented dummies (never re-flagged)."""
    t = table()
    lowered = value.lower()
    dummy_spans: list[tuple[int, int]] = []
    if not t.gate.search(value) and not t.gate_ci.search(lowered):
        return dummy_spans
    for priority, fmt in enumerate(t.formats):
        if not fmt.may_match(value, lowered):
            continue
        span_group = "secret" if "secret" in fmt.regex.groupindex else 0
        for m in fmt.regex.finditer(value):
            start, end = m.span(span_group)
            secret = value[start:end]
            if fmt.dummy_check and is_dummy(secret):
                dummy_spans.append((start, end))
                continue
            confidence = fmt.confidence
            if fmt.validate is not None and not fmt.validate(secret):
                if fmt.on_invalid == "reject":
                    continue
                confidence = fmt.on_invalid
            candidates.append((priority, SecretMatch(fmt.kind, fmt.id, start, end, confidence)))
    return dummy_spans


@lru_cache(maxsize=8192)
def _keyed_for(key: str) -> tuple[tuple[int, KeyedFormat], ...]:
    """Keyed formats (with their priority) whose key pattern matches this member name."""
    t = table()
    norm = normalise(key)
    return tuple((len(t.formats) + i, k) for i, k in enumerate(t.keyed) if k.key.search(norm))


def _keyed_matches(value: str, key: str, candidates: list[_Candidate]) -> None:
    keyed_formats = _keyed_for(key)
    group = classify_key(key)
    if (not keyed_formats and group is None) or is_reference(value):
        return
    stripped = value.strip()
    start = value.index(stripped) if stripped else 0
    end = start + len(stripped)
    for priority, keyed in keyed_formats:
        if keyed.value.match(stripped) and not is_dummy(stripped):
            candidates.append((priority, SecretMatch(keyed.kind, keyed.id, start, end, keyed.confidence)))
            return
    if group is not None and looks_secret(stripped, group.strong):
        t = table()
        rule = "keyword-" + group.kind.lower().replace(" ", "-")
        confidence = "high" if group.strong else "medium"
        priority = len(t.formats) + len(t.keyed)
        candidates.append((priority, SecretMatch(group.kind, rule, start, end, confidence)))


def _assignment_matches(value: str, candidates: list[_Candidate]) -> None:
    if ("=" not in value and ":" not in value) or not _KEYWORD_HINT.search(value):
        return
    priority = len(table().formats) + len(table().keyed) + 1
    for m in _ASSIGNMENT.finditer(value):
        group = classify_key(m.group("key"))
        secret = m.group("secret")
        if group is None or is_dummy_word(secret) or not looks_secret(secret, group.strong):
            continue
        start, end = m.span("secret")
        rule = "assignment-" + group.kind.lower().replace(" ", "-")
        candidates.append((priority, SecretMatch(group.kind, rule, start, end, "medium")))


def _resolve(
    candidates: list[_Candidate], value: str, allow: AllowList | None, dummies: list[tuple[int, int]]
) -> list[SecretMatch]:
    """Keep the most specific match of each overlapping set, drop allow-listed ones and generic matches
    over a documented dummy (AWS example key, jwt.io sample), order by position."""
    kept: list[SecretMatch] = []
    if dummies:
        kept += [SecretMatch("dummy", "dummy", start, end) for start, end in dummies]
    for _, match in sorted(candidates, key=lambda c: (c[0], c[1].start)):
        if allow is not None and allow.allows(value[match.start : match.end]):
            continue
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    return sorted((m for m in kept if m.rule != "dummy"), key=lambda m: m.start)


def scan(value: str, *, key: str | None = None, allow: AllowList | None = None) -> list[SecretMatch]:
    """Secrets inside one string value; `key` is its member name (enables keyword rules).

    Member names themselves are scanned by calling scan(name) without a key.
    """
    if len(value) < MIN_LENGTH or _SKIP_WHOLE.match(value):
        return []
    found, dummies = _candidates(value, key)
    if allow is not None and allow.values and value in allow.values:
        return []
    return _resolve(list(found), value, allow, list(dummies)) if found else []


@lru_cache(maxsize=16384)
def _candidates(value: str, key: str | None) -> tuple[tuple[_Candidate, ...], tuple[tuple[int, int], ...]]:
    """The matches before the allow-list (a function of the value and its key alone): most strings
    of a definition recur, across its states, files and a language server's re-lints."""
    candidates: list[_Candidate] = []
    dummies = _format_matches(value, candidates)
    if key is not None and not key.endswith(".$"):
        _keyed_matches(value, key, candidates)
    _assignment_matches(value, candidates)
    return tuple(candidates), tuple(dummies)
