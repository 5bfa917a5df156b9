"""scan() runs on every string of every definition: typical short values must stay in the microseconds."""

from __future__ import annotations

import time

from asl_lint.secrets import scan

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


def test_typical_short_strings_are_fast() -> None:
    for value, key in TYPICAL:  # warm caches (table, key classification)
        scan(value, key=key)
    rounds = 2000
    best = float("inf")
    for _ in range(3):  # best of three: the machine is shared
        start = time.perf_counter()
        for _ in range(rounds):
            for value, key in TYPICAL:
                scan(value, key=key)
        best = min(best, (time.perf_counter() - start) / (rounds * len(TYPICAL)))
    assert best < 20e-6, f"{best * 1e6:.1f} µs per string"
