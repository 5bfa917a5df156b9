"""The examples in rules/ASL401.md … ASL407.md: bad triggers its rule, fixed is clean."""

from __future__ import annotations

import pytest

from asl_lint.engine.metadata import all_rules
from tests.helpers import lint, serious

CODES = [f"ASL40{i}" for i in range(1, 8)]


@pytest.mark.parametrize("code", CODES)
def test_doc_examples(code: str) -> None:
    meta = all_rules()[code]
    [(lang, bad)] = meta.examples("Example")
    [(_, good)] = meta.examples("Fixed example")
    path = "doc.asl.yaml" if lang in ("yaml", "yml") else "doc.asl.json"
    assert code in [d.code for d in lint(bad, path)]
    diags = lint(good, path)
    assert [d for d in diags if d.code == code] == []
    assert serious(diags) == []
