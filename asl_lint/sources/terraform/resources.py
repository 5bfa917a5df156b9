# ruff: noqa: E501  (a data table: one resource type per entry)
"""What the attributes of AWS provider resources are, for the types Step Functions roles name.

Sources: the attribute references of each resource in the AWS provider documentation
(https://registry.terraform.io/providers/hashicorp/aws/latest/docs, "Attribute Reference") and the
ARN formats of the Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).

type -> (the argument that names the resource, {attribute: what it is}). Values are format strings
over {P} (partition), {R} (region), {A} (account), {name} and {addr} (the resource's address, for
parts the provider computes: ``${aws_ecs_task_definition.t.revision}``). The region and account
are not known statically: ``${AWS::Region}`` and ``${AWS::AccountId}``, the names the rest of
asl-lint's IAM code uses, so both sides of a comparison spell them the same.
"""

from __future__ import annotations

_EVENTS_CONNECTION = "arn:{P}:events:{R}:{A}:connection/{name}/${{{addr}.connection_id}}"

TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "aws_lambda_function": ("function_name", {
        "arn": "arn:{P}:lambda:{R}:{A}:function:{name}",
        "qualified_arn": "arn:{P}:lambda:{R}:{A}:function:{name}:${{{addr}.version}}",
        "invoke_arn": "arn:{P}:apigateway:{R}:lambda:path/2015-03-31/functions/arn:{P}:lambda:{R}:{A}:function:{name}/invocations",
        "id": "{name}", "function_name": "{name}"}),
    "aws_sns_topic": ("name", {"arn": "arn:{P}:sns:{R}:{A}:{name}", "id": "arn:{P}:sns:{R}:{A}:{name}", "name": "{name}"}),
    "aws_sqs_queue": ("name", {"arn": "arn:{P}:sqs:{R}:{A}:{name}", "url": "https://sqs.{R}.amazonaws.com/{A}/{name}",
                               "id": "https://sqs.{R}.amazonaws.com/{A}/{name}", "name": "{name}"}),
    "aws_dynamodb_table": ("name", {"arn": "arn:{P}:dynamodb:{R}:{A}:table/{name}", "id": "{name}", "name": "{name}",
                                    "stream_arn": "arn:{P}:dynamodb:{R}:{A}:table/{name}/stream/${{{addr}.stream_label}}"}),
    "aws_sfn_state_machine": ("name", {"arn": "arn:{P}:states:{R}:{A}:stateMachine:{name}",
                                       "id": "arn:{P}:states:{R}:{A}:stateMachine:{name}", "name": "{name}"}),
    "aws_sfn_activity": ("name", {"arn": "arn:{P}:states:{R}:{A}:activity:{name}",
                                  "id": "arn:{P}:states:{R}:{A}:activity:{name}", "name": "{name}"}),
    "aws_cloudwatch_event_bus": ("name", {"arn": "arn:{P}:events:{R}:{A}:event-bus/{name}", "id": "{name}", "name": "{name}"}),
    "aws_cloudwatch_event_rule": ("name", {"arn": "arn:{P}:events:{R}:{A}:rule/{name}", "name": "{name}"}),
    "aws_cloudwatch_event_connection": ("name", {
        "arn": _EVENTS_CONNECTION,
        "secret_arn": "arn:{P}:secretsmanager:{R}:{A}:secret:events!connection/{name}/${{{addr}.secret_id}}",
        "id": "{name}", "name": "{name}"}),
    "aws_cloudwatch_event_api_destination": ("name", {
        "arn": "arn:{P}:events:{R}:{A}:api-destination/{name}/${{{addr}.destination_id}}", "name": "{name}"}),
    "aws_s3_bucket": ("bucket", {"arn": "arn:{P}:s3:::{name}", "id": "{name}", "bucket": "{name}"}),
    "aws_iam_role": ("name", {"arn": "arn:{P}:iam::{A}:role/{name}", "id": "{name}", "name": "{name}"}),
    "aws_iam_policy": ("name", {"arn": "arn:{P}:iam::{A}:policy/{name}", "id": "arn:{P}:iam::{A}:policy/{name}"}),
    "aws_ecs_cluster": ("name", {"arn": "arn:{P}:ecs:{R}:{A}:cluster/{name}", "id": "arn:{P}:ecs:{R}:{A}:cluster/{name}", "name": "{name}"}),
    "aws_ecs_task_definition": ("family", {
        "arn": "arn:{P}:ecs:{R}:{A}:task-definition/{name}:${{{addr}.revision}}",
        "arn_without_revision": "arn:{P}:ecs:{R}:{A}:task-definition/{name}", "family": "{name}"}),
    "aws_batch_job_queue": ("name", {"arn": "arn:{P}:batch:{R}:{A}:job-queue/{name}", "id": "arn:{P}:batch:{R}:{A}:job-queue/{name}", "name": "{name}"}),
    "aws_batch_job_definition": ("name", {
        "arn": "arn:{P}:batch:{R}:{A}:job-definition/{name}:${{{addr}.revision}}",
        "id": "arn:{P}:batch:{R}:{A}:job-definition/{name}:${{{addr}.revision}}",
        "arn_prefix": "arn:{P}:batch:{R}:{A}:job-definition/{name}", "name": "{name}"}),
    "aws_glue_job": ("name", {"arn": "arn:{P}:glue:{R}:{A}:job/{name}", "id": "{name}", "name": "{name}"}),
    "aws_glue_crawler": ("name", {"arn": "arn:{P}:glue:{R}:{A}:crawler/{name}", "id": "{name}", "name": "{name}"}),
    "aws_glue_catalog_database": ("name", {"arn": "arn:{P}:glue:{R}:{A}:database/{name}", "name": "{name}"}),
    "aws_codebuild_project": ("name", {"arn": "arn:{P}:codebuild:{R}:{A}:project/{name}", "name": "{name}"}),
    "aws_secretsmanager_secret": ("name", {
        "arn": "arn:{P}:secretsmanager:{R}:{A}:secret:{name}-${{{addr}.suffix}}",
        "id": "arn:{P}:secretsmanager:{R}:{A}:secret:{name}-${{{addr}.suffix}}", "name": "{name}"}),
    "aws_cloudwatch_log_group": ("name", {"arn": "arn:{P}:logs:{R}:{A}:log-group:{name}", "id": "{name}", "name": "{name}"}),
    "aws_athena_workgroup": ("name", {"arn": "arn:{P}:athena:{R}:{A}:workgroup/{name}", "id": "{name}", "name": "{name}"}),
    "aws_kinesis_stream": ("name", {"arn": "arn:{P}:kinesis:{R}:{A}:stream/{name}", "id": "arn:{P}:kinesis:{R}:{A}:stream/{name}", "name": "{name}"}),
    "aws_kinesis_firehose_delivery_stream": ("name", {"arn": "arn:{P}:firehose:{R}:{A}:deliverystream/{name}", "name": "{name}"}),
    "aws_eks_cluster": ("name", {"arn": "arn:{P}:eks:{R}:{A}:cluster/{name}", "id": "{name}", "name": "{name}"}),
    "aws_emrserverless_application": ("name", {
        "arn": "arn:{P}:emr-serverless:{R}:{A}:/applications/${{{addr}.id}}"}),
    "aws_sagemaker_model": ("name", {"arn": "arn:{P}:sagemaker:{R}:{A}:model/{name}", "name": "{name}"}),
}  # fmt: skip

# Data sources that stand for the account and region the configuration is applied in.
PSEUDO: dict[tuple[str, str], str] = {
    ("aws_region", "name"): "AWS::Region",
    ("aws_region", "region"): "AWS::Region",
    ("aws_region", "id"): "AWS::Region",
    ("aws_caller_identity", "account_id"): "AWS::AccountId",
    ("aws_caller_identity", "id"): "AWS::AccountId",
}
# The partition is taken to be "aws", as in the ARN patterns above and in the CloudFormation reader.
KNOWN: dict[tuple[str, str], str] = {
    ("aws_partition", "partition"): "aws",
    ("aws_partition", "id"): "aws",
    ("aws_partition", "dns_suffix"): "amazonaws.com",
}


def attribute_pattern(rtype: str, attribute: str, name: str, address: str) -> str | None:
    """The attribute's value with ``${...}`` for what is computed at apply time; None: not listed."""
    entry = TYPES.get(rtype)
    if entry is None or attribute not in entry[1]:
        return None
    return entry[1][attribute].format(P="aws", R="${AWS::Region}", A="${AWS::AccountId}", name=name, addr=address)


def name_argument(rtype: str) -> str | None:
    entry = TYPES.get(rtype)
    return entry[0] if entry else None
