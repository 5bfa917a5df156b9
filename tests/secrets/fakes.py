"""Fake but format-valid secrets, assembled at run time.

No token literal appears in this repository (push protection and other scanners would flag it): each
value is a prefix split in two and a body drawn from a seeded PRNG, so runs are reproducible.
"""

from __future__ import annotations

import base64
import json
import random
import string
import zlib

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def rand(charset: str, n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(charset) for _ in range(n))


def join(*parts: str) -> str:
    return "".join(parts)


def github(kind: str, seed: int, valid_checksum: bool = True) -> str:
    """ghp_/gho_/… + 30 random chars + 6-char base62 CRC32 (or a wrong one)."""
    body = rand(ALNUM, 30, seed)
    crc = zlib.crc32(body.encode()) & 0xFFFFFFFF
    if not valid_checksum:
        crc ^= 0x5A5A5A
    digits = ""
    while crc:
        crc, rem = divmod(crc, 62)
        digits = BASE62[rem] + digits
    return join("gh", kind, "_", body, digits.rjust(6, "0"))


def b64url(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def jwt(seed: int) -> str:
    header = b64url({"alg": "HS256", "typ": "JWT"})
    payload = b64url({"sub": "svc-" + rand(HEX, 8, seed), "iat": 1700000000})
    return join(header, ".", payload, ".", rand(URLSAFE, 43, seed + 1))


def pem(label: str, seed: int, newline: str = "\n") -> str:
    body = rand(B64, 64 * 4, seed)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    begin = join("-----BEGIN ", label, " PRIVATE", " KEY-----")
    end = join("-----END ", label, " PRIVATE", " KEY-----")
    return newline.join([begin, *lines, end]).replace("  ", " ")


def basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()
