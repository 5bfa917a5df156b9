"""ASL3xx findings located in YAML definitions and in SAM/CloudFormation templates."""

from __future__ import annotations

import json

from tests.helpers import findings, lint, serious
from tests.http.fixtures import at

YAML_DEFINITION = """\
StartAt: Get
States:
  Get:
    Type: Task
    Resource: arn:aws:states:::http:invoke
    Parameters:
      ApiEndpoint: http://api.example.com/orders
      Method: get
      Headers:
        Host: api.example.com
      InvocationConfig:
        ConnectionArn: arn:aws:events:us-east-1:123456789012:connection/orders
    Next: Post
  Post:
    Type: Task
    QueryLanguage: JSONata
    Resource: arn:aws:states:::http:invoke
    Arguments:
      ApiEndpoint: "{% 'https://api.example.com/orders/' & $states.input.id %}"
      Method: GET
      RequestBody:
        note: hello
      Transform:
        RequestBodyEncoding: URL_ENCODED
    End: true
"""


def test_yaml_definition_positions() -> None:
    text = YAML_DEFINITION
    diags = lint(text, path="flow.asl.yaml")
    line, col, _, _ = at(text, "http://api")
    assert findings(diags, "ASL303") == [
        (
            line,
            col,
            line,
            col + 4,
            "ApiEndpoint uses the 'http' scheme; the HTTP Task calls HTTPS endpoints only: use 'https://'",
        )
    ]
    line, col, _, _ = at(text, "Method: get")
    assert findings(diags, "ASL302") == [
        (line, col + 8, line, col + 11, "Method 'get' must be written in upper case: 'GET'")
    ]
    assert findings(diags, "ASL304") == [
        (
            *at(text, "Host"),
            "Header 'Host' is one the HTTP Task refuses to send (the task fails with States.Runtime): "
            "remove it (Step Functions sets or controls this header itself)",
        )
    ]
    assert findings(diags, "ASL306") == [
        (
            *at(text, "arn:aws:events:us-east-1:123456789012:connection/orders"),
            "ConnectionArn is not a well-formed EventBridge connection ARN "
            "(arn:aws:events:<region>:<account>:connection/<name>/<id>): the resource must be "
            "connection/<name>/<id>, the id being the UUID EventBridge adds",
        )
    ]
    assert findings(diags, "ASL305") == [
        (
            *at(text, "URL_ENCODED"),
            "RequestBodyEncoding 'URL_ENCODED' needs the header 'content-type: "
            "application/x-www-form-urlencoded', which Step Functions does not add: add it to Headers",
        )
    ]
    assert [m for *_, m in findings(diags, "ASL307")] == [
        "Method GET has a RequestBody, which HTTP gives no meaning for GET: servers and proxies ignore or "
        "reject it; send the data as QueryParameters, or use POST"
    ]
    assert findings(diags, "ASL307")[0][:4] == at(text, "RequestBody")
    assert [m for *_, m in findings(diags, "ASL301")] == [
        "The HTTP Task's Arguments have no connection: add InvocationConfig.ConnectionArn with the ARN of "
        "the EventBridge connection that authorizes the call"
    ]


SAM_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersConnection:
    Type: AWS::Events::Connection
    Properties:
      AuthorizationType: API_KEY
      AuthParameters:
        ApiKeyAuthParameters:
          ApiKeyName: x-api-key
          ApiKeyValue: '{{resolve:secretsmanager:orders-api:SecretString:key}}'
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
        - Statement:
            - Effect: Allow
              Action: states:InvokeHTTPEndpoint
              Resource: "*"
              Condition:
                StringEquals: {states:HTTPMethod: PATCH}
                StringLike: {states:HTTPEndpoint: !Sub "https://${ApiHost}/*"}
            - Effect: Allow
              Action: events:RetrieveConnectionCredentials
              Resource: !GetAtt OrdersConnection.Arn
            - Effect: Allow
              Action: [secretsmanager:GetSecretValue, secretsmanager:DescribeSecret]
              Resource: !Sub arn:${AWS::Partition}:secretsmanager:*:*:secret:events!connection/*
      Definition:
        StartAt: Call
        States:
          Call:
            Type: Task
            Resource: !Sub arn:${AWS::Partition}:states:::http:invoke
            Parameters:
              ApiEndpoint: !Sub https://${ApiHost}/orders
              Method: PATCH
              Headers:
                X-Amz-Date: "20240101T000000Z"
              Authentication:
                ConnectionArn: !GetAtt OrdersConnection.Arn
            Retry:
              - ErrorEquals: [States.Http.StatusCode.429, States.Http.StatusCode.502,
                              States.Http.StatusCode.503, States.Http.StatusCode.504]
                IntervalSeconds: 1
                MaxAttempts: 3
                BackoffRate: 2
                JitterStrategy: FULL
            End: true
Parameters:
  ApiHost:
    Type: String
"""


def test_sam_template_positions_and_unknown_values() -> None:
    text = SAM_TEMPLATE
    diags = lint(text, path="template.yaml")
    # !GetAtt and ${ApiHost} are unknown: never a finding of their own.
    assert [d.code for d in diags if d.code.startswith("ASL3")] == ["ASL304"]
    assert findings(diags, "ASL304") == [
        (
            *at(text, "X-Amz-Date"),
            "Header 'X-Amz-Date' is one the HTTP Task refuses to send (the task fails with "
            "States.Runtime): names starting with 'x-amz-' are reserved; rename or remove it",
        )
    ]
    assert diags[0].pointer.startswith("/Resources/Machine/Properties/Definition/States/Call")


def test_sam_template_silent_when_valid() -> None:
    text = SAM_TEMPLATE.replace('              Headers:\n                X-Amz-Date: "20240101T000000Z"\n', "")
    diags = lint(text, path="template.yaml")
    assert [(d.code, d.message) for d in serious(diags)] == []


_EMBEDDED = {
    "StartAt": "Call",
    "States": {
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {
                "ApiEndpoint": "https://api.example.com/x",
                "Method": "FETCH",
                "InvocationConfig": {"ConnectionArn": "${Conn}"},
            },
            "End": True,
        }
    },
}
CFN_DEFINITION_STRING = json.dumps(
    {
        "Resources": {
            "Machine": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"DefinitionString": {"Fn::Sub": json.dumps(_EMBEDDED)}},
            }
        }
    },
    indent=2,
)


def test_cloudformation_definition_string() -> None:
    text = CFN_DEFINITION_STRING
    diags = lint(text, path="template.json")
    assert findings(diags, "ASL302") == [
        (
            *at(text, '\\"FETCH\\"'),
            "Method 'FETCH' is not one the HTTP Task accepts; use one of GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD",
        )
    ]
