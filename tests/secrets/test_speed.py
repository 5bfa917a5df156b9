"""scan() runs on every string of every definition: a typical short value must cost almost nothing.

Asserted by the work it does, not by a clock: the gate (one search of two combined regexes)
rejects it before any of the provider formats' regexes runs, and a value met again (most strings
recur across states, files and a language server's re-lints) is answered from the cache.
"""

from __future__ import annotations

import pytest

from asl_lint.secrets import detector, scan
from asl_lint.secrets.table import Format, table

TYPICAL: list[tuple[str, str | None]] = [
    ("$.detail.object.key", "Key.$"),
    ("arn:aws:states:::lambda:invoke", "Resource"),
    ("Process Order", "Next"),
    ("{% $states.input.orderId %}", "OrderId"),
    ("States.Format('{}/{}', $.a, $.b)", "Key.$"),
    ("application/json", "Content-Type"),
    ("${ConnectionArn}", "ConnectionArn"),
    ("RequestResponse", "InvocationType"),
    ("https://api.stripe.com/v1/charges", "ApiEndpoint"),
    ("States.TaskFailed", None),
]


def test_typical_short_strings_run_no_format_regex(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[str] = []
    may_match = Format.may_match

    def counted(self: Format, value: str, lowered: str) -> bool:
        tried.append(self.id)
        return may_match(self, value, lowered)

    monkeypatch.setattr(Format, "may_match", counted)
    detector._candidates.cache_clear()
    for value, key in TYPICAL:
        assert scan(value, key=key) == []
    assert tried == []  # the gate said no to every one: not even the formats' hints were looked at
    t = table()
    for value, _ in TYPICAL:
        assert not t.gate.search(value) and not t.gate_ci.search(value.lower())


def test_a_value_met_again_is_answered_from_the_cache() -> None:
    detector._candidates.cache_clear()
    for _ in range(3):
        for value, key in TYPICAL:
            scan(value, key=key)
    info = detector._candidates.cache_info()
    scanned = sum(1 for value, _ in TYPICAL if len(value) >= 8 and not detector._SKIP_WHOLE.match(value))
    assert (info.misses, info.hits) == (scanned, 2 * scanned)
