"""A definition full of secrets, rendered in every report format: no secret appears in clear anywhere."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from asl_lint.report import FORMATS, get_reporter
from tests.helpers import lint_result
from tests.http import secrets_data as s
from tests.http.fixtures import HTTP, RETRY, request


def _definition() -> dict[str, Any]:
    payload = request(
        ApiEndpoint=f"https://admin:{s.URL_PASSWORD}@api.example.com/orders",
        Method="POST",
        Headers={"x-api-key": s.API_KEY, "X-Hook": s.SLACK_WEBHOOK},
        QueryParameters={"key": s.GOOGLE, "gh": s.GITHUB},
        RequestBody={"stripe": s.STRIPE, "jwt": s.JWT},
    )
    return {
        "Comment": f"sendgrid {s.SENDGRID}",
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": HTTP, "Parameters": payload, "Retry": RETRY, "Next": "Keep"},
            "Keep": {
                "Type": "Pass",
                "Result": {"password": s.LOGIN_WORD, "pem": s.PEM, s.AWS_KEY_ID: "id"},
                "End": True,
            },
        },
    }


def _yaml(definition: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(definition, sort_keys=False, width=1000)


def _template(definition: dict[str, Any]) -> str:
    import yaml

    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"Machine": {"Type": "AWS::Serverless::StateMachine", "Properties": {"Definition": definition}}},
    }
    return yaml.safe_dump(template, sort_keys=False, width=1000)


def _leaks(output: str) -> list[str]:
    """Every secret (and each line of the private key) found in clear in `output`, in any JSON escaping."""
    pieces = [x for x in s.ALL if x != s.PEM] + [line for line in s.PEM.splitlines() if "-----" not in line]
    found = []
    for piece in pieces:
        for form in {piece, json.dumps(piece)[1:-1], json.dumps(json.dumps(piece)[1:-1])[1:-1]}:
            if form in output:
                found.append(piece[:6])
    return found


CASES = {
    "json": lambda d: (json.dumps(d, indent=2), "secrets.asl.json"),
    "yaml": lambda d: (_yaml(d), "secrets.asl.yaml"),
    "template": lambda d: (_template(d), "template.yaml"),
}


@pytest.mark.parametrize("source", sorted(CASES))
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_secret_in_clear_in_any_format(source: str, fmt: str) -> None:
    text, path = CASES[source](_definition())
    result = lint_result(text, path=path)
    codes = [d.code for d in result.diagnostics]
    # Every secret was found, so the test is not vacuous.
    assert codes.count("ASL601") == 7 and codes.count("ASL602") == 4, codes
    output = get_reporter(fmt)(result)
    assert output.strip()
    assert _leaks(output) == []


def test_text_report_code_frames_are_redacted() -> None:
    from asl_lint.report.text_report import render

    text, path = CASES["json"](_definition())
    output = render(lint_result(text, path=path), color=False, frames=True)
    assert re.search(r"^\s+\d+ \|", output, re.M), "no code frame rendered"
    assert "****" in output
    assert _leaks(output) == []


def test_messages_show_at_most_a_masked_prefix() -> None:
    text, path = CASES["json"](_definition())
    for diag in lint_result(text, path=path).diagnostics:
        assert _leaks(diag.message) == []
        if diag.code in ("ASL601", "ASL602"):
            assert re.search(r"\([^()]*\*\*\*\*\)", diag.message), diag.message
