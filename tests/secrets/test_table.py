"""Table-driven detection tests: every provider format is found with its exact span, and realistic
Step Functions values (paths, ARNs, placeholders, UUIDs, base64 payloads, AWS example keys) are not."""

from __future__ import annotations

import base64
import json
from typing import NamedTuple

import pytest

from asl_lint.secrets import scan
from asl_lint.secrets.table import table
from tests.secrets.fakes import (
    ALNUM,
    B64,
    BASE32,
    HEX,
    URLSAFE,
    basic,
    github,
    join,
    jwt,
    pem,
    rand,
)


class Positive(NamedTuple):
    id: str
    value: str
    key: str | None
    kind: str
    rule: str
    secret: str  # the exact substring that must be reported


def _tp(id: str, key: str | None, kind: str, rule: str, secret: str, template: str = "{}") -> Positive:
    return Positive(id, template.format(secret), key, kind, rule, secret)


AWS_ID = join("AK", "IA", rand(BASE32, 16, 1))
AWS_STS = join("AS", "IA", rand(BASE32, 16, 2))
AWS_SECRET = rand(B64, 40, 3)
STRIPE = join("sk", "_live_", rand(ALNUM, 24, 4))
GH_PAT = github("p", 5)
JWT = jwt(6)
SLACK_BOT = join(
    "xo", "xb-", rand("0123456789", 12, 7), "-", rand("0123456789", 13, 8), "-", rand(ALNUM, 24, 9)
)
GOOGLE = join("AI", "za", rand(URLSAFE, 35, 10))
PEM_RSA = pem("RSA", 11)

PUTTY = "\n".join(
    [
        join("PuTTY-User-", "Key-File-2: ssh-rsa"),
        "Encryption: none",
        "Comment: deploy-key",
        "Public-Lines: 2",
        rand(B64, 64, 120),
        rand(B64, 40, 121),
        "Private-Lines: 2",
        rand(B64, 64, 122),
        rand(B64, 40, 123) + "\n",
    ]
)

POSITIVES: list[Positive] = [
    _tp("putty-key", "KeyMaterial", "private key block", "putty-private-key", PUTTY, "{}Private-MAC: 0af3"),
    _tp(
        "bedrock-short-term",
        "Authorization",
        "Amazon Bedrock API key",
        "aws-bedrock-short-term-key",
        join("bedrock-api-key-", "YmVkcm9jay5hbWF6b25hd3MuY29t", rand(B64, 180, 124)),
        "Bearer {}",
    ),
    _tp(
        "slack-legacy-token",
        None,
        "Slack token",
        "slack-token",
        join(
            "xo",
            "xs-",
            rand("0123456789", 10, 125),
            "-",
            rand("0123456789", 12, 126),
            "-",
            rand(HEX, 32, 127),
        ),
    ),
    _tp(
        "github-in-clone-url",
        "ApiEndpoint",
        "GitHub personal access token",
        "github-pat",
        GH_PAT,
        "https://x-access-token:{}@github.com/org/repo.git",
    ),
    _tp("aws-key-id", "AccessKeyId", "AWS access key ID", "aws-access-key-id", AWS_ID),
    _tp("aws-sts-key-id", None, "AWS access key ID", "aws-access-key-id", AWS_STS),
    _tp(
        "aws-key-id-in-env", "Value", "AWS access key ID", "aws-access-key-id", AWS_ID, "AWS_ACCESS_KEY_ID={}"
    ),
    _tp("aws-secret-key", "SecretAccessKey", "AWS secret access key", "aws-secret-access-key", AWS_SECRET),
    _tp(
        "aws-secret-key-snake",
        "aws_secret_access_key",
        "AWS secret access key",
        "aws-secret-access-key",
        AWS_SECRET,
    ),
    _tp("aws-session-token", "SessionToken", "AWS session token", "aws-session-token", rand(B64, 220, 12)),
    _tp(
        "bedrock-key",
        "ApiKey",
        "Amazon Bedrock API key",
        "aws-bedrock-api-key",
        join("AB", "SK", rand(B64, 120, 13)),
    ),
    _tp("google-key", "key", "Google API key", "google-api-key", GOOGLE),
    _tp(
        "google-key-in-url",
        "ApiEndpoint",
        "Google API key",
        "google-api-key",
        GOOGLE,
        "https://maps.googleapis.com/maps/api/geocode/json?key={}",
    ),
    _tp(
        "azure-client-secret",
        "client_secret",
        "Azure AD client secret",
        "azure-ad-client-secret",
        join(rand(ALNUM, 3, 14), "8Q", "~", rand(ALNUM, 34, 15)),
    ),
    _tp("stripe-live", "ApiKey", "Stripe secret key", "stripe-secret-key", STRIPE),
    _tp(
        "stripe-test-long",
        None,
        "Stripe secret key",
        "stripe-secret-key",
        join("sk", "_test_", rand(ALNUM, 99, 16)),
    ),
    _tp(
        "stripe-restricted",
        "Key",
        "Stripe restricted key",
        "stripe-restricted-key",
        join("rk", "_live_", rand(ALNUM, 24, 17)),
    ),
    _tp(
        "stripe-webhook",
        "WebhookSecret",
        "Stripe webhook signing secret",
        "stripe-webhook-secret",
        join("wh", "sec_", rand(ALNUM, 32, 18)),
    ),
    _tp("github-pat", "token", "GitHub personal access token", "github-pat", GH_PAT),
    _tp("github-oauth", None, "GitHub OAuth access token", "github-oauth-token", github("o", 19)),
    _tp("github-user", None, "GitHub user-to-server token", "github-user-token", github("u", 20)),
    _tp("github-app", None, "GitHub app installation token", "github-app-token", github("s", 21)),
    _tp("github-refresh", None, "GitHub refresh token", "github-refresh-token", github("r", 22)),
    _tp(
        "github-fine-grained",
        None,
        "GitHub fine-grained personal access token",
        "github-fine-grained-pat",
        join("github", "_pat_", rand(ALNUM, 22, 23), "_", rand(ALNUM, 59, 24)),
    ),
    _tp(
        "github-in-auth-header",
        "Authorization",
        "GitHub personal access token",
        "github-pat",
        GH_PAT,
        "token {}",
    ),
    _tp(
        "gitlab-pat",
        "PRIVATE-TOKEN",
        "GitLab personal access token",
        "gitlab-pat",
        join("gl", "pat-", rand(URLSAFE, 20, 25)),
    ),
    _tp("slack-bot", "SLACK_TOKEN", "Slack bot token", "slack-bot-token", SLACK_BOT),
    _tp("slack-bot-in-env", None, "Slack bot token", "slack-bot-token", SLACK_BOT, "SLACK_TOKEN={}"),
    _tp(
        "slack-user",
        None,
        "Slack user token",
        "slack-user-token",
        join(
            "xo",
            "xp-",
            rand("0123456789", 11, 26),
            "-",
            rand("0123456789", 11, 27),
            "-",
            rand("0123456789", 12, 28),
            "-",
            rand(HEX, 32, 29),
        ),
    ),
    _tp(
        "slack-app",
        None,
        "Slack app-level token",
        "slack-app-token",
        join(
            "xa",
            "pp-1-",
            rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 11, 30),
            "-",
            rand("0123456789", 13, 31),
            "-",
            rand(HEX, 64, 32),
        ),
    ),
    _tp(
        "slack-webhook",
        "ApiEndpoint",
        "Slack webhook URL",
        "slack-webhook-url",
        join(
            "https://hooks.",
            "slack.com/services/T",
            rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10, 33),
            "/B",
            rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10, 34),
            "/",
            rand(ALNUM, 24, 35),
        ),
    ),
    _tp(
        "teams-webhook",
        "url",
        "Microsoft Teams webhook URL",
        "teams-webhook-url",
        join(
            "https://contoso.",
            "webhook.office.com/webhookb2/",
            rand(HEX, 8, 36),
            "-",
            rand(HEX, 4, 37),
            "@",
            rand(HEX, 8, 38),
            "/IncomingWebhook/",
            rand(HEX, 32, 39),
        ),
    ),
    _tp(
        "salesforce",
        "Authorization",
        "Salesforce access token",
        "salesforce-access-token",
        join("00D", rand(ALNUM, 12, 40), "!", rand(ALNUM + ".", 96, 41)),
        "OAuth {}",
    ),
    _tp(
        "twilio-api-key",
        "TwilioApiKeySid",
        "Twilio API key",
        "twilio-api-key",
        join("S", "K", rand(HEX, 32, 42)),
    ),
    _tp("twilio-auth-token", "TwilioAuthToken", "Twilio auth token", "twilio-auth-token", rand(HEX, 32, 43)),
    _tp(
        "sendgrid",
        "SENDGRID_API_KEY",
        "SendGrid API key",
        "sendgrid-api-key",
        join("S", "G.", rand(URLSAFE, 22, 44), ".", rand(URLSAFE, 43, 45)),
    ),
    _tp(
        "anthropic",
        "x-api-key",
        "Anthropic API key",
        "anthropic-api-key",
        join("sk-", "ant-api03-", rand(URLSAFE, 93, 46), "AA"),
    ),
    _tp(
        "openai",
        "Authorization",
        "OpenAI API key",
        "openai-api-key",
        join("sk-", "proj-", rand(ALNUM, 40, 47), "T3Blbk", "FJ", rand(ALNUM, 40, 48)),
        "Bearer {}",
    ),
    _tp("npm", "NPM_TOKEN", "npm access token", "npm-token", join("np", "m_", rand(ALNUM, 36, 49))),
    _tp(
        "pypi",
        "password",
        "PyPI upload token",
        "pypi-token",
        join("pypi-", "AgEIcHlwaS5vcmc", rand(URLSAFE, 70, 50)),
    ),
    _tp(
        "shopify",
        "X-Shopify-Access-Token",
        "Shopify access token",
        "shopify-token",
        join("shp", "at_", rand(HEX, 32, 51)),
    ),
    _tp(
        "square",
        "Authorization",
        "Square access token",
        "square-token",
        join("sq0", "atp-", rand(URLSAFE, 22, 52)),
        "Bearer {}",
    ),
    _tp("mailgun", "api_key", "Mailgun API key", "mailgun-api-key", join("ke", "y-", rand(HEX, 32, 53))),
    _tp("mailchimp", "apikey", "Mailchimp API key", "mailchimp-api-key", join(rand(HEX, 32, 54), "-us", "6")),
    _tp(
        "telegram",
        "ApiEndpoint",
        "Telegram bot token",
        "telegram-bot-token",
        join(rand("123456789", 10, 55), ":A", "A", rand(URLSAFE, 33, 56)),
        "https://api.telegram.org/bot{}/sendMessage",
    ),
    _tp("jwt-bearer", "Authorization", "JSON Web Token", "jwt", JWT, "Bearer {}"),
    _tp("jwt-in-payload", "Payload", "JSON Web Token", "jwt", JWT, '{{"session": "{}"}}'),
    _tp("pem-rsa", "PrivateKey", "private key block", "private-key", PEM_RSA),
    _tp(
        "pem-json-escaped",
        "Body",
        "private key block",
        "private-key",
        pem("EC", 57, newline="\\n"),
        '{{"key": "{}"}}',
    ),
    _tp("pem-openssh", None, "private key block", "private-key", pem("OPENSSH", 58)),
    _tp("pem-pkcs8-no-end", None, "private key block", "private-key", pem("", 59).rsplit("\n", 1)[0]),
    _tp(
        "password-in-url",
        "ApiEndpoint",
        "password in URL",
        "password-in-url",
        "Tr0ub4dor-3x",
        "https://admin:{}@api.partner.example.net/v2/orders",
    ),
    _tp(
        "db-connection-string",
        "DB_URL",
        "password in URL",
        "password-in-url",
        "pg-" + rand(ALNUM, 16, 60),
        "postgresql://app_user:{}@orders-db.internal:5432/orders",
    ),
    _tp(
        "basic-header",
        "Authorization",
        "basic credentials",
        "basic-credentials",
        basic("svc-orders", "Vq7#mR2!pLx9"),
        "Basic {}",
    ),
    _tp("bearer-opaque", "Authorization", "bearer token", "bearer-token", rand(URLSAFE, 40, 61), "Bearer {}"),
    _tp("password-keyword", "Password", "password", "keyword-password", "Zx9!kq2#Lm"),
    _tp(
        "db-password-env-style-key",
        "DB_PASSWORD",
        "password",
        "keyword-password",
        "s3cure-" + rand(ALNUM, 6, 62),
    ),
    _tp("client-secret", "client_secret", "secret", "keyword-secret", rand(ALNUM, 32, 63)),
    _tp("x-api-key", "x-api-key", "API key", "keyword-api-key", rand(ALNUM, 40, 64)),
    _tp("api-key-hex", "apiKey", "API key", "keyword-api-key", rand(HEX, 32, 65)),
    _tp("access-token", "access_token", "access token", "keyword-access-token", rand(URLSAFE, 48, 66)),
    _tp(
        "api-key-in-query",
        "ApiEndpoint",
        "API key",
        "assignment-api-key",
        rand(ALNUM, 32, 67),
        "https://api.weather.example.com/v1/forecast?city=Berlin&api_key={}",
    ),
    _tp(
        "password-in-embedded-json",
        "Payload",
        "password",
        "assignment-password",
        "Qw3rty!" + rand(ALNUM, 5, 68),
        '{{"user": "etl", "password": "{}"}}',
    ),
    _tp(
        "stripe-in-jsonata",
        "Authorization",
        "Stripe secret key",
        "stripe-secret-key",
        STRIPE,
        "{{% 'Bearer ' & '{}' %}}",
    ),
    _tp(
        "google-in-intrinsic",
        "ApiEndpoint.$",
        "Google API key",
        "google-api-key",
        GOOGLE,
        "States.Format('https://maps.googleapis.com/maps/api/place?q={{}}&key={}', $.q)",
    ),
]


class Negative(NamedTuple):
    id: str
    value: str
    key: str | None


_CLIENT_CONTEXT = base64.b64encode(
    json.dumps({"custom": {"env": "prod", "build": "1.4.2"}}).encode()
).decode()

NEGATIVES: list[Negative] = [
    Negative(
        "sub-secret-arn",
        "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:MySecret-1a2b3c",
        "SecretId",
    ),
    Negative(
        "intrinsic-secret-arn",
        "States.Format('arn:aws:secretsmanager:{}:{}:secret:prod/db-AbCdE1', $.region, $.account)",
        "Resource.$",
    ),
    Negative("bedrock-prefix-alone", "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t", "Comment"),
    Negative("elided-url-password", "https://admin:…@host/path", "ApiEndpoint"),
    Negative("secret-name-path", "rds-db-credentials/cluster-abc123/admin", "Secret"),
    Negative("rfc-7617-basic-example", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Authorization"),
    Negative(
        "inline-code-env-lookup",
        "import os\npassword = os.environ['DB_PASSWORD']\ntoken = event['token']",
        "ZipFile",
    ),
    Negative("secret-string-template", '{"username": "admin", "password": "${DbPassword}"}', "SecretString"),
    Negative("mongodb-placeholders", "mongodb+srv://${User}:${Pass}@cluster0.example.mongodb.net/app", "uri"),
    Negative("timestamp-under-token-key", "2024-01-01T00:00:00Z", "token"),
    Negative("ssh-url-without-password", "ssh://git@github.com:22/org/repo.git", "Url"),
    Negative("jsonpath-token", "$.token", "token.$"),
    Negative("task-token", "$$.Task.Token", "TaskToken.$"),
    Negative("jsonpath-headers", "$.headers", "Headers.$"),
    Negative("jsonata-api-key", "{% $states.input.apiKey %}", "ApiKey"),
    Negative("jsonata-task-token", "{% $states.context.Task.Token %}", "taskToken"),
    Negative("jsonata-bearer-concat", "{% 'Bearer ' & $states.input.token %}", "Authorization"),
    Negative("jsonata-variable", "{% $ApiKeyValue %}", "api_key_value"),
    Negative("variable-ref", "$myToken", "token"),
    Negative("substitution-api-key", "${ApiKey}", "ApiKey"),
    Negative("substitution-password", "${DbPassword}", "Password"),
    Negative("substitution-connection", "${ConnectionArn}", "ConnectionArn"),
    Negative(
        "resolve-secretsmanager", "{{resolve:secretsmanager:MySecret:SecretString:password}}", "Password"
    ),
    Negative("resolve-ssm-secure", "{{resolve:ssm-secure:/prod/db/password:1}}", "DbPassword"),
    Negative(
        "secret-arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", "SecretArn"
    ),
    Negative(
        "secret-id-arn",
        "arn:aws:secretsmanager:eu-west-1:111122223333:secret:stripe/api-key-Xy12Ab",
        "SecretId",
    ),
    Negative(
        "connection-arn",
        "arn:aws:events:us-east-1:123456789012:connection/Stripe/81210c42-8af1-456b-9c4a-6ff02fc664ac",
        "ConnectionArn",
    ),
    Negative("http-resource", "arn:aws:states:::http:invoke", "Resource"),
    Negative("uuid-client-token", "81210c42-8af1-456b-9c4a-6ff02fc664ac", "ClientToken"),
    Negative("uuid-value", "3f2b8c1e-9d4a-4e6f-b7a2-5c8d9e0f1a2b", "token"),
    Negative("hex-idempotency-token", "4f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c", "IdempotencyToken"),
    Negative("aws-example-key-id", "AKIAIOSFODNN7EXAMPLE", "AccessKeyId"),
    Negative("aws-example-key-id-bare", "AKIAIOSFODNN7EXAMPLE", None),
    Negative("aws-example-secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "SecretAccessKey"),
    Negative("aws-example-env", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "Value"),
    Negative(
        "intrinsic-endpoint",
        "States.Format('https://api.stripe.com/v1/customers/{}', $.customer_id)",
        "ApiEndpoint.$",
    ),
    Negative(
        "intrinsic-userinfo-placeholders",
        "States.Format('https://{}:{}@api.example.com/', $.u, $.p)",
        "ApiEndpoint.$",
    ),
    Negative("intrinsic-base64", "States.Base64Decode($.payload)", "Data.$"),
    Negative("base64-client-context", _CLIENT_CONTEXT, "ClientContext"),
    Negative(
        "cdk-analytics-gzip",
        "v2:deflate64:H4sIAAAAAAAA/01PSw6CMBA9i/thBI0HUBN3bPAAZCiDlk9LnFYXTe9uQU1cvV/mvcwOi7zAfEMvyVQ7ZKNuMFwdqQ",
        "Analytics",
    ),
    Negative(
        "asset-hash-key", "c4e86b310ade55ecb18cf791c52d59f62c392388b3b17cb1c80e64aac8fe1a58.zip", "S3Key"
    ),
    Negative(
        "cfn-physical-name",
        "StepFunctionsSample-ApiGatewayECSWorkflow8c411f30-ea02-47cd-8166-a47a28c7b088-SNSTopic-pOprfVyxWL6j",
        "TopicArn",
    ),
    Negative("cdk-function-name", "MapStateCdkStack-ReadfromSQS7A438AF1-rxxSWTi0VGpc", "FunctionName"),
    Negative("kms-alias", "alias/aws/kinesis", "KeyId"),
    Negative("api-key-header-name", "x-api-key", "api_key_name"),
    Negative("auth-type", "IAM_ROLE", "AuthType"),
    Negative("client-token-literal", "clienttoken1", "ClientToken"),
    Negative("next-token", "$.GetQueryResults.NextToken", "NextToken.$"),
    Negative("s3-uri", "s3://orders-archive/2024/01/key.json", "Key"),
    Negative("ssm-parameter-name", "/prod/app/db-password", "PasswordParameter"),
    Negative("codebuild-secret-ref", "prod/db:password", "Value"),
    Negative("https-endpoint", "https://api.stripe.com/v1/charges", "ApiEndpoint"),
    Negative(
        "userinfo-placeholders", "https://${DbUser}:${DbPassword}@db.example.com:5432/app", "ApiEndpoint"
    ),
    Negative("content-type", "application/x-www-form-urlencoded", "content-type"),
    Negative("dummy-password", "changeme", "Password"),
    Negative("dummy-password-digits", "Password123!", "Password"),
    Negative("angle-placeholder", "<your-api-key>", "x-api-key"),
    Negative("stripe-placeholder", join("sk", "_live_", "x" * 24), "ApiKey"),
    Negative(
        "slack-doc-webhook",
        join("https://hooks.", "slack.com/services/T00000000/B00000000/", "X" * 24),
        "ApiEndpoint",
    ),
    Negative("stripe-publishable", join("pk", "_live_", rand(ALNUM, 24, 90)), "StripePublishableKey"),
    Negative("event-source", "com.example.orders", "Source"),
    Negative("state-name", "Get webhooks for customer and event", "Next"),
    Negative("key-condition", "task_id = :taskValue", "KeyConditionExpression"),
    Negative("comment-basic", "Basic authentication is configured on the connection", "Comment"),
    Negative("comment-bearer", "Send the Bearer token in the Authorization header", "Comment"),
    Negative("function-arn", "arn:aws:lambda:us-east-1:123456789012:function:GetApiKey", "Resource"),
    Negative("jsonpath-password", "$.credentials.password", "Password.$"),
    Negative("key-name-as-value", "MinimumPasswordLength", None),
    Negative("api-key-param", "/myapp/stripe/api-key", "ApiKeyParameter"),
    Negative("jwt-lookalike-no-dots", "eyJjdXN0b20iOnsiZW52IjoicHJvZCJ9fQ==", "Payload"),
    Negative("cdk-ref-api-key", "ApiKeyParam", "ApiKey"),
    Negative("email", "fizzbuzz@example.com", "OutputValue"),
    Negative("query-param-dynamic", "https://api.example.com/v1/items?api_key=${ApiKey}", "ApiEndpoint"),
    Negative("url-encoded-form", "grant_type=client_credentials&scope=orders.read", "RequestBody"),
    Negative("max-tokens", "{% $parameters.max_tokens %}", "max_tokens"),
    Negative(
        "pem-public-key",
        "-----BEGIN PUBLIC KEY-----\n" + rand(B64, 64, 91) + "\n-----END PUBLIC KEY-----",
        "PublicKey",
    ),
    Negative(
        "pem-placeholder",
        join("-----BEGIN RSA PRIVATE", " KEY-----\n...\n-----END RSA PRIVATE", " KEY-----"),
        "Comment",
    ),
]


def test_table_sizes() -> None:
    assert len(POSITIVES) >= 40
    assert len(NEGATIVES) >= 40
    assert len({p.id for p in POSITIVES}) == len(POSITIVES)
    assert len({n.id for n in NEGATIVES}) == len(NEGATIVES)


@pytest.mark.parametrize("case", POSITIVES, ids=[p.id for p in POSITIVES])
def test_true_positive(case: Positive) -> None:
    matches = scan(case.value, key=case.key)
    assert len(matches) == 1, matches
    (m,) = matches
    assert (m.kind, m.rule) == (case.kind, case.rule)
    assert case.value[m.start : m.end] == case.secret
    assert m.start == case.value.index(case.secret)


@pytest.mark.parametrize("case", NEGATIVES, ids=[n.id for n in NEGATIVES])
def test_true_negative(case: Negative) -> None:
    assert scan(case.value, key=case.key) == []


def test_every_pattern_has_a_true_positive() -> None:
    t = table()
    covered = {p.rule for p in POSITIVES}
    assert [f.id for f in t.formats if f.id not in covered] == []
    assert [k.id for k in t.keyed if k.id not in covered] == []


def test_pattern_table_is_well_formed() -> None:
    t = table()
    ids = [f.id for f in t.formats] + [k.id for k in t.keyed]
    assert len(ids) == len(set(ids))
    for f in t.formats:
        assert f.hints or f.hints_ci, f.id
        assert f.confidence in ("high", "medium", "low"), f.id
        assert f.on_invalid in ("reject", "medium", "low"), f.id
        assert f.kind and f.source, f.id
