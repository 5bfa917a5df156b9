"""TestState requests: reading the parameters and rejecting what AWS rejects, with its messages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from asl_lint.eval.errors import TestStateRequestError
from asl_lint.eval.loading import load_definition
from asl_lint.eval.runtime import JSONPATH

STATE_TYPES = ("Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map")
_CONTEXT_FIELDS = ("Execution", "State", "StateMachine", "Task")
_VALIDATION = "ValidationException"
_INVALID_DEFINITION = "InvalidDefinition"



@dataclass
class TestStateRequest:
    __test__ = False

    state: dict[str, Any]
    state_name: str | None
    query_language: str
    input: Any
    inspection_level: str
    variables: dict[str, Any] | None
    context: dict[str, Any] | None
    mock: dict[str, Any] | None
    mock_result: Any
    reveal_secrets: bool
    role_arn: str | None
    configuration: dict[str, Any] = field(default_factory=dict)


def _schema_error(message: str) -> TestStateRequestError:
    return TestStateRequestError(
        _INVALID_DEFINITION, f"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: {message}'"
    )


def walk_states(states: dict[str, Any], prefix: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, location, state) for every state, nested ones included."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    for name, state in states.items():
        location = f"{prefix}/States/{name}"
        found.append((name, location, state if isinstance(state, dict) else {}))
        if not isinstance(state, dict):
            continue
        for index, branch in enumerate(state.get("Branches") or []):
            if isinstance(branch, dict):
                found += walk_states(branch.get("States") or {}, f"{location}/Branches[{index}]")
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if isinstance(processor, dict):
            found += walk_states(processor.get("States") or {}, f"{location}/ItemProcessor")
    return found


def _check_state_shape(location: str, state: dict[str, Any]) -> None:
    if state.get("Type") not in STATE_TYPES:
        raise _schema_error(
            f"The field 'Type' should have one of these values: [{', '.join(STATE_TYPES)}] at {location}/Type"
        )
    if state.get("Type") == "Parallel":
        branches = state.get("Branches")
        if not branches:
            raise _schema_error(f"Value cannot be empty at {location}/Branches")
        if not isinstance(branches, list) or not all(isinstance(b, dict) for b in branches):
            raise _schema_error(f"The field 'Branches' must be an array of objects at {location}/Branches")


def _select_state(machine: dict[str, Any], state_name: str | None) -> tuple[dict[str, Any], str]:
    if state_name is None:
        _check_state_shape("/States/StateName", machine)
        return machine, str(machine.get("QueryLanguage", JSONPATH))
    if state_name == "":
        raise TestStateRequestError(
            _VALIDATION, "Invalid length for parameter stateName, value: 0, valid min length: 1"
        )
    everything = walk_states(machine.get("States") or {}, "")
    for _, location, state in everything:
        _check_state_shape(location, state)
    for name, _, state in everything:
        if name == state_name:
            return state, str(state.get("QueryLanguage", machine.get("QueryLanguage", JSONPATH)))
    raise TestStateRequestError(_VALIDATION, "State not found in definition")


def _mock_result(mock: dict[str, Any]) -> Any:
    raw = mock.get("result")
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        raise TestStateRequestError(_VALIDATION, "Mocked result must be valid JSON") from None


def _check_mock(
    state: dict[str, Any], mock: dict[str, Any] | None, reveal: bool, config: dict[str, Any]
) -> Any:
    kind = state.get("Type")
    if mock is None:
        if config.get("mapIterationFailureCount") is not None:
            raise TestStateRequestError(
                _VALIDATION,
                "TestState does not support MapIterationFailureCount when a mock is not specified.",
            )
        if kind in ("Map", "Parallel"):
            raise TestStateRequestError(
                _INVALID_DEFINITION,
                "TestState API does not support Map or Parallel states. Supported state types include: "
                "[Task, Wait, Pass, Succeed, Fail, Choice]",
            )
        return None
    if ("result" in mock) == ("errorOutput" in mock):
        raise TestStateRequestError(
            _VALIDATION, "A test mock should have only one of the following fields: [result, errorOutput]."
        )
    if reveal:
        raise TestStateRequestError(
            _VALIDATION, "TestState does not support RevealSecrets when a mock is specified."
        )
    if kind not in ("Task", "Map", "Parallel"):
        raise TestStateRequestError(
            _VALIDATION, f"State type '{kind}' is not supported when a mock is specified"
        )
    if "errorOutput" in mock:
        return None
    result = _mock_result(mock)
    if kind == "Parallel":
        if not isinstance(result, list):
            raise TestStateRequestError(_VALIDATION, "Mocked result must be an array.")
        if len(result) != len(state.get("Branches") or []):
            raise TestStateRequestError(
                _VALIDATION,
                "Mocked result must contain the same number of items as number of Parallel branches.",
            )
    if kind == "Map":
        if "ResultWriter" in state:
            if not isinstance(result, dict):
                raise TestStateRequestError(_VALIDATION, "Mocked result must be a JSON object.")
        elif not isinstance(result, list):
            raise TestStateRequestError(_VALIDATION, "Mocked result must be an array.")
        failures = config.get("mapIterationFailureCount")
        if isinstance(result, list) and failures is not None and failures > len(result):
            raise TestStateRequestError(
                _VALIDATION,
                "Map iteration failure count must be less than or equal to the number of Map iterations",
            )
    return result


def _check_context(state: dict[str, Any], context: dict[str, Any]) -> None:
    if not isinstance(context, dict):
        raise TestStateRequestError(_VALIDATION, "Invalid Context object provided: must be a JSON object")
    if "Map" in context:
        raise TestStateRequestError(
            _VALIDATION,
            "Invalid Context object provided: 'Map' field is not supported when mocking a Context object",
        )
    for key in context:
        if key not in _CONTEXT_FIELDS:
            raise TestStateRequestError(
                _VALIDATION, f"Invalid Context object provided: Field '{key}' is not allowed"
            )
    resource = str(state.get("Resource", ""))
    callback = state.get("Type") == "Task" and (".sync" in resource or resource.endswith(".waitForTaskToken"))
    if "Task" in context and not callback:
        raise TestStateRequestError(
            _VALIDATION,
            "Invalid Context object provided: Context object contains 'Task' when state is not a Task "
            "state with a '.sync' or '.waitForTaskToken' service integration pattern",
        )
    execution = context.get("Execution")
    if isinstance(execution, dict):
        for key in ("Id", "Name", "RoleArn", "StartTime"):
            if key in execution and not isinstance(execution[key], str):
                raise TestStateRequestError(
                    _VALIDATION, f"Invalid Context object provided: Execution.{key} must be a string"
                )


def validate_request(
    definition: dict[str, Any] | str,
    input: Any = None,
    *,
    state_name: str | None = None,
    inspection_level: str = "INFO",
    variables: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    mock: dict[str, Any] | None = None,
    reveal_secrets: bool = False,
    role_arn: str | None = None,
    state_configuration: dict[str, Any] | None = None,
) -> TestStateRequest:
    """Check a TestState request the way AWS does; raises TestStateRequestError when it is rejected."""
    if inspection_level not in ("INFO", "DEBUG", "TRACE"):
        raise TestStateRequestError(
            _VALIDATION,
            f"1 validation error detected: Value '{inspection_level}' at 'inspectionLevel' failed to satisfy "
            "constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]",
        )
    try:
        machine = load_definition(definition)
    except ValueError as exc:
        raise TestStateRequestError(
            _INVALID_DEFINITION, f"Invalid State Machine Definition: '{exc}'"
        ) from None
    state, query_language = _select_state(machine, state_name)
    config = dict(state_configuration or {})
    result = _check_mock(state, mock, reveal_secrets, config)
    if context is not None:
        _check_context(state, context)
    if state.get("Type") == "Task" and mock is None and not role_arn:
        raise TestStateRequestError(_VALIDATION, "RoleArn must be specified when testing a Task state")
    if variables is not None and not isinstance(variables, dict):
        raise TestStateRequestError(_VALIDATION, "Variables must be a JSON object")
    return TestStateRequest(
        state=state,
        state_name=state_name,
        query_language=query_language,
        input=input,
        inspection_level=inspection_level,
        variables=variables,
        context=context,
        mock=mock,
        mock_result=result,
        reveal_secrets=reveal_secrets,
        role_arn=role_arn,
        configuration=config,
    )
