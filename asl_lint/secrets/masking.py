"""Masking and redaction: a secret is never shown in clear, whatever the output encoding."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, quote_plus

from asl_lint._lazy import lazy_compile
from asl_lint.secrets.table import table

MASK = "****"
_SHOWN = 2  # characters of the random part kept in clear, only for long secrets
_PEM_HEADER = lazy_compile(r"-----BEGIN[ A-Z0-9_-]{0,100}-----")
_MIN_REDACT = 4  # shorter strings cannot be redacted without garbling ordinary text


@lru_cache(maxsize=1024)
def mask(secret: str) -> str:
    """Provider prefix (e.g. 'sk_live_') + at most 2 characters, then '****'.

    A secret with under 16 characters after the prefix shows nothing at all, not even the prefix: a
    prefix is the provider's only on a value long enough to be its token.
    """
    pem = _PEM_HEADER.match(secret)
    if pem:
        return pem.group(0) + MASK
    prefix = next((p for p in table().mask_prefixes if secret.startswith(p)), "")
    # Stripe-style prefixes carry a mode ('sk_' + 'live_'): keep it, it tells the reader which key leaked.
    mode = re.match(r"(?:live|test|prod)_", secret[len(prefix) :]) if prefix.endswith("_") else None
    if mode:
        prefix += mode.group(0)
    rest = secret[len(prefix) :]
    if len(rest) < 16:
        # Too short to be that provider's token: the prefix may be the secret's own first characters
        # (a password "00…" is not a Salesforce token), so nothing of it is shown.
        return MASK
    return prefix + rest[:_SHOWN] + MASK


def _forms(secret: str) -> set[str]:
    """Every spelling under which the secret can appear in an output: raw, JSON-escaped (once and
    twice, with and without ASCII escapes or escaped slashes), URL-encoded."""
    once = json.dumps(secret)[1:-1]
    forms = {
        secret,
        once,
        json.dumps(secret, ensure_ascii=False)[1:-1],
        once.replace("/", "\\/"),
        json.dumps(once)[1:-1],
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
    }
    return {f for f in forms if len(f) >= _MIN_REDACT}


def _fragments(secret: str) -> set[str]:
    """Lines of a multi-line secret (PEM body), which code frames show one at a time."""
    if "\n" not in secret and "\\n" not in secret:
        return set()
    lines = (line.strip() for line in re.split(r"\r?\n|\\r?\\n", secret))
    return {line for line in lines if len(line) >= 8 and not _PEM_HEADER.fullmatch(line)}


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace each secret (and its escaped/encoded spellings and, for multi-line secrets, each line) by
    its mask."""
    compiled = _replacer(tuple(sorted(set(secrets))))
    if compiled is None:
        return text
    pattern, replacement = compiled
    return pattern.sub(lambda m: replacement[m.group(0)], text)


@lru_cache(maxsize=256)
def _replacer(secrets: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One alternation over every spelling, longest first (cached: the same secrets redact many outputs)."""
    replacement: dict[str, str] = {}
    for secret in secrets:
        if len(secret) < _MIN_REDACT:
            continue
        for fragment in _fragments(secret):
            for form in _forms(fragment):
                replacement.setdefault(form, MASK)
        masked = mask(secret)
        for form in _forms(secret):
            replacement[form] = masked
    if not replacement:
        return None
    pattern = re.compile("|".join(re.escape(f) for f in sorted(replacement, key=len, reverse=True)))
    return pattern, replacement
