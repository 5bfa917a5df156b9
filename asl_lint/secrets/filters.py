"""Value heuristics: what is *not* a secret (expressions, references, ids, dummies) and what looks random.

The "do not flag" rules are stated with their sources in docs/sources.md#secret-formats; entropy
follows detect-secrets' Shannon entropy over characters.
"""

from __future__ import annotations

import binascii
import json
import math
import re
from collections import Counter
from functools import lru_cache

from asl_lint._lazy import lazy_compile
from asl_lint.secrets.table import table

# Whole-value shapes that are references or ids, never secrets.
_REFERENCE = re.compile(
    r"""^(?:
        \$                                  # JSONPath ($. $$. $[ ) and $variables
      | States\.                            # intrinsic function call
      | \{%[\s\S]*%\}$                      # JSONata expression
      | arn:aws[\w-]*:                      # any ARN (secret / connection ARNs included)
      | \{\{resolve:                        # CloudFormation dynamic reference
      | [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$   # UUID
      | (?:true|false|null|none)$
      | -?\d+(?:\.\d+)?$
      | \d{4}-\d\d-\d\d(?:[T\x20]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?$   # ISO 8601 timestamp
    )""",
    re.VERBOSE | re.IGNORECASE,
)
# Placeholders anywhere in the value: ${X}, {{X}}, <X>, %X%, @X@, {x}.
_TEMPLATED = re.compile(r"\$\{[^}]*\}|\{\{[^}]*\}\}|^<[^>]*>$|^%\w+%$|^@\w+@$|^\{\w+\}$")
# Locations: URLs without userinfo, S3 URIs, absolute paths (SSM parameter names), e-mail addresses.
_LOCATION = re.compile(r"^(?:[a-z][a-z0-9+.-]*://[^@\s]*|/[\w./-]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$", re.I)
# Lower-case slash-separated names (Secrets Manager secret names, SSM paths without the leading '/').
_NAME_PATH = lazy_compile(r"^[a-z0-9._-]+(?:/[a-z0-9._:-]+)+$")
_SEQUENTIAL = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_HEX = lazy_compile(r"^[0-9a-fA-F]+$")
_NOT_LETTER = lazy_compile(r"[^a-z]")
_REPEAT = lazy_compile(r"(.)\1{5,}")


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def is_reference(value: str) -> bool:
    """True for expressions, placeholders, ARNs, UUIDs, locations, literals that never hold a secret."""
    v = value.strip()
    return bool(_REFERENCE.match(v) or _TEMPLATED.search(v) or _LOCATION.match(v))


def b64url_json(part: str) -> object:
    """Decode one base64url segment (JWT style, unpadded) as JSON; raises ValueError when it is not."""
    padded = part + "=" * (-len(part) % 4)
    import base64

    return json.loads(base64.urlsafe_b64decode(padded).decode("utf-8"))


def _is_sample_jwt(secret: str) -> bool:
    """The jwt.io sample token (sub 1234567890, name John Doe) is documentation, not a credential."""
    try:
        payload = b64url_json(secret.split(".")[1])
    except (ValueError, binascii.Error, UnicodeDecodeError, IndexError):
        return False
    return (
        isinstance(payload, dict) and payload.get("sub") == "1234567890" and payload.get("name") == "John Doe"
    )


def is_dummy(secret: str) -> bool:
    """True for AWS's documented example keys and obvious placeholders (…EXAMPLE, xxxxx, your-key, 000000)."""
    dummies = table().dummies
    if secret in dummies.exact or secret.endswith(dummies.suffixes):
        return True
    if secret.startswith("eyJ") and _is_sample_jwt(secret):
        return True
    return has_marker(secret) or bool(_REPEAT.search(secret)) or _is_sequential(secret.lower())


def has_marker(text: str) -> bool:
    """Placeholder markers anywhere: 'example', 'your', 'xxxxx', '*****'."""
    low = text.lower()
    return any(marker in low for marker in table().dummies.markers)


def is_dummy_word(value: str) -> bool:
    """Keyword-context dummies: 'changeme', 'Password123!' (the letters alone form a placeholder word)."""
    return is_dummy(value) or _NOT_LETTER.sub("", value.lower()) in table().dummies.words


def _is_sequential(low: str) -> bool:
    return len(low) >= 8 and (low in _SEQUENTIAL.lower() or low in "0123456789" * 2)


@lru_cache(maxsize=4096)
def looks_secret(value: str, strong: bool) -> bool:
    """Whether a keyword-context literal looks like a credential.

    strong (password/secret keys): any non-identifier literal of 8+ chars, since short human passwords
    never reach an entropy limit. weak (token/key keys): 16+ random-looking chars.
    """
    v = value
    limits = table().entropy
    if (
        len(v) < limits.strong_min_length
        or len(v) > 4096
        or any(ch.isspace() for ch in v)
        or is_reference(v)
        or is_dummy_word(v)
    ):
        return False
    if _NAME_PATH.match(v):
        return False
    has_digit = any(ch.isdigit() for ch in v)
    has_alpha = any(ch.isalpha() for ch in v)
    odd_symbol = any(not ch.isalnum() and ch not in "-_./:" for ch in v)
    mixed_case = any(ch.islower() for ch in v) and any(ch.isupper() for ch in v)
    h = entropy(v)
    if strong:
        if has_alpha and (has_digit or odd_symbol):
            return True
        return (
            len(v) >= limits.strong_random_min_length
            and mixed_case
            and h >= limits.strong_random_min_entropy
            and not _is_identifier_words(v)
        )
    if _HEX.match(v):
        return len(v) >= limits.hex_min_length and h >= limits.hex_min_entropy
    return len(v) >= limits.weak_min_length and has_alpha and has_digit and h >= limits.weak_min_entropy


_WORDS = lazy_compile(r"^(?:[A-Z]?[a-z]+|[A-Z]+(?![a-z]))(?:[-_./:]?(?:[A-Z]?[a-z]+|[A-Z]+(?![a-z])))*$")


def _is_identifier_words(value: str) -> bool:
    """CamelCase / kebab / snake words without digits look like names, not secrets."""
    return bool(_WORDS.match(value))
