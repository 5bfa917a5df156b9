"""``arn:aws:states:::aws-sdk:<service>:<api>``: the IAM action(s) an SDK call is authorized as.

Rule (docs/sources.md#iam-for-the-other-integrations): prefix from the SDK-service map (else the service name), action =
the API with its first letter upper-cased, then the known exceptions of §6.2. Resources are derived
for the few services whose parameters say which resource is touched; otherwise unknown.
"""

from __future__ import annotations

from asl_lint.iam import arns
from asl_lint.iam.task import TaskContext

# SDK client name -> IAM prefix (the services not listed use their own name).
SERVICE_PREFIX = {
    "accessanalyzer": "access-analyzer", "acmpca": "acm-pca", "amp": "aps", "appconfigdata": "appconfig",
    "applicationautoscaling": "application-autoscaling", "applicationdiscovery": "discovery",
    "autoscalingplans": "autoscaling-plans", "bedrockagent": "bedrock", "bedrockagentruntime": "bedrock",
    "bedrockruntime": "bedrock", "bedrockdataautomation": "bedrock",
    "bedrockdataautomationruntime": "bedrock",
    "bedrockagentcore": "bedrock-agentcore", "bedrockagentcorecontrol": "bedrock-agentcore",
    "cloudwatchlogs": "logs", "cognitoidentity": "cognito-identity", "cognitoidentityprovider": "cognito-idp",
    "cognitosync": "cognito-sync", "computeoptimizer": "compute-optimizer", "costexplorer": "ce",
    "costandusagereport": "cur", "customerprofiles": "profile", "databasemigration": "dms", "directory": "ds",
    "docdb": "rds", "neptune": "rds", "dynamodbstreams": "dynamodb", "efs": "elasticfilesystem",
    "elasticloadbalancingv2": "elasticloadbalancing", "elasticsearch": "es", "opensearch": "es",
    "opensearchserverless": "aoss", "emr": "elasticmapreduce", "emrcontainers": "emr-containers",
    "emrserverless": "emr-serverless", "eventbridge": "events", "greengrassv2": "greengrass",
    "kinesisanalyticsv2": "kinesisanalytics", "lexmodelsv2": "lex", "lexruntimev2": "lex",
    "location": "geo", "mwaa": "airflow", "pinpoint": "mobiletargeting", "pinpointemail": "ses",
    "rdsdata": "rds-data", "redshiftdata": "redshift-data", "redshiftserverless": "redshift-serverless",
    "resourcegroups": "resource-groups", "s3control": "s3", "sagemakerruntime": "sagemaker",
    "sagemakerfeaturestoreruntime": "sagemaker", "sesv2": "ses", "sfn": "states", "ssoadmin": "sso",
    "ssmcontacts": "ssm-contacts", "ssmincidents": "ssm-incidents", "timestreamquery": "timestream",
    "timestreamwrite": "timestream", "wafregional": "waf-regional", "mediapackagevod": "mediapackage-vod",
    "iotdata": "iot", "iotdataplane": "iot", "serverlessapplicationrepository": "serverlessrepo",
}  # fmt: skip

# "<service>:<api>" (lower-case) -> IAM actions actually evaluated (§6.2).
EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "lambda:invoke": ("lambda:InvokeFunction",),
    "lambda:invokewithresponsestream": ("lambda:InvokeFunction",),
    "s3:listbuckets": ("s3:ListAllMyBuckets",),
    "s3:listobjectsv2": ("s3:ListBucket",),
    "s3:listobjects": ("s3:ListBucket",),
    "s3:listobjectversions": ("s3:ListBucketVersions",),
    "s3:listmultipartuploads": ("s3:ListBucketMultipartUploads",),
    "s3:listparts": ("s3:ListMultipartUploadParts",),
    "s3:headobject": ("s3:GetObject",),
    "s3:headbucket": ("s3:ListBucket",),
    "s3:copyobject": ("s3:GetObject", "s3:PutObject"),
    "s3:createmultipartupload": ("s3:PutObject",),
    "s3:uploadpart": ("s3:PutObject",),
    "s3:completemultipartupload": ("s3:PutObject",),
    "s3:deleteobjects": ("s3:DeleteObject",),
    "s3:selectobjectcontent": ("s3:GetObject",),
    "s3:getbucketlifecycleconfiguration": ("s3:GetLifecycleConfiguration",),
    "s3:putbucketlifecycleconfiguration": ("s3:PutLifecycleConfiguration",),
    "s3:deletebucketlifecycle": ("s3:PutLifecycleConfiguration",),
    "s3:getbucketencryption": ("s3:GetEncryptionConfiguration",),
    "s3:putbucketencryption": ("s3:PutEncryptionConfiguration",),
    "s3:deletebucketencryption": ("s3:PutEncryptionConfiguration",),
    "s3:deletebucketcors": ("s3:PutBucketCORS",),
    "s3:getbucketnotificationconfiguration": ("s3:GetBucketNotification",),
    "s3:putbucketnotificationconfiguration": ("s3:PutBucketNotification",),
    "s3:getpublicaccessblock": ("s3:GetBucketPublicAccessBlock",),
    "sqs:sendmessagebatch": ("sqs:SendMessage",),
    "sqs:deletemessagebatch": ("sqs:DeleteMessage",),
    "sqs:changemessagevisibilitybatch": ("sqs:ChangeMessageVisibility",),
    "sns:publishbatch": ("sns:Publish",),
    "dynamodb:transactgetitems": ("dynamodb:GetItem",),
    "bedrockruntime:converse": ("bedrock:InvokeModel",),
    "bedrockruntime:conversestream": ("bedrock:InvokeModelWithResponseStream",),
    "apigatewaymanagementapi:posttoconnection": ("execute-api:ManageConnections",),
}

_APIGW_VERBS = (
    ("get", "GET"),
    ("list", "GET"),
    ("create", "POST"),
    ("import", "PUT"),
    ("put", "PUT"),
    ("update", "PATCH"),
    ("delete", "DELETE"),
    ("flush", "DELETE"),
    ("tag", "PUT"),
    ("untag", "DELETE"),
)

_S3_OBJECT_APIS = {"getobject", "putobject", "deleteobject", "headobject", "copyobject", "getobjecttagging",
                   "putobjecttagging", "getobjectacl", "putobjectacl", "createmultipartupload", "uploadpart",
                   "completemultipartupload", "selectobjectcontent", "restoreobject",
                   "getobjectattributes"}  # fmt: skip
_S3_BUCKET_APIS = {"listobjectsv2", "listobjects", "listobjectversions", "headbucket", "listmultipartuploads"}
_DYNAMO_TABLE_APIS = {"query", "scan", "getitem", "putitem", "updateitem", "deleteitem", "describetable",
                      "updatetable", "deletetable"}  # fmt: skip


def iam_actions(service: str, api: str) -> tuple[str, ...]:
    """The IAM action(s) for one SDK call."""
    key = f"{service.lower()}:{api.lower()}"
    if key in EXCEPTIONS:
        return EXCEPTIONS[key]
    if service.lower() == "apigateway":
        # The management API authorizes HTTP verbs; the verb follows the operation's first word.
        verb = next((v for p, v in _APIGW_VERBS if api.lower().startswith(p)), "GET")
        return (f"apigateway:{verb}",)
    prefix = SERVICE_PREFIX.get(service.lower(), service.lower())
    return (f"{prefix}:{api[:1].upper()}{api[1:]}",)


def sdk_requirements(ctx: TaskContext, service: str, api: str) -> None:
    actions = iam_actions(service, api)
    svc, op = service.lower(), api.lower()
    resource: str | None = None
    field = "Resource"
    if svc == "s3" and op in _S3_OBJECT_APIS | _S3_BUCKET_APIS:
        bucket = ctx.value("Bucket")
        field = bucket.field
        if op in _S3_BUCKET_APIS:
            resource = arns.s3_bucket(ctx, bucket.text)
        else:
            key = ctx.value("Key")
            resource = arns.s3_object(ctx, bucket.text, key.text)
    elif svc == "dynamodb" and op in _DYNAMO_TABLE_APIS:
        table = ctx.value("TableName")
        field = table.field
        resource = arns.dynamodb_table(ctx, table.text)
        index = ctx.value("IndexName")
        if resource and index.present:
            resource = f"{resource}/index/{index.text}" if index.text is not None else None
    elif svc == "lambda" and op in ("invoke", "invokewithresponsestream", "getfunction"):
        fn = ctx.value("FunctionName")
        field = fn.field
        resource = arns.lambda_function(ctx, fn.text, ctx.value("Qualifier").text)
    elif svc == "sfn" and op in ("startexecution", "startsyncexecution"):
        sm = ctx.value("StateMachineArn")
        field = sm.field
        resource = arns.state_machine(ctx, sm.text)
    elif svc == "sqs" and op in ("sendmessage", "sendmessagebatch", "receivemessage", "deletemessage"):
        url = ctx.value("QueueUrl")
        field = url.field
        resource = arns.sqs_queue(ctx, url.text)
    elif svc == "sns" and op in ("publish", "publishbatch"):
        topic = ctx.value("TopicArn")
        field = topic.field
        resource = arns.named(ctx, "sns", "", topic.text) if topic.present else None
    for action in actions:
        if svc == "s3" and op == "copyobject" and action == "s3:GetObject":
            ctx.need(action, None, ctx.value("CopySource").field, "copyObject reads the source object")
            continue
        ctx.need(action, resource, field, f"aws-sdk:{service}:{api} is authorized as {action}")
