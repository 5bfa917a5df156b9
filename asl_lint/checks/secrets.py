"""ASL601–ASL603: inline secrets and hand-made authentication.

Every member name and string of the definition is scanned once (asl_lint.secrets); a secret inside an
HTTP Task's request data is ASL601, anywhere else ASL602. Messages show at most `mask(secret)` and every
finding carries the secret so the engine redacts it in all outputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from asl_lint.diagnostics import Finding
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check
from asl_lint.http import REQUEST_DATA_FIELDS, HttpTask, cached_http_tasks
from asl_lint.http.facts import AUTH_HEADERS
from asl_lint.source.pointer import escape

_CONNECTION_FIX = (
    "configure it in the EventBridge connection (its credentials live in Secrets Manager), remove it "
    "from the definition, and rotate it"
)
_SECRETS_FIX = (
    "keep it in Secrets Manager and pass the secret's ARN instead (the target, or an "
    "aws-sdk:secretsmanager:getSecretValue Task, reads it at run time), and rotate it"
)
_TEMPLATE_FIX = "; in this template a {{resolve:secretsmanager:…}} dynamic reference keeps it out of the source"


@dataclass(frozen=True)
class _Hit:
    """A secret written inline: where it is and the text to redact."""
    pointer: str
    in_key: bool
    start: int
    end: int
    secret: str
    kind: str
    http_where: str | None  # the HTTP request field it is in ('header 'x-api-key'', …), else None
    substitution: str | None = None  # the DefinitionSubstitutions entry the value came from


def _tasks(ctx: CheckContext) -> list[HttpTask]:
    return cached_http_tasks(ctx.memo, ctx.model)


def _http_fields(ctx: CheckContext) -> list[tuple[str, str]]:
    """(pointer prefix, field name) of every HTTP Task's request data field."""
    fields = []
    for task in _tasks(ctx):
        for name in REQUEST_DATA_FIELDS:
            value = task.get(name)
            if value is not None:
                fields.append((value.pointer, name))
    return fields


def _http_where(pointer: str, fields: list[tuple[str, str]]) -> str | None:
    for prefix, name in fields:
        if pointer == prefix:
            return name
        if pointer.startswith(prefix + "/"):
            member = pointer[len(prefix) + 1 :].split("/", 1)[0].replace("~1", "/").replace("~0", "~")
            member = member.removesuffix(".$")
            if name == "Headers":
                return f"header {member!r}"
            if name == "QueryParameters":
                return f"query parameter {member!r}"
            return name
    return None


def _hits(ctx: CheckContext) -> list[_Hit]:
    """Every secret in the definition, computed once for ASL601 and ASL602."""
    if "secrets.hits" in ctx.memo:
        cached: list[_Hit] = ctx.memo["secrets.hits"]
        return cached
    from asl_lint.secrets import AllowList, scan_tree

    config = ctx.config.secrets
    allow = AllowList.from_config(list(config.allow_values), list(config.allow_patterns))
    fields = _http_fields(ctx)
    hits = []
    for found in scan_tree(ctx.definition, allow=allow):
        pointer = "".join(f"/{escape(token)}" for token in found.path)
        holder = str(found.path[-1]) if found.in_key else _value_at(ctx, found.path)
        secret = holder[found.match.start : found.match.end]
        where = _http_where(pointer, fields)
        substitution = _substitution(ctx, secret)
        hits.append(
            _Hit(
                pointer, found.in_key, found.match.start, found.match.end, secret, found.match.kind, where, substitution
            )
        )
    ctx.memo["secrets.hits"] = hits
    return hits


def _substitution(ctx: CheckContext, secret: str) -> str | None:
    """The DefinitionSubstitutions name whose value put `secret` into the definition, if any."""
    for name, value in ctx.located.substitutions.items():
        if isinstance(value, str) and secret in value:
            return str(name)
    return None


def _value_at(ctx: CheckContext, path: tuple[str | int, ...]) -> str:
    node = ctx.definition
    for token in path:
        node = node[token]
    return node if isinstance(node, str) else ""


def _location(ctx: CheckContext, hit: _Hit) -> str:
    """'Result.dbPassword of state 'Settings'' (the member name itself when the secret is the name)."""
    state = ctx.model.state_for_pointer(hit.pointer)
    base = state.pointer if state is not None else ""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in hit.pointer[len(base) :].split("/")[1:]]
    if hit.in_key:
        tokens = tokens[:-1]
    path = ".".join(tokens)
    if state is not None:
        path = f"{path} of state {state.name!r}" if path else f"state {state.name!r}"
    path = path or "the definition"
    return f"a member name in {path}" if hit.in_key else path


def _masked(hit: _Hit) -> str:
    from asl_lint.secrets import mask

    return mask(hit.secret)


def _finding(ctx: CheckContext, hit: _Hit, message: str) -> Finding:
    if hit.substitution is not None:
        message += f" (the value comes from DefinitionSubstitutions {hit.substitution!r}: fix it there)"
        # Point at the literal in the template rather than at the ${...} it replaced, when it is unambiguous.
        if ctx.text.count(hit.secret) == 1:
            start = ctx.text.index(hit.secret)
            return Finding(hit.pointer, message, offsets=(start, start + len(hit.secret)), secrets=(hit.secret,))
    if not hit.in_key:
        return Finding(hit.pointer, message, span=(hit.start, hit.end), secrets=(hit.secret,))
    # The member name is the secret: report on its parent's pointer (pointers are not redacted) at the
    # exact place of the name in the file.
    parent = hit.pointer[: hit.pointer.rfind("/")]
    node = ctx.located.spans(hit.pointer)
    if node is not None and node.key is not None:
        offsets = (node.key.start, node.key.end)
        return Finding(parent, message, offsets=offsets, secrets=(hit.secret,))
    return Finding(parent, message, target="key", secrets=(hit.secret,))


@check("ASL601")
def http_inline_secret(ctx: CheckContext) -> Iterator[Finding]:
    for hit in _hits(ctx):
        if hit.http_where is None:
            continue
        state = ctx.model.state_for_pointer(hit.pointer)
        name = f" {state.name!r}" if state is not None else ""
        yield _finding(
            ctx,
            hit,
            f"Inline {hit.kind} ({_masked(hit)}) in the {hit.http_where} of HTTP Task{name}: anyone who can "
            f"read the definition or its execution history can use it; {_CONNECTION_FIX}",
        )


@check("ASL602")
def inline_secret(ctx: CheckContext) -> Iterator[Finding]:
    template = _TEMPLATE_FIX if ctx.located.kind in ("cfn", "sam") else ""
    for hit in _hits(ctx):
        if hit.http_where is not None:
            continue
        yield _finding(
            ctx,
            hit,
            f"Inline {hit.kind} ({_masked(hit)}) in {_location(ctx, hit)}: it is stored in clear in the "
            f"definition and every execution's history; {_SECRETS_FIX}{template}",
        )


@check("ASL603")
def manual_auth_header(ctx: CheckContext) -> Iterator[Finding]:
    from asl_lint.secrets import manual_auth

    for task in _tasks(ctx):
        for field in ("Headers", "QueryParameters"):
            for name, value in task.entries(field):
                if field == "Headers" and name.strip().lower() in AUTH_HEADERS:
                    continue  # AWS refuses these outright: ASL304 reports them
                key = f"{name}.$" if value.kind == "dynamic" and not task.jsonata else name
                reason = manual_auth(key, value.raw if isinstance(value.raw, str) else None)
                if reason is not None:
                    yield Finding(value.pointer, reason, target="key")
        yield from _query_string_auth(task, "ApiEndpoint", "the query string of ApiEndpoint")
        yield from _query_string_auth(task, "QueryParameters", "QueryParameters")


def _query_string_auth(task: HttpTask, field: str, label: str) -> Iterator[Finding]:
    """Credentials in a query string: the endpoint URL's (`…?api_key=…`) or QueryParameters given as text."""
    from asl_lint.secrets import manual_auth

    value = task.get(field)
    known = value.known_text() if value is not None else None
    if value is None or known is None:
        return
    text, offset, _ = known
    if field == "ApiEndpoint" and "?" not in text:
        return
    position = text.index("?") + 1 if field == "ApiEndpoint" else 0
    for pair in text[position:].split("&"):
        name, _, literal = pair.partition("=")
        reason = manual_auth(name, literal) if name.strip() else None
        if reason is not None:
            span = (offset + position, offset + position + len(name)) if offset is not None else None
            yield Finding(value.pointer, f"In {label}, {reason}", span=span)
        position += len(pair) + 1
