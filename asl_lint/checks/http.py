"""ASL301–ASL308: HTTP Task checks (facts and sources: docs/sources.md#http-task).

Static values are checked exactly; dynamic ones (`.$`, intrinsics, JSONata) only as far as their known
leading text goes; `${...}` placeholders are unknown and never the cause of a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from asl_lint.diagnostics import Edit, Finding, Fix, Severity
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check
from asl_lint.http import HttpTask, HttpValue, cached_http_tasks
from asl_lint.http.facts import (
    ARRAY_FORMATS,
    AUTH_HEADERS,
    BODY_ENCODINGS,
    BODYLESS_METHODS,
    CONNECTION_ARN,
    CONNECTION_ARN_SHAPE,
    FORM_CONTENT_TYPE,
    METHODS,
    forbidden_header,
)
from asl_lint.http.url import UrlFacts, analyse, host_allowed


def _tasks(ctx: CheckContext) -> list[HttpTask]:
    return cached_http_tasks(ctx.memo, ctx.model)


def _endpoint(task: HttpTask) -> tuple[HttpValue, UrlFacts, int | None] | None:
    """The endpoint's facts and the offset of its known text in the raw string (None: not verbatim)."""
    value = task.get("ApiEndpoint")
    known = value.known_text() if value is not None else None
    if value is None or known is None:
        return None
    text, offset, complete = known
    if not text:
        return None
    return value, analyse(text, complete), offset


def _shift(span: tuple[int, int] | None, offset: int | None) -> tuple[int, int] | None:
    if span is None or offset is None:
        return None
    return span[0] + offset, span[1] + offset


def _payload_label(task: HttpTask) -> str:
    return f"The HTTP Task's {task.payload_name}"


@check("ASL301")
def http_missing_field(ctx: CheckContext) -> Iterator[Finding]:
    for task in _tasks(ctx):
        if task.payload is None:
            yield Finding(
                task.state.pointer,
                f"HTTP Task {task.state.name!r} has no {task.payload_name}: it needs "
                "ApiEndpoint, Method and InvocationConfig.ConnectionArn",
                target="key",
            )
            continue
        if not task.payload_known:
            continue  # one expression or placeholder: its fields are known at run time only
        for name, what in (
            ("ApiEndpoint", "the HTTPS URL to call"),
            ("Method", "the HTTP method (GET, POST, …)"),
        ):
            if task.get(name) is None:
                yield Finding(task.pointer(name), f"{_payload_label(task)} have no {name}: add {what}", target="key")
        holders = [h for h in ("InvocationConfig", "Authentication") if task.get(h) is not None]
        if not holders:
            yield Finding(
                task.pointer("InvocationConfig"),
                f"{_payload_label(task)} have no connection: add "
                "InvocationConfig.ConnectionArn with the ARN of the EventBridge connection that "
                "authorizes the call",
                target="key",
            )
            continue
        for holder in holders:
            value = task.get(holder)
            if (
                value is not None
                and value.static
                and isinstance(value.raw, dict)
                and task.get(f"{holder}.ConnectionArn") is None
            ):
                yield Finding(
                    value.pointer,
                    f"{holder} has no ConnectionArn: add the ARN of the EventBridge connection",
                    target="key",
                )


@check("ASL302")
def http_invalid_method(ctx: CheckContext) -> Iterator[Finding]:
    allowed = ", ".join(METHODS)
    for task in _tasks(ctx):
        value = task.get("Method")
        if value is None:
            continue
        known = value.known_text()
        if known is None or not known[2]:
            if value.static and not isinstance(value.raw, str):
                yield Finding(value.pointer, f"Method must be a string, one of {allowed}")
            continue
        method = known[0]
        if method in METHODS:
            continue
        upper = method.strip().upper()
        if upper in METHODS and method.strip() != method:
            yield Finding(value.pointer, f"Method {method!r} has blanks around it; write {upper!r}")
        elif upper in METHODS:
            fix = Fix(f"Write {upper!r}", (Edit("replace", value.pointer, upper),)) if value.static else None
            yield Finding(value.pointer, f"Method {method!r} must be written in upper case: {upper!r}", fix=fix)
        else:
            yield Finding(value.pointer, f"Method {method!r} is not one the HTTP Task accepts; use one of {allowed}")


def _https_fix(value: HttpValue) -> Fix | None:
    """Replace http:// by https:// in a static URL, unless it holds a secret (redaction would garble the fix)."""
    from asl_lint.secrets import scan

    if value.text is None or scan(value.text):
        return None
    return Fix("Use https://", (Edit("replace", value.pointer, "https" + value.text[len("http") :]),))


@check("ASL303")
def http_insecure_endpoint(ctx: CheckContext) -> Iterator[Finding]:
    for task in _tasks(ctx):
        value = task.get("ApiEndpoint")
        if value is not None and value.static and not isinstance(value.raw, str):
            yield Finding(value.pointer, "ApiEndpoint must be a string: the HTTPS URL to call")
            continue
        found = _endpoint(task)
        if found is None:
            continue
        value, facts, offset = found
        for problem in facts.problems:
            fix = _https_fix(value) if problem.kind == "scheme" and facts.scheme == "http" else None
            secrets = (problem.secret,) if problem.secret else ()
            yield Finding(value.pointer, problem.message, span=_shift(problem.span, offset), fix=fix, secrets=secrets)


@check("ASL304")
def http_forbidden_header(ctx: CheckContext) -> Iterator[Finding]:
    for task in _tasks(ctx):
        for name, value in task.entries("Headers"):
            why = forbidden_header(name)
            if why is None:
                continue
            if name.strip().lower() in AUTH_HEADERS:
                detail = (
                    "authorization must come from the EventBridge connection (API key, Basic or OAuth), "
                    "so remove it here and configure it there"
                )
            elif why == "forbidden":
                detail = "remove it (Step Functions sets or controls this header itself)"
            else:
                detail = f"names starting with {why!r} are reserved; rename or remove it"
            fix = Fix(f"Remove header {name!r}", (Edit("remove", value.pointer),))
            yield Finding(
                value.pointer,
                f"Header {name!r} is one the HTTP Task refuses to send (the task fails with States.Runtime): {detail}",
                target="key",
                fix=fix,
            )


def _content_type(task: HttpTask) -> tuple[str, HttpValue] | bool | None:
    """The content-type header (name, value); None when absent; True when unknowable (dynamic Headers)."""
    headers = task.get("Headers")
    if headers is None:
        return None
    if not headers.static or not isinstance(headers.raw, dict):
        return True
    for name, value in task.entries("Headers"):
        if name.strip().lower() == "content-type":
            return name, value
    return None


_JSON_KIND = {str: "a string", list: "an array", bool: "a boolean", int: "a number", float: "a number"}


def _url_encoding_problems(task: HttpTask, encoding: HttpValue) -> Iterator[Finding]:
    """URL_ENCODED needs an object body and a form content-type header."""
    body = task.get("RequestBody")
    if body is not None and body.static and body.raw is not None and not isinstance(body.raw, dict):
        kind = _JSON_KIND.get(type(body.raw), "not an object")
        yield Finding(
            body.pointer,
            f"RequestBodyEncoding 'URL_ENCODED' form-encodes the members of an object, but RequestBody is "
            f"{kind}: give an object of form fields",
        )
    content = _content_type(task)
    if content is True:
        return
    if content is None:
        headers = task.get("Headers")
        yield Finding(
            headers.pointer if headers is not None else encoding.pointer,
            f"RequestBodyEncoding 'URL_ENCODED' needs the header 'content-type: {FORM_CONTENT_TYPE}', which "
            "Step Functions does not add: add it to Headers",
            target="key" if headers is not None else "value",
        )
        return
    assert isinstance(content, tuple)
    name, value = content
    known = value.known_text()
    if known is not None and known[2] and not known[0].strip().lower().startswith(FORM_CONTENT_TYPE):
        yield Finding(
            value.pointer,
            f"Header {name!r} is {known[0]!r}, but RequestBodyEncoding 'URL_ENCODED' sends a form body: "
            f"set it to {FORM_CONTENT_TYPE!r}",
        )


@check("ASL305")
def http_invalid_transform(ctx: CheckContext) -> Iterator[Finding]:
    for task in _tasks(ctx):
        encoding = task.get("Transform.RequestBodyEncoding")
        array_format = task.get("Transform.RequestEncodingOptions.ArrayFormat")
        enc = encoding.raw if encoding is not None and encoding.static else None
        if encoding is not None and encoding.static and enc not in BODY_ENCODINGS:
            yield Finding(encoding.pointer, f"RequestBodyEncoding {enc!r} is not valid; use 'NONE' or 'URL_ENCODED'")
            continue
        if array_format is not None and array_format.static:
            if array_format.raw not in ARRAY_FORMATS:
                yield Finding(
                    array_format.pointer,
                    f"ArrayFormat {array_format.raw!r} is not valid; use one of {', '.join(ARRAY_FORMATS)}",
                )
            elif encoding is None or enc == "NONE":
                yield Finding(
                    array_format.pointer,
                    "ArrayFormat has no effect unless Transform.RequestBodyEncoding is 'URL_ENCODED'",
                    severity=Severity.WARNING,
                )
        if encoding is not None and enc == "URL_ENCODED":
            yield from _url_encoding_problems(task, encoding)


@check("ASL306")
def http_invalid_connection_arn(ctx: CheckContext) -> Iterator[Finding]:
    for task in _tasks(ctx):
        for value in task.connections():
            known = value.known_text()
            if value.static and not isinstance(value.raw, str):
                yield Finding(value.pointer, f"ConnectionArn must be a string: {CONNECTION_ARN_SHAPE}")
                continue
            if known is None:
                continue
            text, offset, complete = known
            problem = _connection_problem(text, complete)
            if problem is not None:
                span = (offset, offset + len(text)) if offset is not None and not value.static else None
                yield Finding(value.pointer, problem, span=span)


def _connection_problem(text: str, complete: bool) -> str | None:
    """Why `text` (a ConnectionArn's start; all of it when `complete`) is no EventBridge connection ARN."""
    if complete and CONNECTION_ARN.match(text):
        return None
    parts = text.split(":")
    settled = parts if complete else parts[:-1]  # the last part may continue after the known text
    expected = f"it must be an EventBridge connection ARN ({CONNECTION_ARN_SHAPE})"
    if not settled:
        return None if "arn".startswith(text) else f"ConnectionArn {text!r}… is not an ARN; {expected}"
    if settled[0] != "arn":
        shown = f"{text!r}" if complete else f"{text!r}…"
        return f"ConnectionArn {shown} is not an ARN; {expected}"
    if len(settled) > 2 and settled[2] != "events":
        if settled[2] == "secretsmanager":
            return (
                "ConnectionArn is a Secrets Manager secret ARN; pass the ARN of the EventBridge connection "
                f"itself ({CONNECTION_ARN_SHAPE}), not of the secret that holds its credentials"
            )
        return f"ConnectionArn is an ARN of service {settled[2]!r}; {expected}"
    if len(settled) > 5 or (complete and len(parts) == 6):
        resource = ":".join(parts[5:])
        if (complete and not resource.startswith("connection/")) or (
            not complete and not (resource.startswith("connection/") or "connection/".startswith(resource))
        ):
            return f"ConnectionArn names resource {resource!r}, not a connection; {expected}"
    if complete:
        return f"ConnectionArn is not a well-formed EventBridge connection ARN ({CONNECTION_ARN_SHAPE}): " + (
            _malformed_part(parts)
        )
    return None


def _malformed_part(parts: list[str]) -> str:
    """What is wrong in an events ARN split on ':' (for the message)."""
    if len(parts) != 6:
        return f"it has {len(parts)} ':'-separated parts instead of 6"
    if not re.fullmatch(r"aws[a-z-]*", parts[1]):
        return f"{parts[1]!r} is not a partition"
    if not re.fullmatch(r"[a-z]{2,4}(?:-[a-z]+)+-\d", parts[3]):
        return f"{parts[3]!r} is not a region"
    if not re.fullmatch(r"\d{12}", parts[4]):
        return f"{parts[4]!r} is not a 12-digit account id"
    if parts[5].count("/") != 2:
        return "the resource must be connection/<name>/<id>, the id being the UUID EventBridge adds"
    return "the connection name or id has characters EventBridge does not use"


@check("ASL307")
def http_body_ignored(ctx: CheckContext) -> Iterator[Finding]:
    for task in _tasks(ctx):
        method, body = task.get("Method"), task.get("RequestBody")
        known = method.known_text() if method is not None else None
        name = known[0] if known is not None and known[2] else None
        if body is None or body.raw is None or name not in BODYLESS_METHODS:
            continue
        yield Finding(
            body.pointer,
            f"Method {name} has a RequestBody, which HTTP gives no meaning for {name}: servers and proxies "
            "ignore or reject it; send the data as QueryParameters, or use POST",
            target="key",
        )


@check("ASL308")
def http_endpoint_not_allowed(ctx: CheckContext) -> Iterator[Finding]:
    allowed = ctx.config.http.allowed_hosts
    if not allowed:
        return
    listed = ", ".join(allowed)
    for task in _tasks(ctx):
        found = _endpoint(task)
        if found is None:
            continue
        value, facts, offset = found
        if facts.host is None or host_allowed(facts.host, allowed):
            continue
        yield Finding(
            value.pointer,
            f"Endpoint host {facts.host!r} is not in the allowed hosts ({listed}) set by "
            "[tool.asl-lint.http] allowed-hosts: call an allowed host, or add this one to the list",
            span=_shift(facts.host_span, offset),
        )
