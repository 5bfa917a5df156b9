"""The HTTP Task model: which tasks are HTTP Tasks, how each request field is classified, what a
dynamic endpoint's known text says."""

from __future__ import annotations

import pytest

from asl_lint.http import HTTP_RESULT_TYPES, build_http_task, classify, http_tasks, is_http_resource
from asl_lint.http.url import analyse, host_allowed
from asl_lint.model import build_model
from tests.http.fixtures import CONN, HTTP


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (HTTP, True),
        ("arn:aws-us-gov:states:::http:invoke", True),
        ("arn:${AWS::Partition}:states:::http:invoke", True),
        ("arn:aws:states:::http:invoke.sync", False),
        ("arn:aws:states:::apigateway:invoke", False),
        (None, False),
    ],
)
def test_http_resource(resource: object, expected: bool) -> None:
    assert is_http_resource(resource) is expected


def test_fields_of_a_jsonpath_task() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "Resource": HTTP,
                "Parameters": {
                    "ApiEndpoint.$": "States.Format('https://api.example.com/{}/x', $.id)",
                    "Method": "GET",
                    "Authentication": {"ConnectionArn": CONN},
                    "Headers": {"a.$": "$.a", "b": "c"},
                    "Transform": {"RequestEncodingOptions": {"ArrayFormat": "REPEAT"}},
                },
                "End": True,
            },
            "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True},
        },
    }
    (task,) = http_tasks(build_model(definition))
    endpoint = task.get("ApiEndpoint")
    assert endpoint is not None
    assert (endpoint.kind, endpoint.prefix, endpoint.pointer) == (
        "dynamic",
        "https://api.example.com/",
        "/States/A/Parameters/ApiEndpoint.$",
    )
    # the prefix sits verbatim in the raw string, after "States.Format('"
    assert endpoint.prefix_offset == len("States.Format('")
    assert task.get("Authentication.ConnectionArn") is not None and task.connections()[0].text == CONN
    assert task.get("Transform.RequestEncodingOptions.ArrayFormat") is not None
    assert [(name, value.kind) for name, value in task.entries("Headers")] == [("a", "dynamic"), ("b", "static")]
    assert task.pointer("Method") == "/States/A/Parameters/Method"


@pytest.mark.parametrize(
    ("raw", "dynamic", "jsonata", "kind", "prefix", "complete"),
    [
        ("https://x.test/a", False, False, "static", None, False),
        ("$.url", True, False, "dynamic", None, False),
        ("States.Format('{}/a', $.base)", True, False, "dynamic", "", False),
        ("States.Format('https://a\\'b/{}', $.x)", True, False, "dynamic", "https://a'b/", False),
        ("{% 'https://x.test/' & $id %}", False, True, "dynamic", "https://x.test/", False),
        ('{% "GET" %}', False, True, "dynamic", "GET", True),
        ("{% $states.input.url %}", False, True, "dynamic", None, False),
        ("{% '${Base}/x' & $id %}", False, True, "dynamic", "", False),
        ("https://${Host}/x", False, False, "placeholder", "https://", False),
        ("{% 'not jsonata in a JSONPath state' %}", False, False, "static", None, False),
    ],
)
def test_classify(raw: str, dynamic: bool, jsonata: bool, kind: str, prefix: str | None, complete: bool) -> None:
    value = classify("ApiEndpoint", "/p", raw, dynamic=dynamic, jsonata=jsonata)
    assert (value.kind, value.prefix, value.complete) == (kind, prefix, complete)


def test_prefix_offset_is_none_when_escapes_change_the_text() -> None:
    value = classify("ApiEndpoint", "/p", "States.Format('https://a\\'b/{}', $.x)", dynamic=True, jsonata=False)
    assert value.prefix_offset is None


def test_arguments_read_in_a_jsonpath_state_and_whole_payload_expression() -> None:
    state = {"Type": "Task", "Resource": HTTP, "Arguments": "{% $states.input %}", "End": True}
    machine = build_model({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": state}})
    task = build_http_task(machine.states[0])
    assert (task.payload_name, task.payload_known, task.fields) == ("Arguments", False, {})


@pytest.mark.parametrize(
    ("text", "complete", "scheme", "host", "kinds"),
    [
        ("https://api.example.com/x", True, "https", "api.example.com", []),
        ("https://API.example.com.:8443", True, "https", "api.example.com", []),
        ("https://api.exa", False, "https", None, []),
        ("https://api.example.com/", False, "https", "api.example.com", []),
        ("http://", False, "http", None, ["scheme"]),
        ("https://u:p@", False, "https", None, ["userinfo"]),
        ("htt", False, None, None, []),
        ("https:/", False, None, None, []),
        ("/orders", False, None, None, ["malformed"]),
        ("https://bad host/", True, None, None, ["malformed"]),
    ],
)
def test_url_facts(text: str, complete: bool, scheme: str | None, host: str | None, kinds: list[str]) -> None:
    facts = analyse(text, complete)
    assert (facts.scheme, facts.host, [p.kind for p in facts.problems]) == (scheme, host, kinds)


def test_host_allow_list() -> None:
    patterns = ("api.stripe.com", "*.example.com")
    assert host_allowed("API.STRIPE.COM", patterns)
    assert host_allowed("a.b.example.com", patterns)
    assert not host_allowed("example.com", patterns)
    assert not host_allowed("badexample.com", patterns)
    assert not host_allowed("api.stripe.com.evil.test", patterns)


def test_result_fields() -> None:
    assert HTTP_RESULT_TYPES == {
        "StatusCode": "number",
        "StatusText": "string",
        "Headers": "object",
        "ResponseBody": "any",
    }
