"""Turning parameter values (names, URLs, partial ARNs) into the resource ARNs IAM evaluates.

Facts and sources: docs/sources.md#resource-arns-from-parameter-values. Every function returns None when the value
cannot say which resource it is (then the requirement's resource is unknown).
"""

from __future__ import annotations

import re

from asl_lint.iam.task import TaskContext, split_arn
from asl_lint.iam.task import known as _known

# A generated name: what ``!Ref``/``!GetAtt`` of a template resource whose name the template does
# not set stands for (asl_lint/iam/cfn.py writes ``${<LogicalId>.Name}``). It is a name, never an
# ARN or a URL, so an ARN can be built around it ("function:${Fn.Name}") that compares with the ARN a
# policy names by ``!GetAtt Fn.Arn``.
_GENERATED_NAME = re.compile(r"\$\{[A-Za-z0-9]+\.Name\}")


def known(text: str | None) -> str | None:
    """A static value usable to build an ARN (a generated name included), None when wholly unknown."""
    if text is not None and _GENERATED_NAME.fullmatch(text.strip()):
        return text.strip()
    return _known(text)


def lambda_function(ctx: TaskContext, name: str | None, qualifier: str | None = None) -> str | None:
    """FunctionName in any accepted form (name, name:qual, acct:function:name, full ARN)."""
    name = known(name)
    if name is None:
        return None
    if name.startswith("arn:"):
        arn = name
    elif re.match(r"^[^:]+:function:", name):
        acct, rest = name.split(":", 1)
        arn = f"arn:{ctx.partition}:lambda:{ctx.region}:{acct}:{rest}"
    else:
        arn = ctx.arn("lambda", f"function:{name}")
    if qualifier and len(split_arn(arn)) == 7:
        arn = f"{arn}:{qualifier}"
    return arn


def sqs_queue(ctx: TaskContext, url: str | None) -> str | None:
    """QueueUrl -> queue ARN (also legacy hosts and a China partition suffix)."""
    url = known(url)
    if url is None:
        return None
    if url.startswith("arn:"):
        return url
    m = re.match(r"^https?://([^/]+)/([^/]+)/([^/?]+)/?$", url)
    if not m:
        return None
    host, account, name = m.groups()
    partition = "aws-cn" if host.endswith(".cn") else ctx.partition
    parts = host.split(".")
    if parts[0] == "sqs" and len(parts) > 2:
        region = parts[1]
    elif parts[0] == "queue":
        region = "us-east-1"
    elif len(parts) > 2 and parts[1] == "queue":
        region = parts[0]
    else:
        region = ctx.region
    return f"arn:{partition}:sqs:{region}:{account}:{name}"


def dynamodb_table(ctx: TaskContext, table: str | None) -> str | None:
    table = known(table)
    if table is None:
        return None
    return table if table.startswith("arn:") else ctx.arn("dynamodb", f"table/{table}")


def state_machine(ctx: TaskContext, arn: str | None) -> str | None:
    """Strip a version/alias qualifier: Step Functions authorizes against the plain ARN."""
    arn = known(arn)
    if arn is None or not arn.startswith("arn:"):
        return None
    parts = split_arn(arn)
    return ":".join(parts[:7]) if len(parts) > 7 else arn


def execution_of(ctx: TaskContext, sm_arn: str | None, placeholder: str = "${execution-name}") -> str | None:
    """An execution ARN of the given state machine, its execution name unknown."""
    if sm_arn is None or ":stateMachine:" not in sm_arn:
        return None
    head, name = sm_arn.split(":stateMachine:", 1)
    return f"{head}:execution:{split_arn(name)[0]}:{placeholder}"


def event_bus(ctx: TaskContext, bus: str | None) -> str | None:
    if bus is None:
        return ctx.arn("events", "event-bus/default")
    bus = known(bus)
    if bus is None:
        return None
    return bus if bus.startswith("arn:") else ctx.arn("events", f"event-bus/{bus}")


def s3_bucket(ctx: TaskContext, bucket: str | None) -> str | None:
    bucket = known(bucket)
    return None if bucket is None else f"arn:{ctx.partition}:s3:::{bucket}"


def s3_object(ctx: TaskContext, bucket: str | None, key: str | None) -> str | None:
    """Object ARN; an unknown key becomes a placeholder (the bucket still scopes the grant)."""
    bucket = known(bucket)
    if bucket is None:
        return None
    return f"arn:{ctx.partition}:s3:::{bucket}/{key if key is not None else '${object-key}'}"


def s3_uri(ctx: TaskContext, uri: str | None) -> str | None:
    """``s3://bucket/key`` -> object ARN."""
    uri = known(uri)
    if uri is None or not uri.startswith("s3://"):
        return None
    bucket, _, key = uri[5:].partition("/")
    return s3_object(ctx, bucket, key or "${object-key}")


# A connection's id and its secret's id are generated when the connection is created; layouts give
# them symbolic names (asl_lint/iam/cfn_types.py: ``${Conn.ConnectionId}`` / ``${Conn.SecretId}``,
# asl_lint/sources/terraform/resources.py: ``${aws_cloudwatch_event_connection.c.connection_id}`` /
# ``${….secret_id}``). The secret of a connection whose id is such a name gets its secret's name, so
# the secret the HTTP Task needs is spelled as a policy naming ``!GetAtt Conn.SecretArn`` /
# ``aws_cloudwatch_event_connection.c.secret_arn`` spells it: the same text, proven equal.
_SECRET_ID = {".ConnectionId": ".SecretId", ".connection_id": ".secret_id"}


def connection_secret(ctx: TaskContext, connection_arn: str | None) -> str:
    """The secret EventBridge keeps for a connection:
    ``arn:<partition>:secretsmanager:<region>:<account>:secret:events!connection/<name>/<id>``
    (docs/sources.md#iam-for-the-http-task). The region, account and name are the connection's;
    the id is the secret's own, unknown (``${connection-secret}``) unless the connection is a
    resource of the project (see ``_SECRET_ID``)."""
    parts = split_arn(connection_arn or "", 5)
    secret_id = "${connection-secret}"
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "events" and parts[5].startswith("connection/"):
        partition, region, account = parts[1], parts[3], parts[4]
        _, name, ident = [*parts[5].split("/", 2), "", ""][:3]
        name = name or "${connection-name}"
        generated = re.fullmatch(r"\$\{([^{}]+)\}", ident)
        for suffix, secret in _SECRET_ID.items():
            if generated is not None and generated.group(1).endswith(suffix):
                secret_id = "${" + generated.group(1)[: -len(suffix)] + secret + "}"
    else:
        partition, region, account, name = ctx.partition, ctx.region, ctx.account, "${connection-name}"
    return f"arn:{partition}:secretsmanager:{region}:{account}:secret:events!connection/{name}/{secret_id}"


def role(ctx: TaskContext, role: str | None) -> str | None:
    """A role ARN, or a role name (EMR passes names) made into an ARN."""
    role = known(role)
    if role is None:
        return None
    if role.startswith("arn:"):
        return role
    return f"arn:{ctx.partition}:iam::{ctx.account}:role/{role}"


def named(ctx: TaskContext, service: str, prefix: str, name: str | None, *, lower: bool = False) -> str | None:
    """``arn:{P}:<service>:{R}:{A}:<prefix><name>`` for a static name (an ARN is kept as is)."""
    name = known(name)
    if name is None:
        return None
    if name.startswith("arn:"):
        return name
    return ctx.arn(service, f"{prefix}{name.lower() if lower else name}")
