"""Run one workflow execution offline with mocked service integrations: ``run(...) -> Execution``."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from asl_lint.eval.context import DEFAULT_ROLE_ARN, STATE_MACHINE_NAME
from asl_lint.eval.mocks import ResponseSequence
from asl_lint.eval.runtime import Limits

Status = Literal["SUCCEEDED", "FAILED", "TIMED_OUT"]


@dataclass(frozen=True)
class Marks:
    """What one execution exercised, as JSON pointers from the definition root."""

    states: frozenset[str] = frozenset()  # states entered (nested ones included)
    branches: frozenset[str] = frozenset()  # Choice branches taken: ".../Choices/1", ".../Default"
    retriers: frozenset[str] = frozenset()  # ".../Retry/0" that fired at least once
    catchers: frozenset[str] = frozenset()  # ".../Catch/0" that caught an error


@dataclass
class Execution:
    """The result of an offline execution, with what AWS's GetExecutionHistory would show.

    ``output`` is the decoded output (None unless SUCCEEDED); ``path`` the top-level states entered
    in order (a retry is not a new entry); ``history`` the events in GetExecutionHistory's shape;
    ``duration`` the simulated seconds (Wait states and retry backoff on the virtual clock).
    """

    status: Status
    output: Any = None
    error: str | None = None
    cause: str | None = None
    path: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    retries: int = 0
    duration: float = 0.0
    marks: Marks = field(default_factory=Marks)

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"

    @property
    def output_json(self) -> str | None:
        """The output as JSON text, the way AWS returns it."""
        return None if self.status != "SUCCEEDED" else json.dumps(self.output, separators=(",", ":"),
                                                                   ensure_ascii=False)


def run(
    definition: dict[str, Any] | str | os.PathLike[str],
    input: Any = None,
    *,
    mocks: Mapping[str, Any] | None = None,
    mock_config: Mapping[str, Any] | os.PathLike[str] | None = None,
    test_case: str | None = None,
    state_machine: str | None = None,
    resource: str | None = None,
    item_readers: Mapping[str, Any] | None = None,
    machine_type: Literal["STANDARD", "EXPRESS"] | None = None,
    start_time: datetime | str | None = None,
    execution_name: str | None = None,
    role_arn: str = DEFAULT_ROLE_ARN,
    limits: Limits | None = None,
) -> Execution:
    """Run a state machine offline; every Task result comes from a mocked response.

    - ``definition``: a dict, JSON/YAML text, or the path (``os.PathLike``, or a ``str`` naming an
      existing file) of a definition file, CloudFormation/SAM template, CDK output or
      ``serverless.yml`` (``resource`` names the machine when the file has several).
    - ``mocks``: Task state name to a mocked response in Step Functions Local's format:
      ``{"Return": result}`` or ``{"Throw": {"Error": ..., "Cause": ...}}`` (every invocation),
      ``{"0": {...}, "1-2": {...}}`` (by invocation number), or the name of an entry of the mock
      config's MockedResponses. These win over the test case's.
    - ``mock_config`` (a dict or a ``MockConfigFile.json`` path) and ``test_case``: a TestCases entry
      of ``state_machine`` (default: the only StateMachines entry, or the one named like the machine).
    - ``item_readers``: Map state name to the items its ItemReader would read.
    - ``start_time`` (default: now) and ``execution_name`` (default: a UUID) shape the Context object.

    A Task without a mocked response fails the execution with ``AslLint.NoMock`` (no Catch takes
    it). Raises ValueError for malformed mocks, a bad mock config, or an unknown test case.
    """
    from asl_lint.eval.loading import load_definition
    from asl_lint.testing.mockconfig import mocks_from_python

    name = STATE_MACHINE_NAME
    if isinstance(definition, str) and "\n" not in definition and not definition.lstrip().startswith("{") \
            and os.path.isfile(definition):
        definition = Path(definition)  # a file name, not definition text
    if isinstance(definition, os.PathLike):
        from asl_lint.testing.machines import load_machine

        loaded = load_machine(Path(definition), os.fspath(definition), resource)
        body, name = loaded.definition, loaded.name
        machine_type = machine_type or loaded.machine_type  # type: ignore[assignment]
    else:
        body = load_definition(definition)
    config = _mock_config(mock_config)
    responses: dict[str, ResponseSequence] = {}
    if test_case is not None:
        if config is None:
            raise ValueError("test_case needs a mock_config")
        responses.update(case_responses(config, _config_machine(config, state_machine, name), test_case))
    if mocks:
        responses.update(mocks_from_python(mocks, config))
    return execute(
        body,
        input,
        responses,
        case=test_case,
        item_readers=dict(item_readers or {}),
        machine_type=machine_type or "STANDARD",
        start_time=start_time,
        execution_name=execution_name,
        machine_name=name,
        role_arn=role_arn,
        limits=limits,
    )


def _mock_config(value: Mapping[str, Any] | os.PathLike[str] | None) -> Any:
    from asl_lint.testing.document import Document
    from asl_lint.testing.mockconfig import load_mock_config, parse_mock_config

    if value is None:
        return None
    if isinstance(value, os.PathLike):
        return load_mock_config(Path(value), os.fspath(value))
    return parse_mock_config(Document(Path("<mock_config>"), "mock_config", "", dict(value), {}))


def _config_machine(config: Any, wanted: str | None, machine: str) -> str:
    names = list(config.machines)
    if wanted is not None:
        if wanted not in config.machines:
            raise ValueError(f"the mock config has no StateMachines entry '{wanted}' (it has {', '.join(names)})")
        return wanted
    if machine in config.machines:
        return machine
    if len(names) == 1:
        return names[0]
    raise ValueError(f"name the mock config's state machine with state_machine= (it has {', '.join(names)})")


def case_responses(config: Any, machine: str, case: str) -> dict[str, ResponseSequence]:
    """Task state -> mocked response of one TestCases entry."""
    cases = config.machines.get(machine, {})
    if case not in cases:
        from asl_lint.testing.document import did_you_mean

        hint = did_you_mean(case, list(cases))
        raise ValueError(f"StateMachines.{machine}.TestCases has no test case '{case}'{hint}")
    return {state: config.responses[response] for state, response in cases[case].items()}


def execute(
    definition: dict[str, Any],
    input: Any,
    responses: Mapping[str, ResponseSequence],
    *,
    case: str | None = None,
    item_readers: dict[str, Any] | None = None,
    machine_type: str = "STANDARD",
    start_time: datetime | str | None = None,
    execution_name: str | None = None,
    machine_name: str = STATE_MACHINE_NAME,
    role_arn: str = DEFAULT_ROLE_ARN,
    limits: Limits | None = None,
    history: bool = True,
) -> Execution:
    """One execution through the evaluator, recording its coverage marks and (with ``history``) its events."""
    from asl_lint.eval.context import execution_context
    from asl_lint.eval.errors import too_deep
    from asl_lint.eval.execution import MAX_DURATION
    from asl_lint.eval.execution import execute as run_machine
    from asl_lint.eval.history import Recorder, context_time
    from asl_lint.eval.mocks import MockedResponses
    from asl_lint.eval.runtime import Runtime

    start = _start(start_time)
    execution_input = {} if input is None else input
    recorder = Recorder(start, history)
    runtime = Runtime(
        base_context=execution_context(
            execution_input,
            express=machine_type == "EXPRESS",
            role_arn=role_arn,
            name=execution_name,
            state_machine_name=machine_name,
            start_time=context_time(start, 0.0),
        ),
        limits=limits or Limits(),
        start=start,
        responder=MockedResponses(dict(responses), case),
        item_readers=dict(item_readers or {}),
        recorder=recorder,
        deadline=MAX_DURATION.get(machine_type, MAX_DURATION["STANDARD"]),
        virtual_clock=True,
    )
    try:
        result = run_machine(definition, execution_input, runtime)
    except RecursionError:
        result = too_deep()
    output = json.loads(result["output"]) if result["status"] == "SUCCEEDED" else None
    return Execution(
        status=result["status"],
        output=output,
        error=result.get("error"),
        cause=result.get("cause"),
        path=list(recorder.path),
        history=recorder.events,
        retries=recorder.retries,
        duration=recorder.duration,
        marks=Marks(
            frozenset(recorder.states),
            frozenset(recorder.branches),
            frozenset(recorder.retriers),
            frozenset(recorder.catchers),
        ),
    )


def _start(value: datetime | str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    from asl_lint.eval.timestamps import parse_timestamp

    seconds = parse_timestamp(value)
    if seconds is None:
        raise ValueError(f"start_time {value!r} is not an RFC 3339 timestamp like 2024-01-01T00:00:00Z")
    return datetime.fromtimestamp(float(seconds), UTC)
