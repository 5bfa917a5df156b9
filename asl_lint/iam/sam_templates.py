"""SAM policy templates, expanded the way SAM does: the parameter is substituted verbatim into an
``Fn::Sub`` ARN, which then resolves like any other intrinsic. So ``SNSPublishMessagePolicy:
{TopicName: !Ref Topic}`` yields an ARN with an ARN inside, which matches nothing - SAM's real
behaviour (``Ref`` of a topic is its ARN, the template wants its name).

Facts and sources: docs/sources.md#sam-policy-templates (aws-sam-translator 1.110.0 policy_templates.json).
Templates whose action list the reference abbreviates are not expanded (reported as unresolved).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_ARN = "arn:${AWS::Partition}"
_RA = "${AWS::Region}:${AWS::AccountId}"

# name -> list of (actions, resources, condition); resources/conditions are Fn::Sub strings over the
# template parameters (``${Param}``).
Rows = list[tuple[list[str], list[str], dict[str, Any] | None]]


def _svc(service: str, *names: str) -> list[str]:
    return [f"{service}:{n}" for n in names]


TEMPLATES: dict[str, Rows] = {
    # AthenaQueryPolicy: action lists as merged in aws/serverless-application-model PR #1137.
    "AthenaQueryPolicy": [
        (_svc("athena", "ListWorkGroups", "GetExecutionEngine", "GetExecutionEngines", "GetNamespace", "GetCatalogs",
              "GetNamespaces", "GetTables", "GetTable"), ["*"], None),
        (_svc("athena", "StartQueryExecution", "GetQueryResults", "DeleteNamedQuery", "GetNamedQuery",
              "ListQueryExecutions", "StopQueryExecution", "GetQueryResultsStream", "ListNamedQueries",
              "CreateNamedQuery", "GetQueryExecution", "BatchGetNamedQuery", "BatchGetQueryExecution", "GetWorkGroup"),
         [f"{_ARN}:athena:{_RA}:workgroup/${{WorkGroupName}}"], None),
    ],
    "AWSSecretsManagerRotationPolicy": [
        (_svc("secretsmanager", "DescribeSecret", "GetSecretValue", "PutSecretValue", "UpdateSecretVersionStage"),
         [f"{_ARN}:secretsmanager:{_RA}:secret:*"],
         {"StringEquals": {"secretsmanager:resource/AllowRotationLambdaArn":
                           f"{_ARN}:lambda:{_RA}:function:${{FunctionName}}"}}),
        (_svc("secretsmanager", "GetRandomPassword"), ["*"], None),
    ],
    "EFSWriteAccessPolicy": [
        (_svc("elasticfilesystem", "ClientMount", "ClientWrite"),
         [f"{_ARN}:elasticfilesystem:{_RA}:file-system/${{FileSystem}}"],
         {"StringEquals": {"elasticfilesystem:AccessPointArn":
                           f"{_ARN}:elasticfilesystem:{_RA}:access-point/${{AccessPoint}}"}}),
    ],
    "KMSEncryptPolicy_v2": [
        (_svc("kms", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
              "GenerateDataKeyPairWithoutPlaintext"), [f"{_ARN}:kms:{_RA}:key/${{KeyId}}"], None)
    ],
    "PinpointEndpointAccessPolicy": [
        (_svc("mobiletargeting", "GetEndpoint", "UpdateEndpoint", "UpdateEndpointsBatch"),
         [f"{_ARN}:mobiletargeting:{_RA}:apps/${{PinpointApplicationId}}/endpoints/*"], None)
    ],
    "PollyFullAccessPolicy": [
        (_svc("polly", "GetLexicon", "DeleteLexicon"), [f"{_ARN}:polly:{_RA}:lexicon/${{LexiconName}}"], None),
        (_svc("polly", "DescribeVoices", "ListLexicons", "PutLexicon", "SynthesizeSpeech"),
         [f"{_ARN}:polly:{_RA}:lexicon/*"], None),
    ],
    "RekognitionFacesManagementPolicy": [
        (_svc("rekognition", "IndexFaces", "DeleteFaces", "SearchFaces", "SearchFacesByImage", "ListFaces"),
         [f"{_ARN}:rekognition:{_RA}:collection/${{CollectionId}}"], None)
    ],
    "RekognitionNoDataAccessPolicy": [
        (_svc("rekognition", "CompareFaces", "DetectFaces", "DetectLabels", "DetectModerationLabels"),
         [f"{_ARN}:rekognition:{_RA}:collection/${{CollectionId}}"], None)
    ],
    "RekognitionReadPolicy": [
        (_svc("rekognition", "ListCollections", "ListFaces", "SearchFaces", "SearchFacesByImage"),
         [f"{_ARN}:rekognition:{_RA}:collection/${{CollectionId}}"], None)
    ],
    "RekognitionWriteOnlyAccessPolicy": [
        (_svc("rekognition", "CreateCollection", "IndexFaces"),
         [f"{_ARN}:rekognition:{_RA}:collection/${{CollectionId}}"], None)
    ],
    "Route53ChangeResourceRecordSetsPolicy": [
        (_svc("route53", "ChangeResourceRecordSets"), [f"{_ARN}:route53:::hostedzone/${{HostedZoneId}}"], None)
    ],
    "SESBulkTemplatedCrudPolicy": [
        (_svc("ses", "GetIdentityVerificationAttributes", "SendEmail", "SendRawEmail", "SendTemplatedEmail",
              "SendBulkTemplatedEmail", "VerifyEmailIdentity"), [f"{_ARN}:ses:{_RA}:identity/${{IdentityName}}"], None)
    ],
    "SESBulkTemplatedCrudPolicy_v2": [
        (_svc("ses", "SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail"),
         [f"{_ARN}:ses:{_RA}:identity/${{IdentityName}}", f"{_ARN}:ses:{_RA}:template/${{TemplateName}}"], None),
        (_svc("ses", "GetIdentityVerificationAttributes", "VerifyEmailIdentity"), ["*"], None),
    ],
    "SESCrudPolicy": [
        (_svc("ses", "GetIdentityVerificationAttributes", "SendEmail", "SendRawEmail", "VerifyEmailIdentity"),
         [f"{_ARN}:ses:{_RA}:identity/${{IdentityName}}"], None)
    ],
    "SESEmailTemplateCrudPolicy": [
        (_svc("ses", "CreateTemplate", "GetTemplate", "ListTemplates", "UpdateTemplate", "DeleteTemplate",
              "TestRenderTemplate"), ["*"], None)
    ],
    "SSMParameterWithSlashPrefixReadPolicy": [
        (_svc("ssm", "DescribeParameters"), ["*"], None),
        (_svc("ssm", "GetParameters", "GetParameter", "GetParametersByPath"),
         [f"{_ARN}:ssm:{_RA}:parameter${{ParameterName}}"], None),
    ],
    "SageMakerCreateEndpointConfigPolicy": [
        (_svc("sagemaker", "CreateEndpointConfig"),
         [f"{_ARN}:sagemaker:{_RA}:endpoint-config/${{EndpointConfigName}}"], None)
    ],
    "SageMakerCreateEndpointPolicy": [
        (_svc("sagemaker", "CreateEndpoint"), [f"{_ARN}:sagemaker:{_RA}:endpoint/${{EndpointName}}"], None)
    ],
    "ServerlessRepoReadWriteAccessPolicy": [
        (_svc("serverlessrepo", "CreateApplication", "CreateApplicationVersion", "UpdateApplication",
              "GetApplication", "ListApplications", "ListApplicationVersions", "ListApplicationDependencies"),
         [f"{_ARN}:serverlessrepo:{_RA}:applications/*"], None)
    ],
    "AMIDescribePolicy": [(_svc("ec2", "DescribeImages"), ["*"], None)],
    "AWSSecretsManagerGetSecretValuePolicy": [(_svc("secretsmanager", "GetSecretValue"), ["${SecretArn}"], None)],
    "AcmGetCertificatePolicy": [(_svc("acm", "GetCertificate"), ["${CertificateArn}"], None)],
    "CloudFormationDescribeStacksPolicy": [
        (_svc("cloudformation", "DescribeStacks"), [f"{_ARN}:cloudformation:{_RA}:stack/*"], None)
    ],
    "CloudWatchDashboardPolicy": [
        (_svc("cloudwatch", "GetDashboard", "ListDashboards", "PutDashboard", "ListMetrics"), ["*"], None)
    ],
    "CloudWatchDescribeAlarmHistoryPolicy": [(_svc("cloudwatch", "DescribeAlarmHistory"), ["*"], None)],
    "CloudWatchPutMetricPolicy": [(_svc("cloudwatch", "PutMetricData"), ["*"], None)],
    "CodePipelineLambdaExecutionPolicy": [
        (_svc("codepipeline", "PutJobSuccessResult", "PutJobFailureResult"), ["*"], None)
    ],
    "CodePipelineReadOnlyPolicy": [
        (_svc("codepipeline", "ListPipelineExecutions"), [f"{_ARN}:codepipeline:{_RA}:${{PipelineName}}"], None)
    ],
    "ComprehendBasicAccessPolicy": [
        (_svc("comprehend", "BatchDetectKeyPhrases", "DetectDominantLanguage", "DetectEntities",
              "BatchDetectEntities", "DetectKeyPhrases", "DetectSentiment", "BatchDetectDominantLanguage",
              "BatchDetectSentiment"), ["*"], None)
    ],
    "CostExplorerReadOnlyPolicy": [
        (_svc("ce", "GetCostAndUsage", "GetDimensionValues", "GetReservationCoverage",
              "GetReservationPurchaseRecommendation", "GetReservationUtilization", "GetTags"), ["*"], None)
    ],
    "DynamoDBBackupFullAccessPolicy": [
        (_svc("dynamodb", "CreateBackup", "DescribeContinuousBackups"),
         [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}"], None),
        (_svc("dynamodb", "DeleteBackup", "DescribeBackup", "ListBackups"),
         [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}/backup/*"], None),
    ],
    "DynamoDBCrudPolicy": [
        (_svc("dynamodb", "GetItem", "DeleteItem", "PutItem", "Scan", "Query", "UpdateItem", "BatchWriteItem",
              "BatchGetItem", "DescribeTable", "ConditionCheckItem"),
         [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}", f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}/index/*"],
         None)
    ],
    "DynamoDBReadPolicy": [
        (_svc("dynamodb", "GetItem", "Scan", "Query", "BatchGetItem", "DescribeTable"),
         [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}", f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}/index/*"],
         None)
    ],
    "DynamoDBReconfigurePolicy": [
        (_svc("dynamodb", "UpdateTable"), [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}"], None)
    ],
    "DynamoDBRestoreFromBackupPolicy": [
        (_svc("dynamodb", "RestoreTableFromBackup"), [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}/backup/*"], None),
        (_svc("dynamodb", "PutItem", "UpdateItem", "DeleteItem", "GetItem", "Query", "Scan", "BatchWriteItem"),
         [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}"], None),
    ],
    "DynamoDBStreamReadPolicy": [
        (_svc("dynamodb", "DescribeStream", "GetRecords", "GetShardIterator"),
         [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}/stream/${{StreamName}}"], None),
        (_svc("dynamodb", "ListStreams"), [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}/stream/*"], None),
    ],
    "DynamoDBWritePolicy": [
        (_svc("dynamodb", "PutItem", "UpdateItem", "BatchWriteItem"),
         [f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}", f"{_ARN}:dynamodb:{_RA}:table/${{TableName}}/index/*"],
         None)
    ],
    "EC2CopyImagePolicy": [(_svc("ec2", "CopyImage"), [f"{_ARN}:ec2:{_RA}:image/${{ImageId}}"], None)],
    "EC2DescribePolicy": [(_svc("ec2", "DescribeRegions", "DescribeInstances"), ["*"], None)],
    "EKSDescribePolicy": [(_svc("eks", "DescribeCluster", "ListClusters"), ["*"], None)],
    "EcsRunTaskPolicy": [(_svc("ecs", "RunTask"), [f"{_ARN}:ecs:{_RA}:task-definition/${{TaskDefinition}}"], None)],
    "ElasticMapReduceAddJobFlowStepsPolicy": [
        (_svc("elasticmapreduce", "AddJobFlowSteps"), [f"{_ARN}:elasticmapreduce:{_RA}:cluster/${{ClusterId}}"], None)
    ],
    "ElasticMapReduceCancelStepsPolicy": [
        (_svc("elasticmapreduce", "CancelSteps"), [f"{_ARN}:elasticmapreduce:{_RA}:cluster/${{ClusterId}}"], None)
    ],
    "ElasticMapReduceModifyInstanceFleetPolicy": [
        (_svc("elasticmapreduce", "ModifyInstanceFleet", "ListInstanceFleets"),
         [f"{_ARN}:elasticmapreduce:{_RA}:cluster/${{ClusterId}}"], None)
    ],
    "ElasticMapReduceModifyInstanceGroupsPolicy": [
        (_svc("elasticmapreduce", "ModifyInstanceGroups", "ListInstanceGroups"),
         [f"{_ARN}:elasticmapreduce:{_RA}:cluster/${{ClusterId}}"], None)
    ],
    "ElasticMapReduceSetTerminationProtectionPolicy": [
        (_svc("elasticmapreduce", "SetTerminationProtection"),
         [f"{_ARN}:elasticmapreduce:{_RA}:cluster/${{ClusterId}}"], None)
    ],
    "ElasticMapReduceTerminateJobFlowsPolicy": [
        (_svc("elasticmapreduce", "TerminateJobFlows"), [f"{_ARN}:elasticmapreduce:{_RA}:cluster/${{ClusterId}}"],
         None)
    ],
    "ElasticsearchHttpPostPolicy": [
        (_svc("es", "ESHttpPost", "ESHttpPut"), [f"{_ARN}:es:{_RA}:domain/${{DomainName}}/*"], None)
    ],
    "EventBridgePutEventsPolicy": [
        (_svc("events", "PutEvents"), [f"{_ARN}:events:{_RA}:event-bus/${{EventBusName}}"], None)
    ],
    "FilterLogEventsPolicy": [
        (_svc("logs", "FilterLogEvents"), [f"{_ARN}:logs:{_RA}:log-group:${{LogGroupName}}:log-stream:*"], None)
    ],
    "FirehoseCrudPolicy": [
        (_svc("firehose", "CreateDeliveryStream", "DeleteDeliveryStream", "DescribeDeliveryStream", "PutRecord",
              "PutRecordBatch", "UpdateDestination"),
         [f"{_ARN}:firehose:{_RA}:deliverystream/${{DeliveryStreamName}}"], None)
    ],
    "FirehoseWritePolicy": [
        (_svc("firehose", "PutRecord", "PutRecordBatch"),
         [f"{_ARN}:firehose:{_RA}:deliverystream/${{DeliveryStreamName}}"], None)
    ],
    "KMSDecryptPolicy": [(_svc("kms", "Decrypt"), [f"{_ARN}:kms:{_RA}:key/${{KeyId}}"], None)],
    "KMSEncryptPolicy": [(_svc("kms", "Encrypt"), [f"{_ARN}:kms:{_RA}:key/${{KeyId}}"], None)],
    "KinesisStreamReadPolicy": [
        (_svc("kinesis", "ListStreams", "DescribeLimits"), [f"{_ARN}:kinesis:{_RA}:stream/*"], None),
        (_svc("kinesis", "DescribeStream", "DescribeStreamSummary", "GetRecords", "GetShardIterator"),
         [f"{_ARN}:kinesis:{_RA}:stream/${{StreamName}}"], None),
    ],
    "LambdaInvokePolicy": [
        (_svc("lambda", "InvokeFunction"), [f"{_ARN}:lambda:{_RA}:function:${{FunctionName}}*"], None)
    ],
    "MobileAnalyticsWriteOnlyAccessPolicy": [(_svc("mobileanalytics", "PutEvents"), ["*"], None)],
    "OrganizationsListAccountsPolicy": [(_svc("organizations", "ListAccounts"), ["*"], None)],
    "RekognitionDetectOnlyPolicy": [
        (_svc("rekognition", "DetectFaces", "DetectLabels", "DetectModerationLabels", "DetectText"), ["*"], None)
    ],
    "RekognitionLabelsPolicy": [(_svc("rekognition", "DetectLabels", "DetectModerationLabels"), ["*"], None)],
    "RekognitionFacesPolicy": [(_svc("rekognition", "CompareFaces", "DetectFaces"), ["*"], None)],
    "S3CrudPolicy": [
        (_svc("s3", "GetObject", "ListBucket", "GetBucketLocation", "GetObjectVersion", "PutObject", "PutObjectAcl",
              "GetLifecycleConfiguration", "PutLifecycleConfiguration", "DeleteObject"),
         [f"{_ARN}:s3:::${{BucketName}}", f"{_ARN}:s3:::${{BucketName}}/*"], None)
    ],
    "S3ReadPolicy": [
        (_svc("s3", "GetObject", "ListBucket", "GetBucketLocation", "GetObjectVersion", "GetLifecycleConfiguration"),
         [f"{_ARN}:s3:::${{BucketName}}", f"{_ARN}:s3:::${{BucketName}}/*"], None)
    ],
    "S3WritePolicy": [
        (_svc("s3", "PutObject", "PutObjectAcl", "PutLifecycleConfiguration"),
         [f"{_ARN}:s3:::${{BucketName}}", f"{_ARN}:s3:::${{BucketName}}/*"], None)
    ],
    "SESSendBouncePolicy": [(_svc("ses", "SendBounce"), [f"{_ARN}:ses:{_RA}:identity/${{IdentityName}}"], None)],
    "SNSCrudPolicy": [
        (_svc("sns", "ListSubscriptionsByTopic", "CreateTopic", "SetTopicAttributes", "Subscribe", "Publish"),
         [f"{_ARN}:sns:{_RA}:${{TopicName}}*"], None)
    ],
    "SNSPublishMessagePolicy": [(_svc("sns", "Publish"), [f"{_ARN}:sns:{_RA}:${{TopicName}}"], None)],
    "SQSPollerPolicy": [
        (_svc("sqs", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "DeleteMessage", "DeleteMessageBatch",
              "GetQueueAttributes", "ReceiveMessage"), [f"{_ARN}:sqs:{_RA}:${{QueueName}}"], None)
    ],
    "SQSSendMessagePolicy": [(_svc("sqs", "SendMessage*"), [f"{_ARN}:sqs:{_RA}:${{QueueName}}"], None)],
    "SSMParameterReadPolicy": [
        (_svc("ssm", "DescribeParameters"), ["*"], None),
        (_svc("ssm", "GetParameters", "GetParameter", "GetParametersByPath"),
         [f"{_ARN}:ssm:{_RA}:parameter/${{ParameterName}}"], None),
    ],
    "StepFunctionsCallbackPolicy": [
        (_svc("states", "SendTaskFailure", "SendTaskHeartbeat", "SendTaskSuccess"),
         [f"{_ARN}:states:{_RA}:stateMachine:${{StateMachineName}}"], None)
    ],
    "StepFunctionsExecutionPolicy": [
        (_svc("states", "StartExecution"), [f"{_ARN}:states:{_RA}:stateMachine:${{StateMachineName}}"], None)
    ],
    "StepFunctionsExecutionPolicy_v2": [
        (_svc("states", "StartExecution", "StartSyncExecution"),
         [f"{_ARN}:states:{_RA}:stateMachine:${{StateMachineName}}"], None)
    ],
    "TextractDetectAnalyzePolicy": [
        (_svc("textract", "DetectDocumentText", "StartDocumentTextDetection", "StartDocumentAnalysis",
              "AnalyzeDocument"), ["*"], None)
    ],
    "TextractGetResultPolicy": [(_svc("textract", "GetDocumentTextDetection", "GetDocumentAnalysis"), ["*"], None)],
    "TextractPolicy": [(_svc("textract", "*"), ["*"], None)],
    "VPCAccessPolicy": [
        (_svc("ec2", "CreateNetworkInterface", "DeleteNetworkInterface", "DescribeNetworkInterfaces",
              "DetachNetworkInterface"), ["*"], None)
    ],
}  # fmt: skip

# Known to SAM, but the reference abbreviates their action lists: not expanded, never guessed.
NOT_EXPANDED = frozenset(
    {"CodeCommitCrudPolicy", "CodeCommitReadPolicy", "KinesisCrudPolicy", "S3FullAccessPolicy"}
)  # fmt: skip


def expand(name: str, parameters: Mapping[str, Any]) -> dict[str, Any] | None:
    """The policy document a template stands for, with ``Fn::Sub`` resources still to resolve.

    None when the template is unknown or not expanded here.
    """
    rows = TEMPLATES.get(name)
    if rows is None:
        return None
    params = dict(parameters) if isinstance(parameters, Mapping) else {}
    statements = []
    for actions, resources, condition in rows:
        st: dict[str, Any] = {
            "Effect": "Allow",
            "Action": list(actions),
            "Resource": [r if r == "*" else {"Fn::Sub": [r, params]} for r in resources],
        }
        if condition:
            st["Condition"] = {
                op: {key: {"Fn::Sub": [value, params]} for key, value in keys.items()} for op, keys in condition.items()
            }
        statements.append(st)
    return {"Version": "2012-10-17", "Statement": statements}
