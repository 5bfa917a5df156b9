"""The HTTP Task (``arn:aws:states:::http:invoke``): the four permissions and their condition context.

Facts and sources: docs/sources.md#iam-for-the-http-task. The endpoint becomes the
``states:HTTPEndpoint`` value: literal, or a known prefix followed by ``${...}`` (from
``States.Format`` or a JSONata concatenation), or wholly unknown.
"""

from __future__ import annotations

import re

from asl_lint.iam import arns
from asl_lint.iam.task import TaskContext, Value, known

_FORMAT = re.compile(r"""^\s*States\.Format\(\s*'((?:[^'\\]|\\.)*)'""")
_JSONATA_PREFIX = re.compile(r"""^\s*\{%\s*(['"])((?:(?!\1).)*)\1\s*&""")


def endpoint_value(value: Value) -> str:
    """What ``states:HTTPEndpoint`` will be, with ``${...}`` for the unknown parts."""
    if value.text is not None:
        return value.text
    raw = value.raw if isinstance(value.raw, str) else ""
    m = _FORMAT.match(raw)
    if m:
        template = m.group(1).replace("\\'", "'")
        return template.replace("{}", "${argument}")
    m = _JSONATA_PREFIX.match(raw)
    if m:
        return m.group(2) + "${rest}"
    return "${" + value.field.rsplit("/", 1)[-1].removesuffix(".$") + "}"


def http_requirements(ctx: TaskContext) -> None:
    endpoint = ctx.value("ApiEndpoint")
    method = ctx.value("Method")
    context: dict[str, str | list[str]] = {
        "states:HTTPMethod": method.text if method.text is not None else "${Method}",
        "states:HTTPEndpoint": endpoint_value(endpoint),
    }
    ctx.need(
        "states:InvokeHTTPEndpoint",
        ctx.state_machine_arn,
        endpoint.field,
        "the HTTP Task calls the endpoint",
        kind="http-invoke",
        context=context,
    )
    conn = ctx.value("InvocationConfig", "ConnectionArn")
    if not conn.present:
        legacy = ctx.value("Authentication", "ConnectionArn")
        conn = legacy if legacy.present else conn
    conn_arn = known(conn.text)
    ctx.need(
        "events:RetrieveConnectionCredentials",
        conn_arn,
        conn.field,
        "the HTTP Task reads the connection's credentials",
        kind="connection",
    )
    secret = arns.connection_secret(ctx, conn_arn)
    for action in ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"):
        ctx.need(
            action,
            secret,
            conn.field,
            "the connection keeps its credentials in a secret",
            kind="connection-secret",
        )
