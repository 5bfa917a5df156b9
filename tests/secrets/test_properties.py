"""Properties over arbitrary input: scan never fails and never backtracks catastrophically,
redaction never leaks."""

from __future__ import annotations

import json
from itertools import pairwise

from hypothesis import example, given, settings
from hypothesis import strategies as st

from asl_lint.secrets import mask, redact, scan
from tests.helpers import hang_guard
from tests.secrets.fakes import ALNUM, join, rand

_SECRETISH = st.text(alphabet=ALNUM + "+/=_-.:@!#$%&*\"\\'\n é", min_size=0, max_size=120)


@settings(max_examples=300, deadline=None)
@given(value=_SECRETISH, key=st.sampled_from([None, "Password", "x-api-key", "token", "Key.$", "Comment"]))
def test_scan_spans_are_within_the_value_and_ordered(value: str, key: str | None) -> None:
    matches = scan(value, key=key)
    for m in matches:
        assert 0 <= m.start < m.end <= len(value)
    assert all(a.end <= b.start for a, b in pairwise(matches))


@settings(max_examples=200, deadline=None)
@given(secret=st.text(alphabet=ALNUM + '+/=_-"\\\n é', min_size=4, max_size=80), noise=_SECRETISH)
def test_redact_removes_every_spelling(secret: str, noise: str) -> None:
    text = f"{noise} {secret} {json.dumps(secret)} {json.dumps({'v': secret}, ensure_ascii=False)}"
    out = redact(text, [secret])
    assert secret not in out.replace(mask(secret), "")
    assert json.dumps(secret)[1:-1] not in out.replace(mask(secret), "")


@settings(max_examples=200, deadline=None)
@given(secret=st.text(min_size=1, max_size=200))
@example(secret="000")  # (starts like a Salesforce token, "00…": the prefix was kept)
@example(secret="00123456")
def test_mask_never_returns_the_secret(secret: str) -> None:
    masked = mask(secret)
    assert masked.endswith("****")
    assert len(masked) - 4 <= max(0, len(secret) - 14)


def test_pathological_inputs_do_not_backtrack_catastrophically() -> None:
    # Shapes that make a careless pattern backtrack (a run a quantifier could start anywhere in,
    # nested separators), 200,000 characters long: scanned in ~0.1 s each, while a pattern that
    # retries the run from every position (``[a-z]+@`` on the first) needs ~45 s. Python's ``re``
    # counts no steps, so the guard is a hang guard sized far from both (no load makes 0.1 s
    # reach 30 s); speed itself is measured by the benchmarks.
    inputs = [
        "a" * 200_000 + "@",
        "a" * 200_000 + "://" + "b" * 200_000 + "@",
        "https://" + "b:" * 200_000 + "@",
        "password=abc&" * 20_000,
        "-----BEGIN RSA PRIVATE" + " KEY-----\n" + "A" * 400_000,
        ("eyJ" + "a" * 20 + ".") * 12_000,
        "a:" * 200_000,
    ]
    for value in inputs:
        with hang_guard(30):
            scan(value, key="token")


def test_secret_found_in_a_large_definition_string() -> None:
    stripe = join("sk", "_live_", rand(ALNUM, 24, 400))
    big = json.dumps({"States": {f"S{i}": {"Type": "Pass"} for i in range(3000)}, "K": stripe})
    (m,) = scan(big, key="DefinitionString")
    assert big[m.start : m.end] == stripe
