"""ASL601–ASL603: where a secret is, what the message says (masked), and what must stay silent."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asl_lint.config import Config, SecretsConfig
from tests.helpers import findings, lint, serious
from tests.http import secrets_data as s
from tests.http.fixtures import CONN, HTTP, RETRY, at, jsonata, jsonpath, request

HTTP_FIX = (
    "anyone who can read the definition or its execution history can use it; configure it in the EventBridge "
    "connection (its credentials live in Secrets Manager), remove it from the definition, and rotate it"
)
OTHER_FIX = (
    "it is stored in clear in the definition and every execution's history; keep it in Secrets Manager and "
    "pass the secret's ARN instead (the target, or an aws-sdk:secretsmanager:getSecretValue Task, reads it "
    "at run time), and rotate it"
)
MANUAL_FIX = "configure it in the EventBridge connection (API key, Basic or OAuth authorization) instead"


def machine(states: dict[str, Any], **top: Any) -> str:
    return json.dumps({**top, "StartAt": next(iter(states)), "States": states}, indent=2)


# --- ASL601 ---------------------------------------------------------------------------------------
def test_asl601_password_in_endpoint_url() -> None:
    text = jsonpath(request(ApiEndpoint=f"https://admin:{s.URL_PASSWORD}@api.example.com/orders"))
    assert findings(lint(text), "ASL601") == [
        (
            *at(text, s.URL_PASSWORD),
            f"Inline password in URL (****) in the ApiEndpoint of HTTP Task 'Call': {HTTP_FIX}",
        )
    ]


def test_asl601_header_query_and_body_jsonpath() -> None:
    payload = request(
        Method="POST",
        Headers={"x-api-key": s.API_KEY},
        QueryParameters={"key": s.GOOGLE},
        RequestBody={"card": {"processor": s.STRIPE}},
    )
    text = jsonpath(payload)
    assert findings(lint(text), "ASL601") == [
        (
            *at(text, s.API_KEY),
            f"Inline API key (q8****) in the header 'x-api-key' of HTTP Task 'Call': {HTTP_FIX}",
        ),
        (
            *at(text, s.GOOGLE),
            f"Inline Google API key (AIzaSy****) in the query parameter 'key' of HTTP Task 'Call': {HTTP_FIX}",
        ),
        (
            *at(text, s.STRIPE),
            f"Inline Stripe secret key (sk_live_4e****) in the RequestBody of HTTP Task 'Call': {HTTP_FIX}",
        ),
    ]


def test_asl601_jsonata_arguments_and_secret_inside_a_longer_string() -> None:
    text = jsonata(request(Method="POST", RequestBody={"text": f"deploy with token {s.GITHUB} please"}))
    assert findings(lint(text), "ASL601") == [
        (
            *at(text, s.GITHUB),
            f"Inline GitHub personal access token (ghp_R8****) in the RequestBody of HTTP Task 'Call': {HTTP_FIX}",
        ),
    ]


def test_asl601_slack_webhook_as_endpoint() -> None:
    text = jsonpath(request(ApiEndpoint=s.SLACK_WEBHOOK, Method="POST", RequestBody={"text": "done"}))
    assert [m for *_, m in findings(lint(text), "ASL601")] == [
        f"Inline Slack webhook URL (https://hooks.slack.com/se****) in the ApiEndpoint of HTTP Task 'Call': {HTTP_FIX}"
    ]


# --- ASL602 ---------------------------------------------------------------------------------------
def test_asl602_pass_result_comment_and_member_name() -> None:
    text = machine(
        {
            "Settings": {
                "Type": "Pass",
                "Comment": f"uses {s.SENDGRID}",
                "Result": {"password": s.LOGIN_WORD, "jwt": s.JWT, s.AWS_KEY_ID: "x"},
                "End": True,
            }
        }
    )
    diags = lint(text)
    assert findings(diags, "ASL602") == [
        (
            *at(text, s.SENDGRID),
            f"Inline SendGrid API key (SG.a1****) in Comment of state 'Settings': {OTHER_FIX}",
        ),
        (
            *at(text, s.LOGIN_WORD),
            f"Inline password (****) in Result.password of state 'Settings': {OTHER_FIX}",
        ),
        (
            *at(text, s.JWT),
            f"Inline JSON Web Token (eyJhb****) in Result.jwt of state 'Settings': {OTHER_FIX}",
        ),
        (
            *at(text, f'"{s.AWS_KEY_ID}"'),
            f"Inline AWS access key ID (AKIAQ3****) in a member name in Result of state 'Settings': {OTHER_FIX}",
        ),
    ]
    assert all(d.secrets for d in diags if d.code == "ASL602")


def test_asl602_lambda_parameters_and_http_result_selector() -> None:
    text = machine(
        {
            "Call": {
                "Type": "Task",
                "Resource": HTTP,
                "Parameters": request(),
                "ResultSelector": {"gh": s.GITHUB},
                "Retry": RETRY,
                "Next": "Notify",
            },
            "Notify": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "notify", "Payload": {"private_key": s.PEM}},
                "End": True,
            },
        }
    )
    got = findings(lint(text), "ASL602")
    assert [m for *_, m in got] == [
        f"Inline GitHub personal access token (ghp_R8****) in ResultSelector.gh of state 'Call': {OTHER_FIX}",
        "Inline private key block (-----BEGIN RSA "
        "PRIVATE KEY-----****) in Parameters.Payload.private_key of "
        f"state 'Notify': {OTHER_FIX}",
    ]
    assert got[0][:4] == at(text, s.GITHUB)


def test_asl602_jsonata_assign_and_ecs_environment() -> None:
    text = machine(
        {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::ecs:runTask",
                "Arguments": {
                    "Overrides": {
                        "ContainerOverrides": [
                            {"Name": "app", "Environment": [{"Name": "DB_PASSWORD", "Value": s.LOGIN_WORD}]}
                        ]
                    }
                },
                "Assign": {"stripeKey": s.STRIPE},
                "End": True,
            },
        },
        QueryLanguage="JSONata",
    )
    assert [(line, col, m) for line, col, _, _, m in findings(lint(text), "ASL602")] == [
        (
            *at(text, s.LOGIN_WORD)[:2],
            "Inline password (****) in Arguments.Overrides.ContainerOverrides.0."
            f"Environment.0.Value of state 'Run': {OTHER_FIX}",
        ),
        (
            *at(text, s.STRIPE)[:2],
            f"Inline Stripe secret key (sk_live_4e****) in Assign.stripeKey of state 'Run': {OTHER_FIX}",
        ),
    ]


SAM_WITH_SECRET = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Settings
        States:
          Settings:
            Type: Pass
            Result:
              dbPassword: {password}
            End: true
"""


def test_asl602_in_a_sam_template_suggests_a_dynamic_reference() -> None:
    text = SAM_WITH_SECRET.format(password=s.LOGIN_WORD)
    assert findings(lint(text, path="template.yaml"), "ASL602") == [
        (
            *at(text, s.LOGIN_WORD),
            f"Inline password (****) in Result.dbPassword of state 'Settings': {OTHER_FIX}; in "
            "this template a {{resolve:secretsmanager:…}} dynamic reference keeps it out of the "
            "source",
        ),
    ]
    text = SAM_WITH_SECRET.format(password="'{{resolve:secretsmanager:prod/db:SecretString:password}}'")
    assert [(d.code, d.message) for d in serious(lint(text, path="template.yaml"))] == []


def test_allow_list_from_config() -> None:
    text = machine({"Settings": {"Type": "Pass", "Result": {"password": s.LOGIN_WORD, "k": s.STRIPE}, "End": True}})
    config = Config(secrets=SecretsConfig(allow_values=(s.LOGIN_WORD,), allow_patterns=(r"^sk_live_4eC3",)))
    assert findings(lint(text, config=config), "ASL602") == []
    assert len(findings(lint(text), "ASL602")) == 2


# --- ASL603 ---------------------------------------------------------------------------------------
def test_asl603_dynamic_credentials_in_headers_and_query() -> None:
    text = jsonpath(
        request(
            Headers={"X-Api-Key.$": "$.apiKey", "Accept": "application/json"},
            QueryParameters={"access_token.$": "$.token", "NextToken.$": "$.next"},
        )
    )
    diags = lint(text)
    assert findings(diags, "ASL603") == [
        (
            *at(text, '"X-Api-Key.$"'),
            f"'X-Api-Key' passes an API key by hand (value computed at run time); {MANUAL_FIX}",
        ),
        (
            *at(text, '"access_token.$"'),
            f"'access_token' passes a token by hand (value computed at run time); {MANUAL_FIX}",
        ),
    ]
    assert [d.severity.value for d in diags if d.code == "ASL603"] == ["warning", "warning"]
    assert findings(diags, "ASL601") == []


def test_asl603_jsonata_bearer_expression_and_url_query() -> None:
    text = jsonata(
        request(
            ApiEndpoint="https://api.example.com/orders?api_key={{key}}&page=2",
            Headers={"X-Session": "{% 'Bearer ' & $states.input.token %}"},
        )
    )
    assert findings(lint(text), "ASL603") == [
        (
            *at(text, "api_key"),
            f"In the query string of ApiEndpoint, 'api_key' passes an API key by hand (literal value); {MANUAL_FIX}",
        ),
        (
            *at(text, '"X-Session"'),
            f"'X-Session' passes 'Bearer' credentials by hand (value computed at run time); {MANUAL_FIX}",
        ),
    ]


def test_asl603_leaves_authorization_to_asl304() -> None:
    text = jsonpath(request(Headers={"Authorization.$": "$.auth"}))
    diags = lint(text)
    assert [d.code for d in diags if d.code in ("ASL304", "ASL603")] == ["ASL304"]


# --- silent ---------------------------------------------------------------------------------------
NEGATIVES: list[tuple[str, str]] = [
    ("password.$", "$.password"),
    ("token.$", "$$.Task.Token"),
    ("ApiKey", "{% $states.input.apiKey %}"),
    ("Password", "${DbPassword}"),
    ("Secret", "{{resolve:secretsmanager:prod/db:SecretString:password}}"),
    ("SecretId", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
    ("ConnectionArn", CONN),
    ("ClientToken", "81210c42-8af1-456b-9c4a-6ff02fc664ac"),
    ("AccessKeyId", "AKIA" + "IOSFODNN7" + "EXAMPLE"),
    ("aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"),
    ("SecretName", "prod/orders/api-key"),
    ("PasswordParameter", "/prod/db/password"),
    ("NextToken", "eyJ2IjoxLCJvZmZzZXQiOjEwMH0"),
    ("Body", "s3://my-bucket/keys/report.csv"),
    ("ApiKeyName", "x-api-key"),
    ("Payload.$", "States.Base64Encode($.payload)"),
    ("TaskToken.$", "$$.Task.Token"),
    ("Endpoint", "https://api.example.com/v1/orders?page=1"),
]


def test_references_and_dummies_are_silent() -> None:
    parameters = {key: value for key, value in NEGATIVES}
    text = machine(
        {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                "Parameters": parameters,
                "End": True,
            }
        }
    )
    assert [d.code for d in lint(text) if d.code.startswith("ASL6")] == []


@pytest.mark.parametrize("doc", ["json", "jsonata"])
def test_http_task_with_connection_is_silent(doc: str) -> None:
    payload = request(
        Headers={"Accept": "application/json", "Idempotency-Key.$": "$.id"}
        if doc == "json"
        else {"Accept": "application/json"},
        QueryParameters={"page": "2"},
    )
    text = jsonpath(payload) if doc == "json" else jsonata(payload)
    assert [(d.code, d.message) for d in serious(lint(text))] == []


YAML_HTTP = """\
QueryLanguage: JSONata
StartAt: Call
States:
  Call:
    Type: Task
    Resource: arn:aws:states:::http:invoke
    Arguments:
      ApiEndpoint: https://api.example.com/orders
      Method: POST
      Headers:
        X-Api-Key: {api_key}
        X-Auth-Token: "{{% $states.input.token %}}"
      RequestBody:
        amount: 10
      InvocationConfig:
        ConnectionArn: {conn}
    End: true
"""


def test_yaml_plain_scalar_secret_and_manual_header() -> None:
    text = YAML_HTTP.format(api_key=s.API_KEY, conn=CONN)
    diags = lint(text, path="flow.asl.yaml")
    assert findings(diags, "ASL601") == [
        (*at(text, s.API_KEY), f"Inline API key (q8****) in the header 'X-Api-Key' of HTTP Task 'Call': {HTTP_FIX}")
    ]
    assert findings(diags, "ASL603") == [
        (*at(text, "X-Api-Key"), f"'X-Api-Key' passes an API key by hand (literal value); {MANUAL_FIX}"),
        (
            *at(text, "X-Auth-Token"),
            f"'X-Auth-Token' passes a token by hand (value computed at run time); {MANUAL_FIX}",
        ),
    ]


def test_sam_template_http_secret() -> None:
    text = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      Definition:\n"
        + "\n".join(
            "        " + line for line in YAML_HTTP.format(api_key=s.API_KEY, conn="!GetAtt Conn.Arn").splitlines()
        )
        + "\n"
    )
    diags = lint(text, path="template.yaml")
    assert [(line, col, m) for line, col, _, _, m in findings(diags, "ASL601")] == [
        (*at(text, s.API_KEY)[:2], f"Inline API key (q8****) in the header 'X-Api-Key' of HTTP Task 'Call': {HTTP_FIX}")
    ]
    assert [d.code for d in diags if d.code.startswith("ASL3")] == []


SAM_SUBSTITUTION = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        StripeKey: {key}
      Definition:
        StartAt: Call
        States:
          Call:
            Type: Pass
            Result:
              key: ${{StripeKey}}
            End: true
"""


def test_secret_from_definition_substitutions_points_at_the_template_value() -> None:
    text = SAM_SUBSTITUTION.format(key=s.STRIPE)
    assert findings(lint(text, path="template.yaml"), "ASL602") == [
        (
            *at(text, s.STRIPE),
            f"Inline Stripe secret key (sk_live_4e****) in Result.key of state 'Call': {OTHER_FIX}; in this template "
            "a {{resolve:secretsmanager:…}} dynamic reference keeps it out of the source (the value comes from "
            "DefinitionSubstitutions 'StripeKey': fix it there)",
        )
    ]


def test_asl603_query_parameters_given_as_text() -> None:
    text = jsonpath(request(QueryParameters="page=2&client_secret={{secret}}"))
    assert findings(lint(text), "ASL603") == [
        (
            *at(text, "client_secret"),
            f"In QueryParameters, 'client_secret' passes a secret by hand (literal value); {MANUAL_FIX}",
        ),
    ]


def test_asl603_pagination_tokens_are_not_credentials() -> None:
    params = {"pageToken.$": "$.next", "page_token": "CAoQAA", "NextToken.$": "$.token", "sort_key": "date"}
    assert findings(lint(jsonpath(request(QueryParameters=params))), "ASL603") == []


def test_timestamps_under_password_like_keys_are_not_secrets() -> None:
    text = machine(
        {
            "Audit": {
                "Type": "Pass",
                "Result": {"passwordLastUsed": "2024-01-01T00:00:00Z", "secretRotatedAt": "2024-01-01 10:00:00+02:00"},
                "End": True,
            }
        }
    )
    assert findings(lint(text), "ASL602") == []
