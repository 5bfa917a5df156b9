"""Exact positions, several secrets per string, overlaps, allow-lists."""

from __future__ import annotations

import re

from asl_lint.secrets import AllowList, SecretMatch, scan
from tests.secrets.fakes import ALNUM, BASE32, HEX, b64url, github, join, jwt, rand

STRIPE = join("sk", "_live_", rand(ALNUM, 24, 100))
AWS_ID = join("AK", "IA", rand(BASE32, 16, 101))


def test_two_secrets_in_one_string_in_order() -> None:
    value = f"export AWS_ACCESS_KEY_ID={AWS_ID} STRIPE={STRIPE}"
    assert scan(value) == [
        SecretMatch("AWS access key ID", "aws-access-key-id", 25, 45, "high"),
        SecretMatch("Stripe secret key", "stripe-secret-key", 53, 53 + 32, "high"),
    ]


def test_offsets_are_code_points_not_bytes() -> None:
    value = "clé → " + STRIPE
    (m,) = scan(value)
    assert (m.start, m.end) == (6, 38)
    assert value[m.start : m.end] == STRIPE


def test_password_span_is_only_the_password() -> None:
    value = "https://deploy-bot:n9Xq-77pLw@git.example.org/repo.git"
    assert scan(value, key="ApiEndpoint") == [
        SecretMatch("password in URL", "password-in-url", 19, 29, "high")
    ]


def test_keyword_span_excludes_surrounding_whitespace() -> None:
    assert scan("  Zx9!kq2#Lm ", key="Password") == [
        SecretMatch("password", "keyword-password", 2, 12, "high")
    ]


def test_format_wins_over_keyword_for_same_value() -> None:
    (m,) = scan(STRIPE, key="client_secret")
    assert (m.rule, m.kind) == ("stripe-secret-key", "Stripe secret key")


def test_jwt_inside_bearer_reported_once_as_jwt() -> None:
    token = jwt(102)
    assert scan("Bearer " + token, key="Authorization") == [
        SecretMatch("JSON Web Token", "jwt", 7, 7 + len(token), "high")
    ]


def test_jwt_needs_json_header_with_alg() -> None:
    fake = join("eyJ", rand(ALNUM, 20, 103), ".eyJ", rand(ALNUM, 20, 104), ".", rand(ALNUM, 20, 105))
    assert scan(fake) == []


def test_jwt_io_sample_token_is_documentation() -> None:
    header = b64url({"alg": "HS256", "typ": "JWT"})
    sample = b64url({"sub": "1234567890", "name": "John Doe", "iat": 1516239022})
    assert scan(join(header, ".", sample, ".", rand(ALNUM, 43, 114)), key="Authorization") == []
    real = b64url({"sub": "1234567890", "name": "Jane Roe", "iat": 1516239022})
    assert [m.rule for m in scan(join(header, ".", real, ".", rand(ALNUM, 43, 114)))] == ["jwt"]


def test_github_checksum_sets_confidence() -> None:
    assert scan(github("p", 106))[0].confidence == "high"
    assert scan(github("p", 106, valid_checksum=False))[0].confidence == "medium"


def test_aws_key_id_outside_base32_is_rejected() -> None:
    assert scan(join("AK", "IA", "0189", rand(BASE32, 12, 107))) == []


def test_other_iam_unique_id_prefixes_are_identifiers() -> None:
    for prefix in ("AIDA", "AROA", "AGPA", "ANPA", "AIPA", "APKA"):
        assert scan(prefix + rand(BASE32, 16, 108)) == []


def test_key_names_are_scanned_without_key_context() -> None:
    assert scan("client_secret") == []
    assert [m.rule for m in scan(STRIPE)] == ["stripe-secret-key"]


def test_dynamic_key_disables_keyword_rules() -> None:
    assert scan("Zx9!kq2#Lm", key="Password.$") == []
    assert scan("Zx9!kq2#Lm", key="Password") != []


def test_identifier_keys_are_not_keyword_secrets() -> None:
    value = rand(ALNUM, 32, 109)
    for key in (
        "SecretId",
        "KmsKeyId",
        "ApiKeyName",
        "NextToken",
        "TaskToken",
        "SecretArn",
        "PasswordParameter",
    ):
        assert scan(value, key=key) == [], key
    for key in ("ApiKey", "client_secret", "x-api-key", "AccessToken", "DB_PASSWORD", "SecretString"):
        assert scan(value, key=key) != [], key


def test_weak_keys_need_random_values() -> None:
    assert scan("orders-service-token", key="token") == []
    assert scan("abcdef0123456789abcd", key="token") == []  # sequential
    assert scan(rand(HEX, 20, 110), key="token") == []  # short hex: ids, not secrets
    assert scan(rand(HEX, 40, 111), key="token") != []


def test_allow_list_by_value_and_pattern() -> None:
    allow = AllowList.from_config([STRIPE], [r"^AKIA.*Q$"])
    assert scan(STRIPE, allow=allow) == []
    assert scan("x " + STRIPE, allow=allow) == []
    fixture = join("AK", "IA", rand(BASE32, 15, 112), "Q")
    assert scan(fixture, allow=allow) == []
    assert scan(AWS_ID, allow=allow) != [] or AWS_ID.endswith("Q")
    other = join("sk", "_live_", rand(ALNUM, 24, 113))
    assert [m.rule for m in scan(other, allow=allow)] == ["stripe-secret-key"]


def test_allow_list_compiles_patterns() -> None:
    allow = AllowList.from_config(["a"], ["b+"])
    assert allow.values == frozenset({"a"})
    assert allow.patterns == (re.compile("b+"),)
