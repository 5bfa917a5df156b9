"""mask() shows at most a provider prefix and 2 characters; redact() removes every spelling."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest
import yaml

from asl_lint.secrets import mask, redact, scan
from tests.secrets.fakes import ALNUM, B64, BASE32, github, join, jwt, pem, rand
from tests.secrets.test_table import POSITIVES

STRIPE = join("sk", "_live_", rand(ALNUM, 24, 200))


def test_mask_keeps_provider_prefix_and_two_chars() -> None:
    assert mask(STRIPE) == "sk_live_" + STRIPE[8:10] + "****"
    aws = join("AK", "IA", rand(BASE32, 16, 201))
    assert mask(aws) == aws[:6] + "****"
    gh = github("p", 202)
    assert mask(gh) == gh[:6] + "****"


def test_mask_short_secret_shows_nothing() -> None:
    assert mask("Zx9!kq2#Lm") == "****"
    assert mask("sk_live_") == "****"


def test_mask_private_key_shows_only_header() -> None:
    key = pem("RSA", 203)
    assert mask(key) == key.split("\n", 1)[0] + "****"


def test_mask_generic_long_secret_shows_two_chars() -> None:
    value = rand(ALNUM, 40, 204)
    assert mask(value) == value[:2] + "****"


@pytest.mark.parametrize("case", POSITIVES, ids=[p.id for p in POSITIVES])
def test_mask_never_reveals_more_than_four_random_chars(case: object) -> None:
    secret = case.secret  # type: ignore[attr-defined]
    masked = mask(secret)
    assert secret not in masked
    clear = masked.removesuffix("****")
    # what is shown is a prefix of the secret, and at least 14 characters stay hidden
    assert secret.startswith(clear)
    assert clear == "" or len(secret) - len(clear) >= 14


def test_redact_plain_json_escaped_and_url_encoded() -> None:
    secret = rand(B64, 40, 205) + '"/\\'
    text = " | ".join(
        [
            secret,
            json.dumps(secret),
            json.dumps(json.dumps(secret)),
            quote(secret, safe=""),
            quote_plus(secret),
        ]
    )
    out = redact(text, [secret])
    for form in (secret, json.dumps(secret)[1:-1], quote(secret, safe=""), quote_plus(secret)):
        assert form not in out
    assert out.count(mask(secret)) == 5


def test_redact_escaped_slashes_and_ascii_escapes() -> None:
    secret = "pä$$/" + rand(ALNUM, 20, 206)
    text = json.dumps({"v": secret}).replace("/", "\\/") + json.dumps({"v": secret}, ensure_ascii=False)
    out = redact(text, [secret])
    assert secret not in out and "\\u00e4$$" not in out
    assert out.count(mask(secret)) == 2


def test_redact_multiline_key_line_by_line() -> None:
    key = pem("RSA", 207)
    body_lines = key.split("\n")[1:-1]
    frame = "  12 |   " + body_lines[1] + "\n  13 |   " + body_lines[2]
    out = redact(frame, [key])
    assert all(line not in out for line in body_lines)
    assert out == "  12 |   ****\n  13 |   ****"


def test_redact_leaves_other_text_alone() -> None:
    assert redact("no secret here", [STRIPE]) == "no secret here"
    assert redact("abc", ["ab"]) == "abc"  # too short to redact safely


def test_definition_full_of_secrets_never_shows_one_in_clear() -> None:
    """Lint-like round trip: scan every string, then redact JSON, YAML and message outputs."""
    parameters = [{case.key or "field": case.value} for case in POSITIVES]
    states: dict[str, dict[str, object]] = {
        f"S{i}": {"Type": "Pass", "Parameters": params, "Next": f"S{i + 1}"}
        for i, params in enumerate(parameters)
    }
    states[f"S{len(POSITIVES)}"] = {"Type": "Succeed"}
    definition = {"StartAt": "S0", "States": states}
    found: list[str] = []
    for params in parameters:
        for key, value in params.items():
            found += [value[m.start : m.end] for m in scan(value, key=key)]
    assert sorted(found) == sorted(case.secret for case in POSITIVES)
    outputs = [
        json.dumps(definition, indent=2),
        json.dumps(definition),
        json.dumps(json.dumps(definition)),  # e.g. a DefinitionString inside a JSON report
        yaml.safe_dump(definition, width=10_000),
        "\n".join(f"secret {s!r} found" for s in found),
    ]
    for output in outputs:
        clean = redact(output, found)
        for case in POSITIVES:
            assert case.secret not in clean, case.id
            assert json.dumps(case.secret)[1:-1] not in clean, case.id


def test_mask_of_jwt_keeps_only_eyj_prefix() -> None:
    token = jwt(208)
    assert mask(token) == "eyJ" + token[3:5] + "****"
