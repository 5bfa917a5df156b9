"""Where policies come from: CLI outputs, CloudFormation and SAM templates, Terraform plans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from asl_lint.iam.check import coverage
from asl_lint.iam.evaluate import PolicySet, Request, evaluate
from asl_lint.iam.policy import PolicyParseError, parse_cli_output, parse_policy
from asl_lint.iam.requirements import machine_requirements
from asl_lint.iam.sources import (
    definition_for_state_machine,
    definition_from_terraform_plan,
    policies_for_state_machine,
    policies_from_files,
    policies_from_terraform_plan,
    state_machine_arn,
    template_resolver,
)

FIXTURES = Path(__file__).parent / "fixtures"
DOC = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}}


def decide(ps: PolicySet, action: str, resource: str | None) -> str:
    return evaluate(Request(action, resource), ps).outcome


# --- policy documents and AWS CLI outputs --------------------------------------------------------


def test_policy_document_forms() -> None:
    pol = parse_policy(json.dumps(DOC), "doc")
    assert len(pol.statements) == 1 and pol.statements[0].actions == ("sns:Publish",)
    encoded = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"
    assert parse_policy(encoded).statements[0].actions == ("s3:*",)
    with pytest.raises(PolicyParseError, match="exactly one of Action / NotAction"):
        parse_policy({"Statement": [{"Effect": "Allow", "Resource": "*"}]})
    with pytest.raises(PolicyParseError, match="Effect must be Allow or Deny"):
        parse_policy({"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]})


def test_cli_shapes(tmp_path: Path) -> None:
    inline = {"RoleName": "r", "PolicyName": "inline", "PolicyDocument": DOC}
    assert parse_cli_output(inline).identity[0].name == "inline"
    attached = {"AttachedPolicies": [{"PolicyName": "AWSLambdaRole",
                                      "PolicyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaRole"}]}  # fmt: skip
    assert parse_cli_output(attached).unresolved == [
        "managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaRole (document not available)"
    ]
    role = {
        "Role": {
            "RoleName": "r",
            "PermissionsBoundary": {"PermissionsBoundaryArn": "arn:aws:iam::1:policy/b"},
        }
    }
    got = parse_cli_output(role)
    assert got.boundaries == [] and got.unresolved == [
        "permissions boundary arn:aws:iam::1:policy/b (document not available)"
    ]
    details = {
        "RoleDetailList": [
            {
                "RoleName": "sfn",
                "Arn": "arn:aws:iam::1:role/sfn",
                "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": DOC}],
                "AttachedManagedPolicies": [
                    {"PolicyName": "mine", "PolicyArn": "arn:aws:iam::1:policy/mine"},
                    {"PolicyName": "theirs", "PolicyArn": "arn:aws:iam::aws:policy/Other"},
                ],
            }
        ],
        "Policies": [
            {
                "PolicyName": "mine",
                "Arn": "arn:aws:iam::1:policy/mine",
                "PolicyVersionList": [
                    {"VersionId": "v1", "IsDefaultVersion": False, "Document": DOC},
                    {"VersionId": "v2", "IsDefaultVersion": True, "Document": {"Statement": {
                        "Effect": "Deny", "Action": "sns:*", "Resource": "*"}}},
                ],
            }
        ],
    }  # fmt: skip
    path = tmp_path / "details.json"
    path.write_text(json.dumps(details))
    ps = policies_from_files([path])
    assert [p.name for p in ps.identity] == ["inline", "mine"]
    assert ps.unresolved == ["managed policy arn:aws:iam::aws:policy/Other (document not in the output)"]
    assert decide(ps, "sns:Publish", "arn:aws:sns:us-east-1:1:t") == "explicit_deny"  # the default version wins
    with pytest.raises(PolicyParseError):
        parse_cli_output({"Something": 1})


# --- intrinsics --------------------------------------------------------------------------------


def test_template_resolver() -> None:
    template = {
        "Parameters": {"Env": {"Type": "String", "Default": "prod"}, "Free": {"Type": "String"}},
        "Mappings": {"M": {"prod": {"bus": "main"}}},
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"FunctionName": {"Fn::Sub": "ship-${Env}"}},
            },
            "Gen": {"Type": "AWS::Lambda::Function", "Properties": {}},
            "Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}},
            "Conn": {"Type": "AWS::Events::Connection", "Properties": {"Name": "stripe"}},
        },
    }
    r = template_resolver(template, region="eu-west-1")
    assert r({"Fn::GetAtt": ["Fn", "Arn"]}) == "arn:aws:lambda:eu-west-1:${AWS::AccountId}:function:ship-prod"
    assert r({"Fn::GetAtt": "Gen.Arn"}) == "arn:aws:lambda:eu-west-1:${AWS::AccountId}:function:${Gen.Name}"
    assert r({"Ref": "Q"}) == "https://sqs.eu-west-1.amazonaws.com/${AWS::AccountId}/jobs"
    assert (
        r({"Fn::Sub": "${Q.Arn}/${Free}/${!Literal}"})
        == "arn:aws:sqs:eu-west-1:${AWS::AccountId}:jobs/${Free}/${Literal}"
    )
    assert r({"Fn::Sub": ["${a}-${AWS::Partition}", {"a": {"Ref": "Env"}}]}) == "prod-aws"
    assert r({"Fn::Join": ["/", ["a", {"Ref": "Env"}]]}) == "a/prod"
    assert r({"Fn::Select": [1, {"Fn::Split": [",", "x,y"]}]}) == "y"
    assert r({"Fn::FindInMap": ["M", {"Ref": "Env"}, "bus"]}) == "main"
    assert r({"Fn::ImportValue": "shared-arn"}) == "${ImportValue:shared-arn}"
    assert r([{"Ref": "AWS::NoValue"}, 1]) == [1]
    assert r({"Fn::GetAtt": ["Conn", "Arn"]}) == (
        "arn:aws:events:eu-west-1:${AWS::AccountId}:connection/stripe/${Conn.ConnectionId}"
    )


# --- CloudFormation roles --------------------------------------------------------------------------


def cfn(role_arn: Any, extra: dict[str, Any] | None = None, role_props: dict[str, Any] | None = None) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": "sfn-role",
            "Policies": [{"PolicyName": "inline", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": {"Fn::GetAtt": ["Fn", "Arn"]}}]}}],
            **(role_props or {})}},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "ship"}},
        "SM": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"RoleArn": role_arn, "Definition": {
            "StartAt": "Ship", "States": {"Ship": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                               "Parameters": {"FunctionName": {"Ref": "Fn"}}, "End": True}}}}},
        **(extra or {}),
    }  # fmt: skip
    return {"Resources": resources}


FN_ARN = "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:ship"


@pytest.mark.parametrize(
    "role_arn",
    [
        {"Fn::GetAtt": ["Role", "Arn"]},
        {"Fn::GetAtt": "Role.Arn"},
        {"Fn::Sub": "${Role.Arn}"},
        {"Ref": "Role"},
        "arn:aws:iam::123456789012:role/sfn-role",
    ],
)
def test_cfn_role_references(role_arn: Any) -> None:
    ps = policies_for_state_machine(cfn(role_arn), "SM")
    assert [p.name for p in ps.identity] == ["Role/inline"]
    assert decide(ps, "lambda:InvokeFunction", FN_ARN) == "allowed"


def test_cfn_imported_role_is_unresolved() -> None:
    template = cfn({"Fn::ImportValue": "shared-role"})
    ps = policies_for_state_machine(template, "SM")
    assert ps.identity == [] and ps.unresolved == ["role ${ImportValue:shared-role} (not in the template)"]
    param = cfn({"Ref": "RoleParam"})
    param["Parameters"] = {"RoleParam": {"Type": "String"}}
    assert policies_for_state_machine(param, "SM").unresolved == ["role ${RoleParam} (not in the template)"]
    with pytest.raises(KeyError):
        policies_for_state_machine(template, "Fn")


def test_cfn_attached_managed_and_boundary() -> None:
    deny_doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "lambda:*", "Resource": "*"}],
    }
    sns_doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}],
    }
    extra = {
        "Attached": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "x", "Roles": [{"Ref": "Role"}],
                                                                 "PolicyDocument": sns_doc}},
        "ByName": {"Type": "AWS::IAM::RolePolicy", "Properties": {"RoleName": "sfn-role", "PolicyName": "y",
                                                                   "PolicyDocument": sns_doc}},
        "Managed": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": deny_doc}},
        "Boundary": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": sns_doc}},
        "Other": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "z", "Roles": ["another-role"],
                                                              "PolicyDocument": deny_doc}},
    }  # fmt: skip
    role_props = {
        "ManagedPolicyArns": [{"Ref": "Managed"}, "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"],
        "PermissionsBoundary": {"Ref": "Boundary"},
    }
    ps = policies_for_state_machine(cfn({"Fn::GetAtt": ["Role", "Arn"]}, extra, role_props), "SM")
    assert [p.name for p in ps.identity] == ["Role/inline", "Managed", "Attached", "ByName"]
    assert [p.name for p in ps.boundaries or []] == ["Boundary"]
    assert ps.unresolved == [
        "managed policy arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess (document not in the template)"
    ]
    assert decide(ps, "lambda:InvokeFunction", FN_ARN) == "explicit_deny"
    assert decide(ps, "sns:Publish", "arn:aws:sns:us-east-1:1:t") == "allowed"
    # The boundary allows only SNS: anything else is at best unknown (an unresolved policy remains).
    unbounded = policies_for_state_machine(cfn({"Fn::GetAtt": ["Role", "Arn"]}, extra, {
        "PermissionsBoundary": "arn:aws:iam::1:policy/elsewhere"}), "SM")  # fmt: skip
    assert unbounded.boundaries == []
    assert decide(unbounded, "lambda:InvokeFunction", FN_ARN) == "unknown"


# --- SAM ---------------------------------------------------------------------------------------------


def sam(policies: Any, **props: Any) -> dict[str, Any]:
    return {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "orders"}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}},
            "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": "ship"}},
            "Child": {"Type": "AWS::Serverless::StateMachine", "Properties": {"Name": "child"}},
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "Orders"}},
            "SM": {"Type": "AWS::Serverless::StateMachine", "Properties": {"Policies": policies, **props}},
        },
    }


TOPIC = "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:orders"
QUEUE = "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs"
CHILD = "arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:child"


@pytest.mark.parametrize(
    ("template", "action", "resource", "expected"),
    [
        ({"LambdaInvokePolicy": {"FunctionName": {"Ref": "Fn"}}}, "lambda:InvokeFunction", FN_ARN, "allowed"),
        ({"LambdaInvokePolicy": {"FunctionName": {"Ref": "Fn"}}}, "lambda:InvokeFunction", FN_ARN + "-v2", "allowed"),
        ({"LambdaInvokePolicy": {"FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]}}}, "lambda:InvokeFunction", FN_ARN,
         "implicit_deny"),
        ({"SNSPublishMessagePolicy": {"TopicName": {"Fn::GetAtt": ["Topic", "TopicName"]}}}, "sns:Publish", TOPIC,
         "allowed"),
        ({"SNSPublishMessagePolicy": {"TopicName": {"Ref": "Topic"}}}, "sns:Publish", TOPIC, "implicit_deny"),
        ({"SQSSendMessagePolicy": {"QueueName": {"Fn::GetAtt": ["Queue", "QueueName"]}}}, "sqs:SendMessage", QUEUE,
         "allowed"),
        ({"SQSSendMessagePolicy": {"QueueName": {"Ref": "Queue"}}}, "sqs:SendMessage", QUEUE, "implicit_deny"),
        ({"StepFunctionsExecutionPolicy": {"StateMachineName": {"Fn::GetAtt": ["Child", "Name"]}}},
         "states:StartExecution", CHILD, "allowed"),
        ({"StepFunctionsExecutionPolicy": {"StateMachineName": {"Ref": "Child"}}}, "states:StartExecution", CHILD,
         "implicit_deny"),
        ({"DynamoDBCrudPolicy": {"TableName": {"Ref": "Table"}}}, "dynamodb:UpdateItem",
         "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Orders", "allowed"),
        ({"DynamoDBCrudPolicy": {"TableName": {"Fn::GetAtt": ["Table", "Arn"]}}}, "dynamodb:UpdateItem",
         "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Orders", "implicit_deny"),
        ({"S3ReadPolicy": {"BucketName": "in"}}, "s3:GetObject", "arn:aws:s3:::in/k", "allowed"),
        ({"S3ReadPolicy": {"BucketName": "in"}}, "s3:PutObject", "arn:aws:s3:::in/k", "implicit_deny"),
        ({"AthenaQueryPolicy": {"WorkGroupName": "wg"}}, "athena:StartQueryExecution",
         "arn:aws:athena:${AWS::Region}:${AWS::AccountId}:workgroup/wg", "allowed"),
        ({"AWSSecretsManagerRotationPolicy": {"FunctionName": "rotate"}}, "secretsmanager:GetSecretValue",
         "arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db-AbCdEf", "unknown"),
        ({"EventBridgePutEventsPolicy": {"EventBusName": "default"}}, "events:PutEvents",
         "arn:aws:events:${AWS::Region}:${AWS::AccountId}:event-bus/default", "allowed"),
    ],
)  # fmt: skip
def test_sam_policy_templates(template: dict[str, Any], action: str, resource: str, expected: str) -> None:
    ps = policies_for_state_machine(sam([template]), "SM")
    assert decide(ps, action, resource) == expected


def test_sam_name_vs_ref_pitfall_shows_in_the_arn() -> None:
    ps = policies_for_state_machine(sam([{"SNSPublishMessagePolicy": {"TopicName": {"Ref": "Topic"}}}]), "SM")
    assert ps.identity[0].statements[0].resources == (
        "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:arn:aws:sns:${AWS::Region}:${AWS::AccountId}:orders",
    )
    assert ps.identity[0].name == "SMRolePolicy0 (SNSPublishMessagePolicy)"


def test_sam_inline_managed_and_role() -> None:
    inline = {
        "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}}]
    }
    ps = policies_for_state_machine(
        sam(["AWSXrayWriteOnlyAccess", inline, {"KinesisCrudPolicy": {"StreamName": "s"}}]), "SM"
    )
    assert decide(ps, "sqs:SendMessage", QUEUE) == "allowed"
    assert ps.unresolved == [
        "managed policy arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess (document not in the template)",
        "SAM policy template KinesisCrudPolicy (not expanded statically)",
    ]
    # A single statement document (not a list) is accepted too.
    assert decide(policies_for_state_machine(sam(inline), "SM"), "sqs:SendMessage", QUEUE) == "allowed"
    with_role = sam([], Role="arn:aws:iam::1:role/elsewhere")
    assert policies_for_state_machine(with_role, "SM").unresolved == [
        "role arn:aws:iam::1:role/elsewhere (not in the template)"
    ]


# --- Terraform --------------------------------------------------------------------------------------


def test_terraform_plan_fixture() -> None:
    plan = json.loads((FIXTURES / "tf_plan.json").read_text())
    ps = policies_from_terraform_plan(plan)
    assert [p.name for p in ps.identity] == [
        "aws_iam_role.sfn/invoke",
        "aws_iam_role_policy.publish",
        "aws_iam_policy.deny_admin",
    ]
    assert ps.unresolved == [
        "managed policy arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess attached by aws_iam_role_policy_attachment.xray"
    ]
    definition = definition_from_terraform_plan(plan)
    assert definition is not None and definition["StartAt"] == "Ship"
    reqs = machine_requirements(definition)
    problems = coverage(reqs, ps)
    assert [p.code for p in problems] == ["ASL507"]  # both tasks covered; the AWS managed policy is opaque
    assert decide(ps, "iam:PassRole", "arn:aws:iam::1:role/x") == "explicit_deny"
    with pytest.raises(KeyError):
        policies_from_terraform_plan(plan, "aws_sfn_state_machine.missing")


def test_terraform_role_not_in_plan() -> None:
    plan = {"planned_values": {"root_module": {"resources": [
        {"address": "aws_sfn_state_machine.x", "type": "aws_sfn_state_machine",
         "values": {"role_arn": "arn:aws:iam::1:role/imported"}}]}}}  # fmt: skip
    assert policies_from_terraform_plan(plan).unresolved == [
        "role arn:aws:iam::1:role/imported of aws_sfn_state_machine.x (not in the plan)"
    ]


# --- end to end: a template whose HTTP Task takes its connection from DefinitionSubstitutions ----------


def load_http_template() -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / "http_template.yaml").read_text())


def test_connection_arn_from_getatt_via_definition_substitutions() -> None:
    template = load_http_template()
    definition = definition_for_state_machine(template, "Charge")
    assert definition is not None
    conn = definition["States"]["Charge"]["Parameters"]["InvocationConfig"]["ConnectionArn"]
    assert conn == "arn:aws:events:${AWS::Region}:${AWS::AccountId}:connection/stripe/${StripeConnection.ConnectionId}"
    arn = state_machine_arn(template, "Charge")
    reqs = machine_requirements(definition, state_machine_arn=arn)
    ps = policies_for_state_machine(template, "Charge")
    assert coverage(reqs, ps, strict=True) == []
    # Grant credentials on another connection instead: ASL503 names the task and the connection.
    creds = ps.identity[0].statements[1]
    template["Resources"]["Role"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][1]["Resource"] = (
        "arn:aws:events:*:*:connection/paypal/*"
    )
    problems = coverage(reqs, policies_for_state_machine(template, "Charge"))
    assert creds.sid == "Credentials"
    assert [(p.code, p.pointer) for p in problems] == [
        ("ASL503", "/States/Charge/Parameters/InvocationConfig/ConnectionArn")
    ]
    assert problems[0].message == (
        "Task 'Charge' needs events:RetrieveConnectionCredentials on "
        "arn:aws:events:${AWS::Region}:${AWS::AccountId}:connection/stripe/${StripeConnection.ConnectionId} "
        "(the HTTP Task reads the connection's credentials), but no statement of the role allows it; closest: "
        "statement 'Credentials' (Role/http #1) allows events:RetrieveConnectionCredentials but its Resource is "
        "arn:aws:events:*:*:connection/paypal/*"
    )
    assert problems[0].fix == {
        "Sid": "EventsRetrieveConnectionCredentials",
        "Effect": "Allow",
        "Action": "events:RetrieveConnectionCredentials",
        "Resource": "arn:aws:events:*:*:connection/stripe/*",
    }


def test_substitutions_resolved_for_the_rule_layer() -> None:
    from asl_lint.iam.sources import apply_substitutions, substitutions_for_state_machine

    subs = substitutions_for_state_machine(load_http_template(), "Charge")
    assert subs == {
        "ConnectionArn": "arn:aws:events:${AWS::Region}:${AWS::AccountId}:connection/stripe/${StripeConnection.ConnectionId}",
        "TopicArn": "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:payments",
    }
    assert apply_substitutions({"a": ["${TopicArn}", "${Unknown}"]}, subs) == {
        "a": ["arn:aws:sns:${AWS::Region}:${AWS::AccountId}:payments", "${Unknown}"]
    }


def test_conditional_statements_and_unknown_connectors_are_unresolved() -> None:
    template = sam([{"Statement": [{"Fn::If": ["IsProd", {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"},
                                                {"Ref": "AWS::NoValue"}]}]}], Connectors={"ToFn": {}})  # fmt: skip
    template["Resources"]["Stream"] = {"Type": "AWS::Kinesis::Stream", "Properties": {"Name": "s"}}
    template["Resources"]["Conn"] = {"Type": "AWS::Serverless::Connector", "Properties": {
        "Source": {"Id": "SM"}, "Destination": {"Id": "Stream"}, "Permissions": ["Write"]}}  # fmt: skip
    ps = policies_for_state_machine(template, "SM")
    assert ps.unresolved == [
        "policy SMRolePolicy0 has statements chosen at deploy time (Fn::If)",
        "SAM connector SM.ToFn (not expanded statically: it has no Properties)",
        "SAM connector Conn (not expanded statically: no profile for a state machine connecting to "
        "AWS::Kinesis::Stream)",
    ]
    assert decide(ps, "lambda:InvokeFunction", FN_ARN) == "unknown"


TABLE = "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Orders"


def test_embedded_connectors_beside_properties_are_expanded() -> None:
    """SAM's embedded connectors are a resource attribute next to Properties, not inside them;
    ``Read`` on a table grants its reads (and its indexes'), not its writes."""
    template = sam([])
    template["Resources"]["SM"]["Connectors"] = {"ReadTable": {"Properties": {"Destination": {"Id": "Table"},
                                                                            "Permissions": ["Read"]}}}
    ps = policies_for_state_machine(template, "SM")
    assert (ps.unresolved, [p.name for p in ps.identity]) == ([], ["connector SM.ReadTable"])
    assert decide(ps, "dynamodb:GetItem", TABLE) == "allowed"
    assert decide(ps, "dynamodb:Query", TABLE + "/index/byDate") == "allowed"
    assert decide(ps, "dynamodb:PutItem", TABLE) == "implicit_deny"


@pytest.mark.parametrize(
    ("destination", "permissions", "action", "resource", "expected"),
    [
        ({"Id": "Fn"}, ["Write"], "lambda:InvokeFunction", FN_ARN, "allowed"),
        ({"Id": "Fn"}, ["Write"], "lambda:InvokeFunction", FN_ARN + "-v2", "implicit_deny"),
        ({"Id": "Topic"}, ["Write"], "sns:Publish", TOPIC, "allowed"),
        ({"Id": "Queue"}, ["Write"], "sqs:SendMessage", QUEUE, "allowed"),
        ([{"Id": "Queue"}, {"Id": "Topic"}], ["Write"], "sns:Publish", TOPIC, "allowed"),
        ({"Id": "Child"}, ["Read", "Write"], "states:StartExecution", CHILD, "allowed"),
        ({"Id": "Child"}, ["Read", "Write"], "states:DescribeExecution",
         "arn:aws:states:${AWS::Region}:${AWS::AccountId}:execution:child:run-1", "allowed"),
        ({"Id": "Child"}, ["Read", "Write"], "events:PutRule",
         "arn:aws:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
         "allowed"),
        ({"Id": "Child"}, ["Read"], "states:StartExecution", CHILD, "implicit_deny"),
        ({"Type": "AWS::S3::Bucket", "Arn": "arn:aws:s3:::in"}, ["Write"], "s3:PutObject", "arn:aws:s3:::in/k",
         "allowed"),
        ({"Type": "AWS::S3::Bucket", "Arn": "arn:aws:s3:::in"}, ["Write"], "s3:GetObject", "arn:aws:s3:::in/k",
         "implicit_deny"),
    ],
)  # fmt: skip
def test_connectors_grant_what_sams_profiles_grant(destination: Any, permissions: list[str], action: str,
                                                   resource: str, expected: str) -> None:
    template = sam([])
    template["Resources"]["Conn"] = {"Type": "AWS::Serverless::Connector", "Properties": {
        "Source": {"Id": "SM"}, "Destination": destination, "Permissions": permissions}}  # fmt: skip
    ps = policies_for_state_machine(template, "SM")
    assert ps.unresolved == []
    assert decide(ps, action, resource) == expected


def test_connector_from_another_source_or_with_an_unknown_permission() -> None:
    template = sam([])
    template["Resources"]["Other"] = {"Type": "AWS::Serverless::Connector", "Properties": {
        "Source": {"Id": "Fn"}, "Destination": {"Id": "Queue"}, "Permissions": ["Write"]}}  # fmt: skip
    ps = policies_for_state_machine(template, "SM")
    assert (ps.unresolved, ps.identity) == ([], [])  # the function's connector is not the machine's
    assert decide(ps, "sqs:SendMessage", QUEUE) == "implicit_deny"
    template["Resources"]["Conn"] = {"Type": "AWS::Serverless::Connector", "Properties": {
        "Source": {"Id": "SM"}, "Destination": {"Id": "Queue"}, "Permissions": ["Read"]}}  # fmt: skip
    ps = policies_for_state_machine(template, "SM")
    assert ps.unresolved == ["SAM connector Conn (not expanded statically: AWS::SQS::Queue takes no 'Read' "
                             "permission from a state machine)"]
    assert decide(ps, "sqs:SendMessage", QUEUE) == "unknown"  # what SAM would grant is not known


@pytest.mark.parametrize("connector", [
    {"Type": "AWS::Serverless::Connector", "Properties": ["x"]},
    {"Type": "AWS::Serverless::Connector", "Properties": {"Source": "SM", "Destination": {"Id": "Fn"}}},
    "just-a-string",
])  # fmt: skip
def test_malformed_connectors_are_ignored_not_fatal(connector: Any) -> None:
    template = sam([])
    template["Resources"]["Conn"] = connector
    template["Resources"]["SM"]["Connectors"] = ["not", "a", "mapping"]
    ps = policies_for_state_machine(template, "SM")
    assert (ps.unresolved, ps.identity) == ([], [])


def test_simple_table_arn_is_known() -> None:
    from asl_lint.iam.cfn import template_resolver

    resolve = template_resolver({"Resources": {"T": {"Type": "AWS::Serverless::SimpleTable",
                                                     "Properties": {"TableName": "orders"}}}})
    assert resolve({"Fn::GetAtt": ["T", "Arn"]}) == "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders"


def test_policies_attached_to_the_role_sam_generates() -> None:
    template = sam([])
    template["Resources"]["Assume"] = {"Type": "AWS::IAM::Policy", "Properties": {
        "PolicyName": "assume", "Roles": [{"Ref": "SMRole"}], "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/Exec"}]}}}  # fmt: skip
    ps = policies_for_state_machine(template, "SM")
    assert [p.name for p in ps.identity] == ["Assume"]
    assert decide(ps, "sts:AssumeRole", "arn:aws:iam::111122223333:role/Exec") == "allowed"


def test_queue_url_from_ref_matches_the_queue_arn_policy() -> None:
    template = {"Resources": {
        "Q": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Q", "Arn"]}}]}}]}},
        "SM": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
            "DefinitionSubstitutions": {"QueueUrl": {"Ref": "Q"}},
            "DefinitionString": '{"StartAt": "Send", "States": {"Send": {"Type": "Task", '
                                '"Resource": "arn:aws:states:::sqs:sendMessage", '
                                '"Parameters": {"QueueUrl": "${QueueUrl}", "MessageBody.$": "$"}, "End": true}}}'}},
    }}  # fmt: skip
    definition = definition_for_state_machine(template, "SM")
    assert definition is not None
    reqs = machine_requirements(definition)
    assert reqs[0][2].resource == "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Q.Name}"
    assert coverage(reqs, policies_for_state_machine(template, "SM"), strict=True) == []
