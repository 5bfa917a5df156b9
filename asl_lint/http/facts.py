"""Facts about the HTTP Task that the checks share (stated with their sources in docs/sources.md#http-task)."""

from __future__ import annotations

import re

from asl_lint._lazy import lazy_compile

# `arn:<partition>:states:::http:invoke`; the partition may be a `${AWS::Partition}` placeholder.
HTTP_RESOURCE = re.compile(r"^arn:(?:aws[a-z-]*|\$\{[^}]+\}):states:::http:invoke$")

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
# Methods whose request content HTTP gives no meaning (RFC 9110 §9.3.1, §9.3.2).
BODYLESS_METHODS = ("GET", "HEAD")

BODY_ENCODINGS = ("NONE", "URL_ENCODED")
ARRAY_FORMATS = ("INDICES", "REPEAT", "COMMAS", "BRACKETS")
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

# Header names AWS refuses in the definition (States.Runtime at run time), lower-cased.
FORBIDDEN_HEADERS = frozenset(
    h.lower()
    for h in (
        "A-IM",
        "Accept-Charset",
        "Accept-Datetime",
        "Accept-Encoding",
        "Authorization",
        "Cache-Control",
        "Connection",
        "Content-Encoding",
        "Content-MD5",
        "Date",
        "Expect",
        "Forwarded",
        "From",
        "Host",
        "HTTP2-Settings",
        "If-Match",
        "If-Modified-Since",
        "If-None-Match",
        "If-Range",
        "If-Unmodified-Since",
        "Max-Forwards",
        "Origin",
        "Pragma",
        "Proxy-Authorization",
        "Referer",
        "Server",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Via",
        "Warning",
    )
)
FORBIDDEN_PREFIXES = ("x-forwarded-", "x-amz-", "x-amzn-")
AUTH_HEADERS = frozenset({"authorization", "proxy-authorization"})

# arn:<partition>:events:<region>:<account>:connection/<name>/<id>
CONNECTION_ARN = lazy_compile(
    r"^arn:aws[a-z-]*:events:[a-z]{2,4}(?:-[a-z]+)+-\d:\d{12}:connection/[A-Za-z0-9._-]{1,64}/[A-Za-z0-9-]+$"
)
CONNECTION_ARN_SHAPE = "arn:aws:events:<region>:<account>:connection/<name>/<id>"


def forbidden_header(name: str) -> str | None:
    """Why AWS refuses header `name` ('forbidden' or the reserved prefix), else None."""
    lowered = name.strip().lower()
    if lowered in FORBIDDEN_HEADERS:
        return "forbidden"
    return next((p for p in FORBIDDEN_PREFIXES if lowered.startswith(p)), None)
