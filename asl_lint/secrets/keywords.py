"""Key-name classification: does a JSON member name announce a credential?"""

from __future__ import annotations

import re
from functools import lru_cache

from asl_lint.secrets.table import KeywordGroup, table

_SEPARATORS = re.compile(r"[\s_.\-]+")


def normalise(name: str) -> str:
    """'x-api-key' / 'X_API_KEY' / 'XApiKey.$' all become 'xapikey' (a trailing '.$' is dropped)."""
    if name.endswith(".$"):
        name = name[:-2]
    return _SEPARATORS.sub("", name).lower()


@lru_cache(maxsize=8192)
def classify_key(name: str) -> KeywordGroup | None:
    """The keyword group a key name belongs to, or None for ordinary and identifier-holding keys.

    Identifier-holding keys (SecretId, KmsKeyId, ApiKeyName, NextToken, TaskToken, …) hold references
    or non-credential tokens, so they are excluded before the keyword match.
    """
    t = table()
    norm = normalise(name)
    if not norm or norm in t.not_secret_exact:
        return None
    if norm.endswith(t.not_secret_suffixes) or norm.startswith(t.not_secret_prefixes):
        return None
    for group in t.groups:
        if group.matches(norm):
            return group
    return None
