"""Offline TestState: request validation, one state run against mocks, AWS's response shape."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from asl_lint.eval import retry
from asl_lint.eval.context import TEST_STATE_STATE_NAME, execution_context, now_iso, state_context
from asl_lint.eval.errors import (
    MALFORMED,
    NO_MOCK,
    TOLERATED_FAILURE,
    TOO_DEEP,
    StatesError,
    TestStateRequestError,
    too_deep,
)
from asl_lint.eval.inspection import inspection_data
from asl_lint.eval.mock_shapes import validate_mock_result
from asl_lint.eval.payload import compact
from asl_lint.eval.request import TestStateRequest, validate_request
from asl_lint.eval.runtime import Frame, Runtime, Variables
from asl_lint.eval.states import MapSettings, apply_catcher, run_body

__test__ = False  # not a pytest module despite the name

_HANDLED = frozenset({"Task", "Map", "Parallel"})


class MockDriver:
    """Task/Map/Parallel results come from the request's mock; nothing else is run."""

    def __init__(self, request: TestStateRequest, trace: dict[str, Any]) -> None:
        self.request = request
        self.trace = trace

    def _result(self, frame: Frame) -> Any:
        mock = self.request.mock
        if mock is None:
            raise StatesError(
                NO_MOCK,
                f"Task state '{self.request.state_name or TEST_STATE_STATE_NAME}' cannot call AWS "
                "offline; pass a mock (result or errorOutput).",
            )
        if "errorOutput" in mock:
            failure = mock["errorOutput"] or {}
            raise StatesError(failure.get("error"), failure.get("cause"))
        return self.request.mock_result

    def task(self, frame: Frame, payload: Any) -> Any:
        result = self._result(frame)
        mode = (self.request.mock or {}).get("fieldValidationMode", "STRICT")
        problem = validate_mock_result(str(frame.state.get("Resource", "")), result, mode)
        if problem:
            raise TestStateRequestError("ValidationException", problem)
        return result

    def parallel(self, frame: Frame, payload: Any) -> Any:
        return list(self._result(frame))

    def map(
        self,
        frame: Frame,
        items: list[Any],
        make_input: Callable[[int, Any], Any],
        settings: MapSettings,
    ) -> Any:
        self.trace["maxConcurrency"] = settings.max_concurrency
        if settings.tolerated_failure_count is not None:
            self.trace["toleratedFailureCount"] = settings.tolerated_failure_count
        if settings.tolerated_failure_percentage is not None:
            percentage = settings.tolerated_failure_percentage
            self.trace["toleratedFailurePercentage"] = (
                int(percentage) if percentage.is_integer() else percentage
            )
        result = self._result(frame)
        failures = self.request.configuration.get("mapIterationFailureCount")
        if failures and _exceeds(failures, len(result), settings):
            raise StatesError(TOLERATED_FAILURE, "The specified tolerated failure threshold was exceeded")
        return list(result)


def _exceeds(failures: int, total: int, settings: MapSettings) -> bool:
    count, percentage = settings.tolerated_failure_count, settings.tolerated_failure_percentage
    if count is None and percentage is None:
        return False  # observed: without a tolerance the failure count is ignored
    if count is not None and failures <= count:
        return False
    return not (percentage is not None and total and failures * 100.0 / total <= percentage)


def _context(request: TestStateRequest, execution_input: Any, kind: str) -> dict[str, Any]:
    if request.context is not None:
        return request.context
    base = execution_context(execution_input, express=True, role_arn=request.role_arn, name=str(uuid.uuid4()))
    retry_count = request.configuration.get("retrierRetryCount", 0) if kind in _HANDLED else None
    return state_context(base, TEST_STATE_STATE_NAME, now_iso(), retry_count=retry_count)


def _failure_response(failure: StatesError) -> dict[str, Any]:
    out: dict[str, Any] = {"status": "FAILED"}
    if failure.error is not None:
        out["error"] = failure.error
    if failure.cause is not None:
        out["cause"] = failure.cause
    return out


def run_test_state(request: TestStateRequest) -> dict[str, Any]:
    """Run the validated request; the TestState response dict (JSON-text fields)."""
    try:
        return _run(request)
    except MALFORMED as exc:  # a field of the wrong JSON type: AWS would reject the definition
        raise TestStateRequestError(
            "InvalidDefinition", f"Invalid State Machine Definition: 'the state is malformed: {exc!r}'"
        ) from exc


def _run(request: TestStateRequest) -> dict[str, Any]:
    state = request.state
    kind = str(state.get("Type"))
    raw = {} if request.input is None else request.input
    trace: dict[str, Any] = {"input": raw}
    variables = Variables(dict(request.variables or {}))
    runtime = Runtime(base_context={}, item_reader_data=request.configuration.get("mapItemReaderData", []))
    frame = Frame(
        request.state_name or TEST_STATE_STATE_NAME,
        state,
        request.query_language,
        _context(request, raw, kind),
        variables,
        runtime,
    )
    driver = MockDriver(request, trace)
    response: dict[str, Any]
    try:
        outcome = run_body(frame, raw, trace, driver)
        response = {"status": "SUCCEEDED", "output": compact(outcome.output)}
        if outcome.next_state is not None:
            response["nextState"] = outcome.next_state
    except StatesError as failure:
        response = _handle(frame, raw, failure, request, trace)
    if request.inspection_level in ("DEBUG", "TRACE"):
        response["inspectionData"] = inspection_data(kind, request.query_language, trace, variables)
    return response


def _handle(
    frame: Frame, raw: Any, failure: StatesError, request: TestStateRequest, trace: dict[str, Any]
) -> dict[str, Any]:
    """Retry/Catch on a failed state: RETRIABLE, CAUGHT_ERROR or FAILED, as AWS reports them."""
    state = frame.state
    if not failure.catchable or str(state.get("Type")) not in _HANDLED:
        return _failure_response(failure)
    details: dict[str, Any] = {}
    retriers = list(state.get("Retry") or [])
    index = retry.find_match(retriers, failure.error)
    if index is not None:
        done = int(request.configuration.get("retrierRetryCount", 0))
        details["retryIndex"] = index
        if done < retry.max_attempts(retriers[index]):
            details["retryBackoffIntervalSeconds"] = retry.backoff_seconds(retriers[index], done)
            trace["errorDetails"] = details
            response = _failure_response(failure)
            response["status"] = "RETRIABLE"
            return response
    catchers = list(state.get("Catch") or [])
    caught = retry.find_match(catchers, failure.error)
    if caught is None:
        if details:
            trace["errorDetails"] = details
        return _failure_response(failure)
    trace["errorDetails"] = {"catchIndex": caught}
    try:
        outcome = apply_catcher(frame, raw, catchers[caught], failure)
    except StatesError as nested:
        return _failure_response(nested)
    response = _failure_response(failure)
    response["status"] = "CAUGHT_ERROR"
    response["output"] = compact(outcome.output)
    if outcome.next_state is not None:
        response["nextState"] = outcome.next_state
    return response


def test_state(definition: dict[str, Any] | str, input: Any = None, **options: Any) -> dict[str, Any]:
    """What AWS TestState returns, computed offline (``options``: those of ``validate_request``,
    typed in ``asl_lint.eval.api.test_state``). Raises TestStateRequestError for rejected requests."""
    try:
        request = validate_request(definition, input, **options)
    except MALFORMED as exc:
        raise TestStateRequestError(
            "InvalidDefinition", f"Invalid State Machine Definition: '{exc}'"
        ) from exc
    except RecursionError:
        raise TestStateRequestError("ValidationException", TOO_DEEP) from None
    try:
        return run_test_state(request)
    except RecursionError:
        return too_deep()


test_state.__test__ = False  # type: ignore[attr-defined]  # keep pytest from collecting it
