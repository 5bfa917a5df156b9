"""What is certain about an endpoint URL from its known leading text (the whole URL when static).

Only what the known text settles is reported: a prefix `https://api.exa` says nothing about the host yet,
`http://` already says the scheme is wrong.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Literal

from asl_lint._lazy import lazy_compile

ProblemKind = Literal["scheme", "userinfo", "malformed"]
Span = tuple[int, int]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SCHEME_PREFIX = lazy_compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*)?$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")
_AUTHORITY_END = re.compile(r"[/?#]")


@dataclass(frozen=True)
class UrlProblem:
    """Something wrong with an ApiEndpoint, with where in its text it is."""
    kind: ProblemKind
    message: str
    span: Span | None  # code points inside the known text
    secret: str | None = None  # text to redact (credentials in the URL)


@dataclass
class UrlFacts:
    """What an ApiEndpoint's text says (scheme, host) and what is wrong with it."""
    scheme: str | None = None
    host: str | None = None
    host_span: Span | None = None
    problems: list[UrlProblem] = field(default_factory=list)


def _valid_host(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    name = host[:-1] if host.endswith(".") else host
    if len(name) > 253:
        return False
    return all(_LABEL.match(label) for label in name.split("."))


def _may_become_absolute(prefix: str) -> bool:
    """Whether more text after `prefix` can still make it `scheme://…`."""
    m = _SCHEME.match(prefix)
    if m is None:
        return _SCHEME_PREFIX.match(prefix) is not None
    return "//".startswith(prefix[m.end() :])


def analyse(text: str, complete: bool) -> UrlFacts:
    """Facts and problems of an endpoint whose first characters are `text` (all of it when `complete`)."""
    facts = UrlFacts()
    blank = re.search(r"\s", text)
    if blank:
        facts.problems.append(
            UrlProblem(
                "malformed",
                "ApiEndpoint contains whitespace, which is not allowed in a URL; percent-encode it "
                "(%20) or pass the values as QueryParameters",
                (blank.start(), blank.end()),
            )
        )
        return facts
    m = _SCHEME.match(text)
    if m is None or not text[m.end() :].startswith("//"):
        if complete:
            message = "ApiEndpoint is not an absolute URL: write it in full, starting with 'https://'"
        elif not _may_become_absolute(text):
            message = f"ApiEndpoint starts with {text!r}, so it is not an absolute URL: it must start with 'https://'"
        else:
            return facts
        facts.problems.append(UrlProblem("malformed", message, (0, len(text))))
        return facts
    facts.scheme = m.group(1).lower()
    if facts.scheme != "https":
        facts.problems.append(
            UrlProblem(
                "scheme",
                f"ApiEndpoint uses the '{m.group(1)}' scheme; the HTTP Task calls HTTPS endpoints only: use 'https://'",
                (0, m.end(1)),
            )
        )
    start = m.end() + 2
    end_match = _AUTHORITY_END.search(text, start)
    if end_match is None and not complete:
        authority_end, settled = len(text), False
    else:
        authority_end, settled = (end_match.start() if end_match else len(text)), True
    authority = text[start:authority_end]
    at = authority.rfind("@")
    if at >= 0:
        userinfo = authority[:at]
        facts.problems.append(
            UrlProblem(
                "userinfo",
                "ApiEndpoint carries credentials in the URL (the part before '@'); remove them and "
                "configure Basic authorization in the EventBridge connection instead",
                (start, start + at),
                userinfo or None,
            )
        )
    if not settled:
        return facts
    host_start = start + at + 1
    hostport = text[host_start:authority_end]
    host, port = hostport, None
    if not hostport.startswith("[") or "]:" in hostport:
        colon = hostport.rfind(":")
        if colon >= 0:
            host, port = hostport[:colon], hostport[colon + 1 :]
    if not host:
        facts.problems.append(
            UrlProblem("malformed", f"ApiEndpoint has no host name after '{m.group(1)}://'", (0, authority_end))
        )
        return facts
    if not _valid_host(host):
        facts.problems.append(
            UrlProblem(
                "malformed",
                f"ApiEndpoint host {host!r} is not a valid host name",
                (host_start, host_start + len(host)),
            )
        )
        return facts
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        facts.problems.append(
            UrlProblem(
                "malformed",
                f"ApiEndpoint port {port!r} is not a valid port number (1-65535)",
                (host_start + len(host) + 1, authority_end),
            )
        )
    facts.host = host.lower().rstrip(".")
    facts.host_span = (host_start, host_start + len(host))
    return facts


def host_allowed(host: str, patterns: tuple[str, ...]) -> bool:
    """`api.example.com` matches itself; `*.example.com` matches any name below example.com."""
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower().rstrip(".")
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False
