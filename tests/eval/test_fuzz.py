"""Random (mostly invalid) states never crash the evaluator: a result or a TestStateRequestError."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl_lint.eval import TestStateRequestError, run_execution
from asl_lint.eval import test_state as offline_test_state

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from(
        [
            "$",
            "$.a",
            "$$",
            "$x",
            "{% $states.input %}",
            "{% $nope %}",
            "States.Array($.a)",
            "a",
            "",
            "2016-03-14T01:59:00Z",
        ]
    )
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "a.$", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)
_FIELDS = [
    "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Result", "Assign", "Output",
    "Arguments", "Items", "ItemsPath", "ItemSelector", "MaxConcurrencyPath", "ToleratedFailureCount",
    "SecondsPath", "Timestamp", "TimestampPath", "Error", "CausePath", "Choices", "Default", "Retry", "Catch",
    "Branches", "ItemProcessor", "ItemBatcher", "MaxConcurrency", "ToleratedFailurePercentage",
    "TimeoutSeconds", "HeartbeatSecondsPath", "Credentials",
]  # fmt: skip
_STATES = st.fixed_dictionaries(
    {"Type": st.sampled_from(["Pass", "Choice", "Wait", "Succeed", "Fail", "Task", "Map", "Parallel"])},
    optional={
        **{name: _VALUES for name in _FIELDS},
        "QueryLanguage": st.sampled_from(["JSONata", "JSONPath"]),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(_STATES, _VALUES)
def test_random_states_never_crash(state: dict[str, Any], data: Any) -> None:
    state = {**state, "End": True}
    result = run_execution({"StartAt": "S", "States": {"S": state}}, data, mocks={"S": {"a": 1}})
    assert result["status"] in ("SUCCEEDED", "FAILED")
    mock = {"result": "[]"} if state["Type"] in ("Task", "Map", "Parallel") else None
    try:
        response = offline_test_state(state, data, mock=mock, inspection_level="DEBUG")
    except TestStateRequestError as exc:
        assert exc.code in ("InvalidDefinition", "ValidationException")
    else:
        assert response["status"] in ("SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR")
