"""What each state needs from the execution role: ``task_requirements`` and ``machine_requirements``.

Resource forms: bare Lambda ARN, activity ARN (nothing needed), ``arn:<p>:states:::<svc>:<api>[suffix]``
(optimized integrations, see integrations.py), ``...:aws-sdk:<svc>:<api>`` (sdk.py), and the HTTP
Task. A Task with ``Credentials.RoleArn`` runs its call as that role: the execution role only needs
``sts:AssumeRole`` on it. Distributed Map states need permissions for their child executions and
their ItemReader / ResultWriter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from asl_lint.iam import arns
from asl_lint.iam.integrations import HANDLERS
from asl_lint.iam.sdk import iam_actions, sdk_requirements
from asl_lint.iam.task import Requirement, TaskContext, known

__all__ = ["Requirement", "machine_requirements", "task_requirements"]

_INTEGRATION = re.compile(r"^arn:([^:]*):states:[^:]*:[^:]*:(?!activity:|stateMachine:)(.+)$")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
# The DG also lists s3:ListMultipartUploadParts / s3:AbortMultipartUpload (multipart uploads of large
# results); working public samples omit them, so they are not required here.
_WRITER_ACTIONS = ("s3:PutObject", "s3:GetObject")
_SUFFIX = re.compile(r"^(.*?)(\.sync:2|\.sync|\.waitForTaskToken)?$")


def _context(
    state: Mapping[str, Any],
    state_name: str,
    query_language: str,
    partition: str,
    region: str | None,
    account: str | None,
    state_machine_arn: str | None,
) -> TaskContext:
    language = state.get("QueryLanguage", query_language)
    return TaskContext(
        state=state,
        state_name=state_name,
        jsonata=language == "JSONata",
        partition=partition,
        region=region or "${AWS::Region}",
        account=account or "${AWS::AccountId}",
        state_machine_arn=state_machine_arn,
    )


def task_requirements(
    state: Mapping[str, Any],
    *,
    state_name: str,
    query_language: str = "JSONPath",
    region: str | None = None,
    account: str | None = None,
    partition: str = "aws",
    state_machine_arn: str | None = None,
) -> list[Requirement]:
    """The permissions one state needs (Task and Distributed Map; other states need none)."""
    ctx = _context(state, state_name, query_language, partition, region, account, state_machine_arn)
    if state.get("Type") == "Task":
        _task(ctx)
    elif state.get("Type") == "Map":
        _distributed_map(ctx)
    seen: set[Any] = set()
    out = []
    for req in ctx.out:
        if req.key() not in seen:
            seen.add(req.key())
            out.append(req)
    return out


def _task(ctx: TaskContext) -> None:
    resource = ctx.state.get("Resource")
    if not isinstance(resource, str) or known(resource) is None:
        return  # wholly unknown Resource: which integration it is cannot be told
    creds = ctx.state.get("Credentials")
    if isinstance(creds, Mapping):
        role = ctx.value("RoleArn", base=creds, base_field="Credentials")
        ctx.need("sts:AssumeRole", arns.role(ctx, role.text), role.field, "the task runs as Credentials.RoleArn")
        return  # the integration's own permissions belong to the assumed role
    if re.match(r"^arn:[^:]*:lambda:", resource):
        ctx.need("lambda:InvokeFunction", resource, "Resource", "the Resource is a Lambda function")
        return
    # Placeholders may hold colons (${AWS::Region}): match on a colon-free stand-in.
    m = _INTEGRATION.match(_PLACEHOLDER.sub("${}", resource))
    if not m:
        return  # activities and anything unrecognised need nothing we can name
    if m.group(1) in ("aws", "aws-cn", "aws-us-gov") or m.group(1).startswith("aws-iso"):
        ctx.partition = m.group(1)
    integration, suffix = _SUFFIX.match(m.group(2)).groups()  # type: ignore[union-attr]
    ctx.suffix = suffix or ""
    if integration.startswith("aws-sdk:"):
        _, service, api = [*integration.split(":"), "", ""][:3]
        if service and api:
            sdk_requirements(ctx, service, api)
        return
    handler = HANDLERS.get(integration)
    if handler is not None:
        handler(ctx, integration)
        return
    service, _, api = integration.partition(":")
    if service and api:  # an optimized integration not in the table: the generic derivation
        for action in iam_actions(service, api):
            ctx.need(action, None, "Resource", f"{integration} (not in the integration table)")


def _distributed_map(ctx: TaskContext) -> None:
    processor = ctx.state.get("ItemProcessor")
    config = processor.get("ProcessorConfig") if isinstance(processor, Mapping) else None
    if not isinstance(config, Mapping) or config.get("Mode") != "DISTRIBUTED":
        return
    field = "ItemProcessor/ProcessorConfig/Mode"
    sm = ctx.state_machine_arn
    ctx.need("states:StartExecution", sm, field, "a Distributed Map starts child executions of this machine")
    ctx.need(
        "states:DescribeExecution",
        arns.execution_of(ctx, sm),
        field,
        "a Distributed Map tracks its child executions",
    )
    pf = ctx.params_field
    reader = ctx.state.get("ItemReader")
    if isinstance(reader, Mapping) and isinstance(reader.get("Resource"), str):
        params = reader.get(pf, {})
        bucket = ctx.value("Bucket", base=params, base_field=f"ItemReader/{pf}")
        if reader["Resource"].endswith("s3:listObjectsV2"):
            prefix = ctx.value("Prefix", base=params, base_field=f"ItemReader/{pf}")
            context: dict[str, str | list[str]] = {}
            if prefix.present:
                context["s3:prefix"] = prefix.text if prefix.text is not None else "${prefix}"
            ctx.need(
                "s3:ListBucket",
                arns.s3_bucket(ctx, bucket.text),
                bucket.field,
                "the ItemReader lists the bucket",
                context=context,
            )
        elif reader["Resource"].endswith("s3:getObject"):
            key = ctx.value("Key", base=params, base_field=f"ItemReader/{pf}")
            ctx.need(
                "s3:GetObject",
                arns.s3_object(ctx, bucket.text, key.text),
                bucket.field,
                "the ItemReader reads",
            )
    writer = ctx.state.get("ResultWriter")
    if isinstance(writer, Mapping) and isinstance(writer.get("Resource"), str):
        params = writer.get(pf, {})
        bucket = ctx.value("Bucket", base=params, base_field=f"ResultWriter/{pf}")
        prefix = ctx.value("Prefix", base=params, base_field=f"ResultWriter/{pf}")
        path = (prefix.text.rstrip("/") + "/" if prefix.text else "") + "${result-object}"
        obj = arns.s3_object(ctx, bucket.text, path if not prefix.dynamic else None)
        for action in _WRITER_ACTIONS:
            ctx.need(action, obj, bucket.field, "the ResultWriter writes the results")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def machine_requirements(
    definition: Mapping[str, Any],
    *,
    state_machine_arn: str | None = None,
    region: str | None = None,
    account: str | None = None,
    partition: str = "aws",
) -> list[tuple[str, str, Requirement]]:
    """(pointer, state name, requirement) for every state, nested branches and processors included."""
    language = definition.get("QueryLanguage", "JSONPath")
    out: list[tuple[str, str, Requirement]] = []

    def walk(scope: Mapping[str, Any], base: str) -> None:
        states = scope.get("States")
        if not isinstance(states, Mapping):
            return
        for name, state in states.items():
            if not isinstance(state, Mapping):
                continue
            pointer = f"{base}/States/{_escape(str(name))}"
            for req in task_requirements(
                state,
                state_name=str(name),
                query_language=str(language),
                region=region,
                account=account,
                partition=partition,
                state_machine_arn=state_machine_arn,
            ):
                out.append((pointer, str(name), req))
            for i, branch in enumerate(state.get("Branches") or []):
                if isinstance(branch, Mapping):
                    walk(branch, f"{pointer}/Branches/{i}")
            for key in ("ItemProcessor", "Iterator"):
                if isinstance(state.get(key), Mapping):
                    walk(state[key], f"{pointer}/{key}")

    walk(definition, "")
    return out
