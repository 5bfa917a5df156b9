"""Properties: subsumption agrees with matching; --fix keeps every other byte and repairs the order."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asl_lint.cli import main
from asl_lint.errors import matches, subsumed
from tests.helpers import lint

NAMES = [
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.Runtime",
    "States.Permissions",
    "Lambda.ServiceException",
    "Custom.Error",
]
RAISED = [n for n in NAMES if n != "States.ALL"] + ["Other.Error"]


@given(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=4))
def test_subsumed_means_every_match_is_taken_earlier(pattern: str, earlier: list[str]) -> None:
    if subsumed(pattern, earlier):
        for error in RAISED:
            if matches(pattern, error):
                assert any(matches(p, error) for p in earlier)


@settings(max_examples=15, deadline=None)
@given(
    indent=st.sampled_from([2, 4, "\t"]),
    others=st.lists(
        st.sampled_from(["States.Timeout", "Custom.Error", "States.Permissions"]), min_size=1, max_size=3, unique=True
    ),
    position=st.integers(min_value=0, max_value=2),
)
def test_fix_moves_states_all_last_and_keeps_the_rest(
    tmp_path_factory: pytest.TempPathFactory, indent: int | str, others: list[str], position: int
) -> None:
    retry: list[dict[str, object]] = [{"ErrorEquals": [name], "MaxAttempts": 1} for name in others]
    retry.insert(min(position, len(retry) - 1), {"ErrorEquals": ["States.ALL"], "MaxAttempts": 2})
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Comment": "  spaced  ",
        "Retry": retry,
        "End": True,
    }
    text = json.dumps({"StartAt": "T", "States": {"T": task}}, indent=indent) + "\n"
    path = tmp_path_factory.mktemp("fix") / "t.asl.json"
    path.write_text(text, encoding="utf-8")
    main(["check", "--fix", "--exit-zero", "--select", "ASL4", str(path)])
    fixed = path.read_text(encoding="utf-8")
    value = json.loads(fixed)["States"]["T"]
    assert value["Retry"][-1]["ErrorEquals"] == ["States.ALL"]
    assert sorted(map(json.dumps, value["Retry"])) == sorted(map(json.dumps, retry))
    assert fixed.startswith(text[: text.index('"Retry"')])  # everything before Retry is untouched
    assert fixed.endswith(text[text.index('"End"') - 1 :].lstrip(",\n\t "))
    assert not [d for d in lint(fixed) if d.code in ("ASL402", "ASL403")]
