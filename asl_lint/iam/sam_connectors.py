"""SAM connectors whose source is a state machine, expanded into the policy SAM adds to its role.

A connector (``AWS::Serverless::Connector``, or embedded under a state machine's ``Connectors``)
names a destination and ``Permissions`` (``Read``/``Write``); SAM turns each pair into statements
from its connector profiles, with the destination's ARN (and, for a state machine, its name) in
place. The result here is a policy document with CloudFormation intrinsics, resolved like any
other policy of the template.

Facts and sources: docs/sources.md#sam-connectors (aws-sam-translator 1.115.0,
``connector_profiles/profiles.json`` and ``model/connector/connector.py``). A destination type or
permission without a profile here is reported as unresolved, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_ARN = "arn:${AWS::Partition}"
_RA = "${AWS::Region}:${AWS::AccountId}"
_SFN_RULE = f"{_ARN}:events:{_RA}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"

# SAM resource types stand for the CloudFormation resources SAM generates under the same logical id.
SAM_TO_CFN = {
    "AWS::Serverless::Function": "AWS::Lambda::Function",
    "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
}

# How SAM names a destination given by ``Id``: its ARN (``Ref`` where Ref returns the ARN, else
# ``GetAtt Arn``) and, where a profile needs it, its name.
_ARN_BY_REF = {"AWS::SNS::Topic", "AWS::StepFunctions::StateMachine"}
_NAME_ATTRIBUTE = {"AWS::StepFunctions::StateMachine": "Name"}

# Destination type -> permission -> [(actions, resources)]; resources are Fn::Sub strings over
# ``${DestinationArn}`` and ``${DestinationName}``.
Profile = dict[str, list[tuple[list[str], list[str]]]]
PROFILES: dict[str, Profile] = {
    "AWS::Lambda::Function": {
        "Write": [(["lambda:InvokeAsync", "lambda:InvokeFunction"], ["${DestinationArn}"])],
    },
    "AWS::SNS::Topic": {"Write": [(["sns:Publish"], ["${DestinationArn}"])]},
    "AWS::SQS::Queue": {"Write": [(["sqs:SendMessage"], ["${DestinationArn}"])]},
    "AWS::S3::Bucket": {
        "Read": [([f"s3:{a}" for a in (
            "GetObject", "GetObjectAcl", "GetObjectLegalHold", "GetObjectRetention", "GetObjectTorrent",
            "GetObjectVersion", "GetObjectVersionAcl", "GetObjectVersionForReplication", "GetObjectVersionTorrent",
            "ListBucket", "ListBucketMultipartUploads", "ListBucketVersions", "ListMultipartUploadParts")],
            ["${DestinationArn}", "${DestinationArn}/*"])],
        "Write": [([f"s3:{a}" for a in (
            "AbortMultipartUpload", "DeleteObject", "DeleteObjectVersion", "PutObject", "PutObjectLegalHold",
            "PutObjectRetention", "RestoreObject")],
            ["${DestinationArn}", "${DestinationArn}/*"])],
    },
    "AWS::DynamoDB::Table": {
        "Read": [([f"dynamodb:{a}" for a in (
            "GetItem", "Query", "Scan", "BatchGetItem", "ConditionCheckItem", "PartiQLSelect")],
            ["${DestinationArn}", "${DestinationArn}/index/*"])],
        "Write": [([f"dynamodb:{a}" for a in (
            "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "PartiQLDelete", "PartiQLInsert",
            "PartiQLUpdate")],
            ["${DestinationArn}", "${DestinationArn}/index/*"])],
    },
    "AWS::StepFunctions::StateMachine": {
        "Read": [
            (["states:DescribeExecution"], [f"{_ARN}:states:{_RA}:execution:${{DestinationName}}:*"]),
            (["events:DescribeRule"], [_SFN_RULE]),
        ],
        "Write": [
            (["states:StartExecution"], ["${DestinationArn}"]),
            (["states:StopExecution"], [f"{_ARN}:states:{_RA}:execution:${{DestinationName}}:*"]),
            (["events:PutTargets", "events:PutRule"], [_SFN_RULE]),
        ],
    },
    "AWS::Events::EventBus": {"Write": [(["events:PutEvents"], ["${DestinationArn}"])]},
}


def _destination(ref: Any, resources: Mapping[str, Any]) -> tuple[str, Any, Any] | str:
    """(CloudFormation type, ARN, name) of a connector's destination, or why it cannot be known."""
    if not isinstance(ref, Mapping):
        return "its Destination is not a resource reference"
    logical = ref.get("Id")
    if logical is not None:
        res = resources.get(logical) if isinstance(logical, str) else None
        if not isinstance(res, Mapping) or not isinstance(res.get("Type"), str):
            return f"its Destination {logical!r} is not a resource of the template"
        cfn_type = str(SAM_TO_CFN.get(res["Type"], res["Type"]))
        arn = {"Ref": logical} if cfn_type in _ARN_BY_REF else {"Fn::GetAtt": [logical, "Arn"]}
        attribute = _NAME_ATTRIBUTE.get(cfn_type)
        return cfn_type, arn, {"Fn::GetAtt": [logical, attribute]} if attribute else None
    given = ref.get("Type")
    if not isinstance(given, str):
        return "its Destination has neither Id nor Type"
    return SAM_TO_CFN.get(given, given), ref.get("Arn"), ref.get("Name")


def expand(props: Mapping[str, Any], resources: Mapping[str, Any]) -> dict[str, Any] | str:
    """The policy document a connector (its ``Properties``) adds to the state machine's role, or
    why it cannot be expanded statically."""
    destinations = props.get("Destination")
    if not isinstance(destinations, list):
        destinations = [destinations]
    permissions = props.get("Permissions")
    if not isinstance(permissions, list) or not permissions or not all(isinstance(p, str) for p in permissions):
        return "its Permissions are not a list of Read/Write"
    statements: list[dict[str, Any]] = []
    for ref in destinations:
        found = _destination(ref, resources)
        if isinstance(found, str):
            return found
        kind, arn, name = found
        profile = PROFILES.get(kind)
        if profile is None:
            return f"no profile for a state machine connecting to {kind}"
        for permission in permissions:
            rows = profile.get(permission)
            if rows is None:
                return f"{kind} takes no {permission!r} permission from a state machine"
            for actions, patterns in rows:
                if any("DestinationArn" in p for p in patterns) and arn is None:
                    return f"its {kind} Destination has no Arn"
                if any("DestinationName" in p for p in patterns) and name is None:
                    return f"its {kind} Destination has no Name"
                variables = {k: v for k, v in (("DestinationArn", arn), ("DestinationName", name)) if v is not None}
                statements.append({"Effect": "Allow", "Action": list(actions),
                                   "Resource": [{"Fn::Sub": [p, variables]} for p in patterns]})
    return {"Version": "2012-10-17", "Statement": statements}
