# ruff: noqa: E501  (a data table: one resource type per entry)
"""What ``Ref`` and ``Fn::GetAtt`` return for the resource types that matter to Step Functions roles.

Facts: ../shared/reference/iam-evaluation.md §10.2. Unknown generated names become ``${<Logical>.Name}``.
"""

from __future__ import annotations

# type -> (name property, what Ref returns, {attribute: what it returns}); values are format strings
# over {P} {R} {A} {S} (URL suffix), {name}, {L} (logical id).
TYPES: dict[str, tuple[str, str, dict[str, str]]] = {
    "AWS::Lambda::Function": ("FunctionName", "{name}", {"Arn": "arn:{P}:lambda:{R}:{A}:function:{name}"}),
    "AWS::Serverless::Function": ("FunctionName", "{name}", {"Arn": "arn:{P}:lambda:{R}:{A}:function:{name}"}),
    "AWS::SNS::Topic": ("TopicName", "arn:{P}:sns:{R}:{A}:{name}",
                        {"TopicArn": "arn:{P}:sns:{R}:{A}:{name}", "TopicName": "{name}"}),
    "AWS::SQS::Queue": ("QueueName", "https://sqs.{R}.{S}/{A}/{name}",
                        {"Arn": "arn:{P}:sqs:{R}:{A}:{name}", "QueueName": "{name}",
                         "QueueUrl": "https://sqs.{R}.{S}/{A}/{name}"}),
    "AWS::DynamoDB::Table": ("TableName", "{name}", {"Arn": "arn:{P}:dynamodb:{R}:{A}:table/{name}",
                                                    "StreamArn": "arn:{P}:dynamodb:{R}:{A}:table/{name}/stream/${{{L}.StreamLabel}}"}),
    "AWS::DynamoDB::GlobalTable": ("TableName", "{name}", {"Arn": "arn:{P}:dynamodb:{R}:{A}:table/{name}"}),
    # SAM turns it into an AWS::DynamoDB::Table of the same logical id, so !GetAtt T.Arn works.
    "AWS::Serverless::SimpleTable": ("TableName", "{name}", {"Arn": "arn:{P}:dynamodb:{R}:{A}:table/{name}",
                                                            "StreamArn": "arn:{P}:dynamodb:{R}:{A}:table/{name}/stream/${{{L}.StreamLabel}}"}),
    "AWS::StepFunctions::StateMachine": ("StateMachineName", "arn:{P}:states:{R}:{A}:stateMachine:{name}",
                                         {"Arn": "arn:{P}:states:{R}:{A}:stateMachine:{name}", "Name": "{name}"}),
    "AWS::Serverless::StateMachine": ("Name", "arn:{P}:states:{R}:{A}:stateMachine:{name}",
                                      {"Arn": "arn:{P}:states:{R}:{A}:stateMachine:{name}", "Name": "{name}"}),
    "AWS::StepFunctions::Activity": ("Name", "arn:{P}:states:{R}:{A}:activity:{name}",
                                     {"Arn": "arn:{P}:states:{R}:{A}:activity:{name}", "Name": "{name}"}),
    "AWS::Events::EventBus": ("Name", "{name}", {"Arn": "arn:{P}:events:{R}:{A}:event-bus/{name}", "Name": "{name}"}),
    "AWS::Events::Connection": ("Name", "{name}", {
        "Arn": "arn:{P}:events:{R}:{A}:connection/{name}/${{{L}.ConnectionId}}",
        "ArnForPolicy": "arn:{P}:events:{R}:{A}:connection/{name}/${{{L}.ConnectionId}}",
        "SecretArn": "arn:{P}:secretsmanager:{R}:{A}:secret:events!connection/{name}/${{{L}.SecretId}}"}),
    "AWS::Events::ApiDestination": ("Name", "{name}", {
        "Arn": "arn:{P}:events:{R}:{A}:api-destination/{name}/${{{L}.ApiDestinationId}}"}),
    "AWS::S3::Bucket": ("BucketName", "{name}", {"Arn": "arn:{P}:s3:::{name}"}),
    "AWS::IAM::Role": ("RoleName", "{name}", {"Arn": "arn:{P}:iam::{A}:role/{name}"}),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "arn:{P}:iam::{A}:policy/{name}",
                                {"PolicyArn": "arn:{P}:iam::{A}:policy/{name}"}),
    "AWS::ECS::Cluster": ("ClusterName", "{name}", {"Arn": "arn:{P}:ecs:{R}:{A}:cluster/{name}"}),
    "AWS::ECS::TaskDefinition": ("Family", "arn:{P}:ecs:{R}:{A}:task-definition/{name}:${{{L}.Revision}}",
                                 {"TaskDefinitionArn": "arn:{P}:ecs:{R}:{A}:task-definition/{name}:${{{L}.Revision}}"}),
    "AWS::Batch::JobQueue": ("JobQueueName", "arn:{P}:batch:{R}:{A}:job-queue/{name}",
                             {"JobQueueArn": "arn:{P}:batch:{R}:{A}:job-queue/{name}"}),
    "AWS::Glue::Job": ("Name", "{name}", {}),
    "AWS::CodeBuild::Project": ("Name", "{name}", {"Arn": "arn:{P}:codebuild:{R}:{A}:project/{name}"}),
    "AWS::SecretsManager::Secret": ("Name", "arn:{P}:secretsmanager:{R}:{A}:secret:{name}-${{{L}.Suffix}}",
                                    {"Id": "arn:{P}:secretsmanager:{R}:{A}:secret:{name}-${{{L}.Suffix}}"}),
    "AWS::Logs::LogGroup": ("LogGroupName", "{name}", {"Arn": "arn:{P}:logs:{R}:{A}:log-group:{name}:*"}),
    "AWS::Athena::WorkGroup": ("Name", "{name}", {}),
    "AWS::Kinesis::Stream": ("Name", "{name}", {"Arn": "arn:{P}:kinesis:{R}:{A}:stream/{name}"}),
}  # fmt: skip
