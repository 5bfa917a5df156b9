"""ASL301–ASL308 on JSONPath and JSONata HTTP Tasks: what triggers each rule (exact position and message)
and what must stay silent."""

from __future__ import annotations

import pytest

from asl_lint.config import Config, HttpConfig
from tests.helpers import findings, lint, serious
from tests.http.fixtures import CONN, at, jsonata, jsonpath, request

CONN_SHAPE = "arn:aws:events:<region>:<account>:connection/<name>/<id>"


def only(text: str, code: str, config: Config | None = None) -> list[tuple[int, int, int, int, str]]:
    diags = lint(text, config=config)
    return findings(diags, code)


# --- silent ---------------------------------------------------------------------------------------
SILENT_JSONPATH = [
    request(),
    request(Method="POST", RequestBody={"amount.$": "$.amount", "currency": "usd"}),
    request(ApiEndpoint=None, ApiEndpoint__="States.Format('https://api.example.com/orders/{}', $.id)"),
    request(ApiEndpoint=None, ApiEndpoint__="$.url"),
    request(Method=None, Method__="$.method"),
    request(InvocationConfig=None, Authentication={"ConnectionArn": CONN}),
    request(InvocationConfig={"ConnectionArn.$": "$.connection"}),
    request(Headers={"Accept": "application/json", "Content-Type": "application/json", "X-Request-Id.$": "$.id"}),
    request(Headers__="$.headers"),
    request(QueryParameters={"page.$": "$.page", "limit": 10}),
    request(
        Method="POST",
        Headers={"content-type": "application/x-www-form-urlencoded; charset=UTF-8"},
        RequestBody={"a": ["x", "y"]},
        Transform={"RequestBodyEncoding": "URL_ENCODED", "RequestEncodingOptions": {"ArrayFormat": "REPEAT"}},
    ),
    request(
        Method="POST",
        RequestBody__="$.body",
        Transform={"RequestBodyEncoding": "URL_ENCODED"},
        Headers__="$.headers",
    ),
    request(ApiEndpoint="https://api.example.com:8443/v1/orders?expand=items"),
    request(ApiEndpoint="https://[2001:db8::1]/status"),
    request(ApiEndpoint="https://${ApiHost}/orders", InvocationConfig={"ConnectionArn": "${ConnectionArn}"}),
    request(InvocationConfig={"ConnectionArn": "arn:aws:events:${AWS::Region}:${AWS::AccountId}:connection/x/${Id}"}),
    request(Method="DELETE", RequestBody={"reason": "duplicate"}),
]
SILENT_JSONATA = [
    request(),
    request(ApiEndpoint="{% 'https://api.example.com/orders/' & $states.input.id %}"),
    request(ApiEndpoint="{% $states.input.url %}", Method="{% $states.input.method %}"),
    request(Method="{% 'POST' %}", RequestBody="{% $states.input %}"),
    request(InvocationConfig={"ConnectionArn": "{% $states.input.connectionArn %}"}),
    request(Headers="{% $states.input.headers %}"),
    request(Headers={"Accept": "application/json", "X-Trace": "{% $states.context.Execution.Id %}"}),
]


@pytest.mark.parametrize("payload", SILENT_JSONPATH)
def test_valid_jsonpath_tasks_are_silent(payload: dict[str, object]) -> None:
    diags = lint(jsonpath(payload))
    assert [(d.code, d.message) for d in diags if d.code.startswith("ASL3")] == []
    assert [(d.code, d.message) for d in serious(diags)] == []


@pytest.mark.parametrize("payload", SILENT_JSONATA)
def test_valid_jsonata_tasks_are_silent(payload: dict[str, object]) -> None:
    diags = lint(jsonata(payload))
    assert [(d.code, d.message) for d in diags if d.code.startswith("ASL3")] == []
    assert [(d.code, d.message) for d in serious(diags)] == []


def test_whole_request_as_one_expression_is_not_judged() -> None:
    text = jsonata("{% $states.input.request %}")
    assert [d.code for d in lint(text) if d.code.startswith("ASL3")] == []


def test_other_resources_are_not_http_tasks() -> None:
    text = jsonpath({"ApiEndpoint": "http://x", "Method": "FETCH"})
    text = text.replace("arn:aws:states:::http:invoke", "arn:aws:states:::apigateway:invoke")
    assert [d.code for d in lint(text) if d.code.startswith("ASL3")] == []


# --- ASL301 ---------------------------------------------------------------------------------------
def test_asl301_missing_endpoint_method_and_connection() -> None:
    text = jsonpath({"Headers": {"Accept": "application/json"}})
    key = at(text, '"Parameters"')
    assert only(text, "ASL301") == [
        (*key, "The HTTP Task's Parameters have no ApiEndpoint: add the HTTPS URL to call"),
        (*key, "The HTTP Task's Parameters have no Method: add the HTTP method (GET, POST, …)"),
        (
            *key,
            "The HTTP Task's Parameters have no connection: add InvocationConfig.ConnectionArn with the ARN "
            "of the EventBridge connection that authorizes the call",
        ),
    ]


def test_asl301_jsonata_arguments_and_empty_connection_object() -> None:
    text = jsonata(request(Method=None, InvocationConfig={}))
    assert only(text, "ASL301") == [
        (
            *at(text, '"Arguments"'),
            "The HTTP Task's Arguments have no Method: add the HTTP method (GET, POST, …)",
        ),
        (
            *at(text, '"InvocationConfig"'),
            "InvocationConfig has no ConnectionArn: add the ARN of the EventBridge connection",
        ),
    ]


def test_asl301_no_parameters_at_all() -> None:
    text = jsonpath(None).replace('"Parameters": null,\n', "")
    assert only(text, "ASL301") == [
        (
            *at(text, '"Call"', 2),
            "HTTP Task 'Call' has no Parameters: it needs ApiEndpoint, Method and InvocationConfig.ConnectionArn",
        ),
    ]


def test_asl301_partition_placeholder_resource() -> None:
    text = jsonpath({"Method": "GET", "InvocationConfig": {"ConnectionArn": CONN}})
    text = text.replace("arn:aws:states", "arn:${AWS::Partition}:states")
    assert [m for *_, m in only(text, "ASL301")] == [
        "The HTTP Task's Parameters have no ApiEndpoint: add the HTTPS URL to call"
    ]


# --- ASL302 ---------------------------------------------------------------------------------------
def test_asl302_lower_case_and_unknown_methods() -> None:
    text = jsonpath(request(Method="post"))
    assert only(text, "ASL302") == [(*at(text, '"post"'), "Method 'post' must be written in upper case: 'POST'")]
    diag = next(d for d in lint(text) if d.code == "ASL302")
    assert diag.fix is not None and diag.fix.edits[0].value == "POST"
    text = jsonata(request(Method="FETCH"))
    assert only(text, "ASL302") == [
        (
            *at(text, '"FETCH"'),
            "Method 'FETCH' is not one the HTTP Task accepts; use one of GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD",
        ),
    ]


def test_asl302_jsonata_constant_is_checked() -> None:
    text = jsonata(request(Method="{% 'CONNECT' %}"))
    assert [m for *_, m in only(text, "ASL302")] == [
        "Method 'CONNECT' is not one the HTTP Task accepts; use one of GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD"
    ]


# --- ASL303 ---------------------------------------------------------------------------------------
HTTP_SCHEME = "ApiEndpoint uses the 'http' scheme; the HTTP Task calls HTTPS endpoints only: use 'https://'"


def test_asl303_http_scheme_static_with_fix() -> None:
    text = jsonpath(request(ApiEndpoint="http://api.example.com/orders"))
    line, col, _, _ = at(text, '"http://api')
    assert only(text, "ASL303") == [(line, col + 1, line, col + 5, HTTP_SCHEME)]
    diag = next(d for d in lint(text) if d.code == "ASL303")
    assert diag.fix is not None and diag.fix.edits[0].value == "https://api.example.com/orders"


def test_asl303_http_scheme_in_states_format_and_jsonata_prefix() -> None:
    text = jsonpath(request(ApiEndpoint=None, ApiEndpoint__="States.Format('http://api.example.com/{}', $.id)"))
    line, col, _, _ = at(text, "http://api")
    assert only(text, "ASL303") == [(line, col, line, col + 4, HTTP_SCHEME)]
    text = jsonata(request(ApiEndpoint="{% 'http://api.example.com/' & $states.input.id %}"))
    line, col, _, _ = at(text, "http://api")
    assert only(text, "ASL303") == [(line, col, line, col + 4, HTTP_SCHEME)]


def test_asl303_scheme_before_a_placeholder_is_known() -> None:
    text = jsonpath(request(ApiEndpoint="http://${ApiHost}/orders"))
    assert [m for *_, m in only(text, "ASL303")] == [HTTP_SCHEME]


@pytest.mark.parametrize(
    ("endpoint", "piece", "message"),
    [
        (
            "api.example.com/orders",
            "api.example.com/orders",
            "ApiEndpoint is not an absolute URL: write it in full, starting with 'https://'",
        ),
        ("https://", "https://", "ApiEndpoint has no host name after 'https://'"),
        (
            "https://api..example.com/x",
            "api..example.com",
            "ApiEndpoint host 'api..example.com' is not a valid host name",
        ),
        (
            "https://api.example.com:99999/x",
            "99999",
            "ApiEndpoint port '99999' is not a valid port number (1-65535)",
        ),
        (
            "https://api.example.com/a b",
            " ",
            "ApiEndpoint contains whitespace, which is not allowed in a URL; "
            "percent-encode it (%20) or pass the values as QueryParameters",
        ),
        (
            "ftp://files.example.com/x",
            "ftp",
            "ApiEndpoint uses the 'ftp' scheme; the HTTP Task calls HTTPS endpoints only: use 'https://'",
        ),
    ],
)
def test_asl303_malformed_endpoints(endpoint: str, piece: str, message: str) -> None:
    text = jsonpath(request(ApiEndpoint=endpoint))
    line, col, _, _ = at(text, f'"{endpoint}"')
    start = col + 1 + endpoint.index(piece)
    assert only(text, "ASL303") == [(line, start, line, start + len(piece), message)]


def test_asl303_jsonata_prefix_that_is_no_url() -> None:
    text = jsonata(request(ApiEndpoint="{% 'api_endpoint' & $id & '/get-data' %}"))
    assert only(text, "ASL303") == [
        (
            *at(text, "api_endpoint"),
            "ApiEndpoint starts with 'api_endpoint', so it is not an absolute URL: it must start with 'https://'",
        ),
    ]


def test_asl303_credentials_in_url_are_reported_and_redacted() -> None:
    password = "s3" + "cr3t-pw-42"
    text = jsonpath(request(ApiEndpoint=f"https://admin:{password}@api.example.com/orders"))
    diags = [d for d in lint(text) if d.code == "ASL303"]
    assert [(d.line, d.column, d.end_line, d.end_column) for d in diags] == [at(text, f"admin:{password}")]
    assert diags[0].message == (
        "ApiEndpoint carries credentials in the URL (the part before '@'); remove them "
        "and configure Basic authorization in the EventBridge connection instead"
    )
    assert password in diags[0].secrets[0]


def test_asl303_non_string_endpoint() -> None:
    text = jsonpath(request(ApiEndpoint=42))
    assert only(text, "ASL303") == [(*at(text, "42"), "ApiEndpoint must be a string: the HTTPS URL to call")]


# --- ASL304 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "detail"),
    [
        (
            "authorization",
            "authorization must come from the EventBridge connection (API key, Basic or OAuth), so "
            "remove it here and configure it there",
        ),
        (
            "Proxy-Authorization",
            "authorization must come from the EventBridge connection (API key, Basic or "
            "OAuth), so remove it here and configure it there",
        ),
        ("HOST", "remove it (Step Functions sets or controls this header itself)"),
        ("Cache-Control", "remove it (Step Functions sets or controls this header itself)"),
        ("te", "remove it (Step Functions sets or controls this header itself)"),
        ("X-Amz-Target", "names starting with 'x-amz-' are reserved; rename or remove it"),
        ("x-amzn-trace-id", "names starting with 'x-amzn-' are reserved; rename or remove it"),
        ("X-Forwarded-For", "names starting with 'x-forwarded-' are reserved; rename or remove it"),
    ],
)
def test_asl304_forbidden_headers(name: str, detail: str) -> None:
    message = f"Header {name!r} is one the HTTP Task refuses to send (the task fails with States.Runtime): {detail}"
    text = jsonpath(request(Headers={"Accept": "application/json", name: "value-1"}))
    assert only(text, "ASL304") == [(*at(text, f'"{name}"'), message)]
    text = jsonata(request(Headers={name: "{% $states.input.v %}"}))
    assert only(text, "ASL304") == [(*at(text, f'"{name}"'), message)]


def test_asl304_dynamic_member_and_fix() -> None:
    text = jsonpath(request(Headers={"Authorization.$": "$.token"}))
    diags = [d for d in lint(text) if d.code == "ASL304"]
    assert [(d.line, d.column, d.end_line, d.end_column) for d in diags] == [at(text, '"Authorization.$"')]
    assert diags[0].fix is not None and diags[0].fix.edits[0].op == "remove"
    assert diags[0].fix.edits[0].pointer == "/States/Call/Parameters/Headers/Authorization.$"


def test_asl304_every_listed_header() -> None:
    from asl_lint.http.facts import FORBIDDEN_HEADERS

    assert len(FORBIDDEN_HEADERS) == 32
    headers = {name.upper(): "v" for name in FORBIDDEN_HEADERS}
    assert len(only(jsonpath(request(Headers=headers)), "ASL304")) == 32


# --- ASL305 ---------------------------------------------------------------------------------------
FORM = "application/x-www-form-urlencoded"


def test_asl305_bad_encoding_and_array_format() -> None:
    text = jsonpath(request(Method="POST", RequestBody={"a": 1}, Transform={"RequestBodyEncoding": "FORM"}))
    assert only(text, "ASL305") == [
        (*at(text, '"FORM"'), "RequestBodyEncoding 'FORM' is not valid; use 'NONE' or 'URL_ENCODED'"),
    ]
    text = jsonata(
        request(
            Method="POST",
            RequestBody={"a": 1},
            Headers={"Content-Type": FORM},
            Transform={
                "RequestBodyEncoding": "URL_ENCODED",
                "RequestEncodingOptions": {"ArrayFormat": "indices"},
            },
        )
    )
    assert only(text, "ASL305") == [
        (
            *at(text, '"indices"'),
            "ArrayFormat 'indices' is not valid; use one of INDICES, REPEAT, COMMAS, BRACKETS",
        ),
    ]


def test_asl305_array_format_without_url_encoding_is_a_warning() -> None:
    text = jsonpath(
        request(
            Method="POST",
            RequestBody={"a": [1]},
            Transform={"RequestEncodingOptions": {"ArrayFormat": "COMMAS"}},
        )
    )
    diags = [d for d in lint(text) if d.code == "ASL305"]
    assert [(d.line, d.column, d.end_line, d.end_column, d.message, d.severity.value) for d in diags] == [
        (
            *at(text, '"COMMAS"'),
            "ArrayFormat has no effect unless Transform.RequestBodyEncoding is 'URL_ENCODED'",
            "warning",
        ),
    ]


def test_asl305_url_encoded_needs_object_body_and_content_type() -> None:
    text = jsonpath(request(Method="POST", RequestBody="a=1&b=2", Transform={"RequestBodyEncoding": "URL_ENCODED"}))
    assert only(text, "ASL305") == [
        (
            *at(text, '"a=1&b=2"'),
            "RequestBodyEncoding 'URL_ENCODED' form-encodes the members of an object, but "
            "RequestBody is a string: give an object of form fields",
        ),
        (
            *at(text, '"URL_ENCODED"'),
            f"RequestBodyEncoding 'URL_ENCODED' needs the header 'content-type: {FORM}', "
            "which Step Functions does not add: add it to Headers",
        ),
    ]


def test_asl305_content_type_missing_from_headers_or_wrong() -> None:
    text = jsonata(
        request(
            Method="POST",
            RequestBody={"a": 1},
            Headers={"Accept": "text/plain"},
            Transform={"RequestBodyEncoding": "URL_ENCODED"},
        )
    )
    assert only(text, "ASL305") == [
        (
            *at(text, '"Headers"'),
            f"RequestBodyEncoding 'URL_ENCODED' needs the header 'content-type: {FORM}', "
            "which Step Functions does not add: add it to Headers",
        ),
    ]
    text = jsonpath(
        request(
            Method="POST",
            RequestBody={"a": 1},
            Headers={"Content-Type": "application/json"},
            Transform={"RequestBodyEncoding": "URL_ENCODED"},
        )
    )
    assert only(text, "ASL305") == [
        (
            *at(text, '"application/json"'),
            f"Header 'Content-Type' is 'application/json', but RequestBodyEncoding "
            f"'URL_ENCODED' sends a form body: set it to {FORM!r}",
        ),
    ]


# --- ASL306 ---------------------------------------------------------------------------------------
def test_asl306_secret_arn_instead_of_connection() -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/orders/1d2e-AbCdEf"
    text = jsonpath(request(InvocationConfig={"ConnectionArn": arn}))
    assert only(text, "ASL306") == [
        (
            *at(text, f'"{arn}"'),
            "ConnectionArn is a Secrets Manager secret ARN; pass the ARN of the EventBridge "
            f"connection itself ({CONN_SHAPE}), not of the secret that holds its credentials",
        ),
    ]


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        (
            "my-connection",
            f"ConnectionArn 'my-connection' is not an ARN; it must be an EventBridge connection ARN ({CONN_SHAPE})",
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            f"ConnectionArn is an ARN of service 'lambda'; it must be an EventBridge connection ARN ({CONN_SHAPE})",
        ),
        (
            "arn:aws:events:us-east-1:123456789012:rule/my-rule",
            "ConnectionArn names resource 'rule/my-rule', not a "
            f"connection; it must be an EventBridge connection "
            f"ARN ({CONN_SHAPE})",
        ),
        (
            "arn:aws:events:us-east-1:1234:connection/x/y",
            f"ConnectionArn is not a well-formed EventBridge connection ARN ({CONN_SHAPE}): '1234' is not a "
            "12-digit account id",
        ),
        (
            "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f",
            f"ConnectionArn is an ARN of service 'lambda'; it must be an EventBridge connection ARN ({CONN_SHAPE})",
        ),
    ],
)
def test_asl306_not_a_connection(arn: str, message: str) -> None:
    text = jsonpath(request(InvocationConfig=None, Authentication={"ConnectionArn": arn}))
    # With placeholders only the known text before the first one is marked.
    where = at(text, arn[: arn.index("${")]) if "${" in arn else at(text, f'"{arn}"')
    assert only(text, "ASL306") == [(*where, message)]


def test_asl306_jsonata_constant() -> None:
    text = jsonata(request(InvocationConfig={"ConnectionArn": "{% 'ConnectionArn' %}"}))
    assert only(text, "ASL306") == [
        (
            *at(text, "ConnectionArn", 2),
            f"ConnectionArn 'ConnectionArn' is not an ARN; it must be an EventBridge connection ARN ({CONN_SHAPE})",
        ),
    ]


# --- ASL307 ---------------------------------------------------------------------------------------
def test_asl307_body_on_get_and_head() -> None:
    text = jsonpath(request(RequestBody={"q.$": "$.q"}))
    message = (
        "Method GET has a RequestBody, which HTTP gives no meaning for GET: servers and proxies ignore or "
        "reject it; send the data as QueryParameters, or use POST"
    )
    diags = [d for d in lint(text) if d.code == "ASL307"]
    assert [(d.line, d.column, d.end_line, d.end_column, d.message, d.severity.value) for d in diags] == [
        (*at(text, '"RequestBody"'), message, "warning"),
    ]
    text = jsonata(request(Method="HEAD", RequestBody="{% $states.input %}"))
    assert [m for *_, m in only(text, "ASL307")] == [message.replace("GET", "HEAD")]


# --- ASL308 ---------------------------------------------------------------------------------------
ALLOW = Config(http=HttpConfig(("api.stripe.com", "*.example.com")))
NOT_ALLOWED = (
    "Endpoint host {host!r} is not in the allowed hosts (api.stripe.com, *.example.com) set by "
    "[tool.asl-lint.http] allowed-hosts: call an allowed host, or add this one to the list"
)


def test_asl308_only_when_configured() -> None:
    text = jsonpath(request(ApiEndpoint="https://evil.test/x"))
    assert only(text, "ASL308") == []
    assert only(text, "ASL308", ALLOW) == [(*at(text, "evil.test"), NOT_ALLOWED.format(host="evil.test"))]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://api.stripe.com/v1/charges",
        "https://API.Stripe.com:443/v1",
        "https://eu.api.example.com/x",
        "https://${Host}/x",
        "{% 'https://api.exa' & $rest %}",
        "{% $states.input.url %}",
    ],
)
def test_asl308_allowed_or_unknown_hosts_are_silent(endpoint: str) -> None:
    assert only(jsonata(request(ApiEndpoint=endpoint)), "ASL308", ALLOW) == []


@pytest.mark.parametrize(
    ("endpoint", "host"),
    [
        ("https://example.com/x", "example.com"),
        ("https://api.stripe.com.evil.test/", "api.stripe.com.evil.test"),
        ("{% 'https://hooks.slack.test/' & $path %}", "hooks.slack.test"),
    ],
)
def test_asl308_hosts_outside_the_list(endpoint: str, host: str) -> None:
    text = jsonata(request(ApiEndpoint=endpoint))
    assert only(text, "ASL308", ALLOW) == [(*at(text, host), NOT_ALLOWED.format(host=host))]
    text = jsonpath(request(ApiEndpoint=None, ApiEndpoint__=f"States.Format('https://{host}/{{}}', $.id)"))
    assert only(text, "ASL308", ALLOW) == [(*at(text, host), NOT_ALLOWED.format(host=host))]


def test_asl303_no_fix_when_the_url_holds_a_secret() -> None:
    password = "Zq7" + "pLm2vR9tw"
    text = jsonpath(request(ApiEndpoint=f"http://admin:{password}@api.example.com/orders"))
    diags = [d for d in lint(text) if d.code == "ASL303"]
    assert diags[0].message == HTTP_SCHEME
    assert [d.fix for d in diags] == [None, None]


def test_asl302_method_with_blanks() -> None:
    text = jsonpath(request(Method=" GET"))
    assert only(text, "ASL302") == [(*at(text, '" GET"'), "Method ' GET' has blanks around it; write 'GET'")]


def test_asl307_jsonata_constant_method() -> None:
    text = jsonata(request(Method="{% 'GET' %}", RequestBody={"a": 1}))
    assert [m[:36] for *_, m in only(text, "ASL307")] == ["Method GET has a RequestBody, which "]
