"""ASL603: credentials passed by hand in HTTP Task headers / query parameters."""

from __future__ import annotations

import pytest

from asl_lint.secrets import manual_auth

FIX = "configure it in the EventBridge connection (API key, Basic or OAuth authorization) instead"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (
            "Authorization",
            "{% 'Bearer ' & $token %}",
            "'Authorization' passes an Authorization header by hand (value computed at run time)",
        ),
        (
            "Authorization.$",
            "$.auth",
            "'Authorization' passes an Authorization header by hand (value computed at run time)",
        ),
        (
            "authorization",
            "Basic abc",
            "'authorization' passes an Authorization header by hand (literal value)",
        ),
        ("Proxy-Authorization", None, "'Proxy-Authorization' passes a Proxy-Authorization header by hand"),
        (
            "x-api-key",
            "{% $states.input.key %}",
            "'x-api-key' passes an API key by hand (value computed at run time)",
        ),
        (
            "X-API-KEY.$",
            "States.Format('{}', $.k)",
            "'X-API-KEY' passes an API key by hand (value computed at run time)",
        ),
        ("api_key", "abc123", "'api_key' passes an API key by hand (literal value)"),
        ("key", "$.googleKey", "'key' passes an API key by hand (value computed at run time)"),
        ("access_token", "$.t", "'access_token' passes a token by hand (value computed at run time)"),
        ("X-Auth-Token", "xyz", "'X-Auth-Token' passes a token by hand (literal value)"),
        ("PRIVATE-TOKEN", "xyz", "'PRIVATE-TOKEN' passes a token by hand (literal value)"),
        (
            "Ocp-Apim-Subscription-Key",
            "k",
            "'Ocp-Apim-Subscription-Key' passes an API key by hand (literal value)",
        ),
        ("client_secret", "$.s", "'client_secret' passes a secret by hand (value computed at run time)"),
        ("password", "pw", "'password' passes a password by hand (literal value)"),
        ("Cookie", "session=abc", "'Cookie' passes a session cookie by hand (literal value)"),
        ("X-Custom", "Bearer abc.def", "'X-Custom' passes 'Bearer' credentials by hand (literal value)"),
    ],
)
def test_manual_auth_flags_credentials(name: str, value: str | None, expected: str) -> None:
    assert manual_auth(name, value) == f"{expected}; {FIX}"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
        ("Idempotency-Key.$", "$.orderId"),  # not a credential
        ("TaskToken.$", "$$.Task.Token"),
        ("nextToken", "$.page"),
        ("ApiKeyName", "x-api-key"),
        ("customer_id", "$.id"),
        ("Authorization", ""),  # empty header carries nothing
        ("X-Custom.$", "$.bearer"),
        ("limit", "Bearer"),
        ("X-Mode", "token based"),
        ("X-Trace", "{% 'trace ' & $id %}"),
    ],
)
def test_manual_auth_ignores_ordinary_parameters(name: str, value: str | None) -> None:
    assert manual_auth(name, value) is None


def test_scheme_literal_inside_expression_under_any_header() -> None:
    assert manual_auth("X-Upstream", "{% 'Bearer ' & $states.input.token %}") == (
        f"'X-Upstream' passes 'Bearer' credentials by hand (value computed at run time); {FIX}"
    )


def test_reason_never_quotes_the_literal_value() -> None:
    secret = "q8Zr2LmX9vT4pW7nB3kD6sH1"
    reason = manual_auth("x-api-key", secret)
    assert reason is not None and secret not in reason
