"""Post-regex validation of candidate secrets, referenced by name from patterns.json."""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Callable

from asl_lint._lazy import lazy_compile
from asl_lint.secrets.filters import b64url_json, entropy, has_marker, is_dummy_word

_BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def aws_key_id(secret: str) -> bool:
    """AWS access key ids are 4-char prefix + 16 base32 characters (A-Z, 2-7)."""
    return all(ch in _BASE32 for ch in secret[4:])


def github_checksum(secret: str) -> bool:
    """Classic GitHub tokens end in a 6-char base62 CRC32 of the 30 random characters before it.

    Used only to raise confidence: a mismatch keeps the finding at lower confidence, since the exact
    encoding is documented informally (github.blog 2021-04-05).
    """
    body = secret.split("_", 1)[1]
    random_part, check = body[:30], body[30:]
    value = zlib.crc32(random_part.encode()) & 0xFFFFFFFF
    digits = ""
    while value:
        value, rem = divmod(value, 62)
        digits = _BASE62[rem] + digits
    return digits.rjust(6, "0") == check


def jwt_header(secret: str) -> bool:
    """The header segment must decode to a JSON object naming an 'alg' (ds jwt.py does the same)."""
    try:
        header = b64url_json(secret.split(".", 1)[0])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and "alg" in header


def basic_credentials(secret: str) -> bool:
    """'Basic <b64>' must decode to printable 'user:password' with a non-placeholder password."""
    try:
        text = base64.b64decode(secret + "=" * (-len(secret) % 4), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    _user, sep, password = text.partition(":")
    return bool(sep and password and text.isprintable() and not is_dummy_word(password))


_TOKEN_CHARS = lazy_compile(r"[A-Za-z]")


def random_token(secret: str) -> bool:
    """A bearer credential: letters and digits, not a dummy, random enough (prose never passes)."""
    return (
        bool(_TOKEN_CHARS.search(secret))
        and any(ch.isdigit() for ch in secret)
        and entropy(secret) >= 3.5
        and not is_dummy_word(secret)
    )


def not_dummy(secret: str) -> bool:
    """Passwords in URLs: anything but a placeholder word ('password', '****', 'changeme')."""
    if len(secret) < 4 or not any(ch.isalnum() for ch in secret) or "…" in secret:
        return False
    return not is_dummy_word(secret) and secret.lower() not in {"pass", "pswd", "passw"}


_PEM_ARMOUR = lazy_compile(r"-----(?:BEGIN|END)[^-]*-----|\\[nr]|\s|^[\w-]+:.*$", re.MULTILINE)


def pem_body(secret: str) -> bool:
    """A key block needs a real body: 32+ base64 characters that are not a placeholder."""
    body = _PEM_ARMOUR.sub("", secret)
    return len(body) >= 32 and not has_marker(body[:200]) and entropy(body[:400]) >= 4.0


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "aws_key_id": aws_key_id,
    "github_checksum": github_checksum,
    "jwt_header": jwt_header,
    "basic_credentials": basic_credentials,
    "random_token": random_token,
    "not_dummy": not_dummy,
    "pem_body": pem_body,
}
