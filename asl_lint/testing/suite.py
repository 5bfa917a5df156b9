"""Test suites (``*.sfn-test.yaml`` / ``*.sfn-test.json``): reading and checking them, with positions.

A suite names a state machine, optionally an AWS Step Functions Local mock config, and cases::

    stateMachine: order.asl.json        # definition file or CloudFormation/SAM template
    resource: OrderMachine              # which machine of a template
    mockConfig: MockConfigFile.json     # optional
    mockConfigName: OrderFlow           # the StateMachines key (default: see _config_machine)
    cases:
      HappyPath:                        # a TestCases entry of the mock config, or a case of its own
        input: {orderId: o-1}
        mocks: {Charge: {Return: {...}}}
        expect: {status: SUCCEEDED, output: {...}, path: [Charge, Notify]}

Every problem is reported with its file, line and column; a suite with problems is not run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asl_lint.eval.mocks import ResponseSequence
from asl_lint.source.pointer import join
from asl_lint.testing.document import Document, Problems, SuiteError, describe, did_you_mean
from asl_lint.testing.machines import LoadedMachine, MachineError, load_machine
from asl_lint.testing.mockconfig import MockConfig, load_mock_config, parse_inline_mocks

SUITE_SUFFIXES = (".sfn-test.yaml", ".sfn-test.yml", ".sfn-test.json")
STATUSES = ("SUCCEEDED", "FAILED", "TIMED_OUT")
_SUITE_KEYS = ("stateMachine", "resource", "mockConfig", "mockConfigName", "machineType", "startTime", "cases")
_CASE_KEYS = ("testCase", "input", "mocks", "itemReader", "startTime", "executionName", "expect")
_EXPECT_KEYS = ("status", "output", "outputContains", "error", "cause", "path", "retries", "duration")
MISSING: Any = object()  # an expectation field the case does not set


@dataclass
class Expectation:
    status: str | None = None
    output: Any = MISSING
    output_contains: Any = MISSING
    error: Any = MISSING
    cause: Any = MISSING
    path: list[str] | None = None
    retries: int | None = None
    duration: float | None = None


@dataclass
class Case:
    name: str
    pointer: str  # of the case in the suite file ("" for a case taken from the mock config alone)
    input: Any = None
    responses: dict[str, ResponseSequence] = field(default_factory=dict)
    test_case: str | None = None  # the TestCases entry used, if any
    item_readers: dict[str, Any] = field(default_factory=dict)
    start_time: str | None = None
    execution_name: str | None = None
    expect: Expectation | None = None  # None: the case only has to succeed


@dataclass
class Suite:
    document: Document
    machine: LoadedMachine
    cases: list[Case]
    mock_config: MockConfig | None = None
    mock_config_name: str | None = None

    @property
    def file(self) -> str:
        return self.document.display


def is_suite_file(name: str) -> bool:
    return name.lower().endswith(SUITE_SUFFIXES)


def load_suite(path: Path, display: str | None = None) -> Suite:
    """Read and check a suite; SuiteError lists every problem (suite, mock config or machine) with its position."""
    document = Document.load(path, display or str(path))
    return _Reader(document).suite()


class _Reader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems = Problems(document)
        self.base = document.path.parent
        self.shown_base = os.path.dirname(document.display)
        self._state_map: dict[str, Any] | None = None

    def states(self, machine: LoadedMachine) -> dict[str, Any]:
        if self._state_map is None:
            self._state_map = _states(machine.definition)
        return self._state_map

    def add(self, pointer: str, message: str, key: bool = False) -> None:
        self.problems.add(pointer, message, key)

    def suite(self) -> Suite:
        root = self.document.value
        if not isinstance(root, dict):
            self.add("", f"A suite is a mapping with stateMachine and cases, not {describe(root)}")
            self.problems.raise_if_any()
        self._unknown_keys(root, "", _SUITE_KEYS, "the suite")
        machine = self._machine(root)
        config = self._mock_config(root)
        config_name = self._config_name(root, config, machine) if config is not None and machine else None
        machine_type = self._enum(root, "/machineType", ("STANDARD", "EXPRESS"))
        if machine is not None and machine_type:
            machine.machine_type = machine_type
        start_time = self._timestamp(root, "/startTime")
        cases = self._cases(root, machine, config, config_name, start_time)
        self.problems.raise_if_any()
        assert machine is not None  # a missing machine is a problem, raised above
        return Suite(self.document, machine, cases, config, config_name)

    # --- the machine and the mock config ------------------------------------------------------
    def _file(self, root: dict[str, Any], key: str) -> tuple[Path, str] | None:
        value = root.get(key)
        if not isinstance(value, str) or not value:
            self.add(join("", key), f"{key} must be the path of a file (relative to the suite), not {describe(value)}")
            return None
        path = self.base / value
        shown = os.path.normpath(os.path.join(self.shown_base, value))
        if not path.is_file():
            self.add(join("", key), f"{key}: no such file '{value}' (paths are relative to the suite's folder)")
            return None
        return path, shown

    def _machine(self, root: dict[str, Any]) -> LoadedMachine | None:
        if "stateMachine" not in root:
            self.add("", "The suite needs stateMachine: the definition file or template to test", key=True)
            return None
        found = self._file(root, "stateMachine")
        resource = root.get("resource")
        if resource is not None and not isinstance(resource, str):
            self.add("/resource", f"resource must be a logical id (a string), not {describe(resource)}")
            return None
        if found is None:
            return None
        try:
            return load_machine(found[0], found[1], resource)
        except MachineError as exc:
            self.add("/resource" if resource is not None and "resource" in str(exc) else "/stateMachine", str(exc))
            return None

    def _mock_config(self, root: dict[str, Any]) -> MockConfig | None:
        if "mockConfig" not in root:
            if "mockConfigName" in root:
                self.add("/mockConfigName", "mockConfigName needs a mockConfig", key=True)
            return None
        found = self._file(root, "mockConfig")
        if found is None:
            return None
        try:
            return load_mock_config(*found)
        except SuiteError as exc:
            self.problems.found.extend(exc.problems)
            return None

    def _config_name(self, root: dict[str, Any], config: MockConfig, machine: LoadedMachine) -> str | None:
        names = list(config.machines)
        given = root.get("mockConfigName")
        if given is not None:
            if given in config.machines:
                return str(given)
            self.add("/mockConfigName", f"The mock config has no StateMachines entry '{given}'"
                     f"{did_you_mean(str(given), names)} (it has {', '.join(names) or 'none'})")
            return None
        if machine.name in config.machines:
            return machine.name
        if len(names) == 1:
            return names[0]
        if not names:
            return None
        self.add("/mockConfig", f"Name the mock config's state machine with mockConfigName: StateMachines has "
                 f"{', '.join(names)} and none is named '{machine.name}'")
        return None

    # --- cases ---------------------------------------------------------------------------------
    def _cases(
        self,
        root: dict[str, Any],
        machine: LoadedMachine | None,
        config: MockConfig | None,
        config_name: str | None,
        start_time: str | None,
    ) -> list[Case]:
        test_cases = config.machines.get(config_name, {}) if config is not None and config_name else {}
        if config is not None and config_name and machine is not None:
            self._check_test_cases(config, config_name, machine)
        if "cases" not in root:
            if not test_cases:
                if config is not None or "mockConfig" not in root:  # else: the mock config's problems say why
                    self.add("", "The suite needs cases (or a mockConfig whose test cases it runs)", key=True)
                return []
            assert config is not None and config_name is not None
            return [
                Case(name, "", responses=self._responses(config, test_cases[name]), test_case=name,
                     start_time=start_time)
                for name in test_cases
            ]
        cases = root["cases"]
        if not isinstance(cases, dict) or not cases:
            self.add("/cases", f"cases must map case names to cases, not be {describe(cases) if cases else 'empty'}")
            return []
        return [
            case
            for name, body in cases.items()
            if (case := self._case(str(name), body, machine, config, test_cases, start_time)) is not None
        ]

    def _case(
        self,
        name: str,
        body: Any,
        machine: LoadedMachine | None,
        config: MockConfig | None,
        test_cases: dict[str, dict[str, str]],
        start_time: str | None,
    ) -> Case | None:
        pointer = join("/cases", name)
        if body is None:
            body = {}
        if not isinstance(body, dict):
            self.add(pointer, f"Case '{name}' must be a mapping (input, mocks, expect …), not {describe(body)}")
            return None
        self._unknown_keys(body, pointer, _CASE_KEYS, f"case '{name}'")
        case = Case(name, pointer, input=body.get("input"), start_time=start_time)
        test_case = body.get("testCase")
        if test_case is not None:
            if not isinstance(test_case, str) or test_case not in test_cases:
                where = "the mock config" if config is not None else "a mockConfig (the suite has none)"
                self.add(join(pointer, "testCase"), f"testCase '{test_case}' is not a test case of {where}"
                         f"{did_you_mean(str(test_case), list(test_cases))}")
                test_case = None
        elif name in test_cases:
            test_case = name
        if test_case is not None and config is not None:
            case.test_case = test_case
            case.responses = self._responses(config, test_cases[test_case])
        if "mocks" in body:
            case.responses.update(self._inline_mocks(body["mocks"], join(pointer, "mocks"), machine, config))
        if "itemReader" in body:
            case.item_readers = self._item_readers(body["itemReader"], join(pointer, "itemReader"), machine)
        case.start_time = self._timestamp(body, join(pointer, "startTime")) or start_time
        execution_name = body.get("executionName")
        if execution_name is not None and not isinstance(execution_name, str):
            self.add(join(pointer, "executionName"), f"executionName must be a string, not {describe(execution_name)}")
        case.execution_name = execution_name if isinstance(execution_name, str) else None
        if "expect" in body:
            case.expect = self._expect(body["expect"], join(pointer, "expect"))
        return case

    @staticmethod
    def _responses(config: MockConfig, mapping: dict[str, str]) -> dict[str, ResponseSequence]:
        return {state: config.responses[response] for state, response in mapping.items()}

    def _inline_mocks(
        self, value: Any, pointer: str, machine: LoadedMachine | None, config: MockConfig | None
    ) -> dict[str, ResponseSequence]:
        out: dict[str, ResponseSequence] = {}
        for state, sequence in parse_inline_mocks(value, pointer, self.problems).items():
            at = join(pointer, state)
            if machine is not None and not self._is_task(machine, state, at, "mocks"):
                continue
            if isinstance(sequence, str):
                if config is None or sequence not in config.responses:
                    known = list(config.responses) if config is not None else []
                    self.add(at, f"'{sequence}' is not a MockedResponses entry of the mock config"
                             f"{did_you_mean(sequence, known)}" if config is not None
                             else f"'{sequence}' names a mocked response, but the suite has no mockConfig")
                    continue
                sequence = config.responses[sequence]
            out[state] = sequence
        return out

    def _item_readers(self, value: Any, pointer: str, machine: LoadedMachine | None) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.add(pointer, f"itemReader must map Map state names to the items they read, not be {describe(value)}")
            return {}
        out: dict[str, Any] = {}
        for state, items in value.items():
            at = join(pointer, state)
            states = self.states(machine) if machine is not None else {}
            if machine is not None and not isinstance(states.get(state), dict):
                self.add(at, f"itemReader: no state '{state}' in the state machine{did_you_mean(state, list(states))}",
                         key=True)
                continue
            if machine is not None and "ItemReader" not in states[state]:
                self.add(at, f"itemReader: '{state}' has no ItemReader", key=True)
                continue
            if not isinstance(items, list):
                self.add(at, f"The items of '{state}' must be a list, not {describe(items)}")
                continue
            out[state] = items
        return out

    def _is_task(self, machine: LoadedMachine, state: str, pointer: str, what: str) -> bool:
        states = self.states(machine)
        body = states.get(state)
        if not isinstance(body, dict):
            self.add(pointer, f"{what}: no state '{state}' in the state machine{did_you_mean(state, list(states))}",
                     key=True)
            return False
        if body.get("Type") != "Task":
            self.add(pointer, f"{what}: '{state}' is a {body.get('Type')} state; only Task states call services "
                     "and take mocked responses (a Map's ItemReader items go under itemReader)", key=True)
            return False
        return True

    def _check_test_cases(self, config: MockConfig, name: str, machine: LoadedMachine) -> None:
        """Every state a TestCases entry mocks must be a Task of the machine (typos fail loudly)."""
        assert config.document is not None
        problems = Problems(config.document)
        states = self.states(machine)
        for case, mapping in config.machines.get(name, {}).items():
            for state in mapping:
                body = states.get(state)
                if not isinstance(body, dict):
                    problems.add(config.case_pointer(name, case, state), f"No state '{state}' in {machine.label}"
                                 f"{did_you_mean(state, list(states))}", key=True)
                elif body.get("Type") != "Task":
                    problems.add(config.case_pointer(name, case, state), f"'{state}' is a {body.get('Type')} state; "
                                 "only Task states take mocked responses", key=True)
        self.problems.found.extend(problems.found)

    # --- expectations ---------------------------------------------------------------------------
    def _expect(self, value: Any, pointer: str) -> Expectation | None:
        if not isinstance(value, dict):
            self.add(pointer, f"expect must be a mapping (status, output, error, path …), not {describe(value)}")
            return None
        self._unknown_keys(value, pointer, _EXPECT_KEYS, "expect")
        expect = Expectation()
        expect.status = self._enum(value, join(pointer, "status"), STATUSES) if "status" in value else None
        if "output" in value and "outputContains" in value:
            self.add(join(pointer, "outputContains"), "Give output (exact) or outputContains (a subset), not both",
                     key=True)
        expect.output = value.get("output", MISSING)
        expect.output_contains = value.get("outputContains", MISSING)
        for key in ("error", "cause"):
            if key in value and value[key] is not None and not isinstance(value[key], str):
                self.add(join(pointer, key), f"{key} must be a string (or null for none), not {describe(value[key])}")
        expect.error = value.get("error", MISSING)
        expect.cause = value.get("cause", MISSING)
        if "path" in value:
            path = value["path"]
            if not isinstance(path, list) or not all(isinstance(p, str) for p in path):
                self.add(join(pointer, "path"), "path must be a list of state names")
            else:
                expect.path = path
        if "retries" in value:
            retries = value["retries"]
            if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
                self.add(join(pointer, "retries"), f"retries must be a whole number ≥ 0, not {retries!r}")
            else:
                expect.retries = retries
        if "duration" in value:
            duration = value["duration"]
            if isinstance(duration, bool) or not isinstance(duration, int | float) or duration < 0:
                self.add(join(pointer, "duration"), f"duration must be a number of seconds ≥ 0, not {duration!r}")
            else:
                expect.duration = duration
        return expect

    # --- small helpers --------------------------------------------------------------------------
    def _unknown_keys(self, mapping: dict[str, Any], pointer: str, known: tuple[str, ...], where: str) -> None:
        for key in mapping:
            if key not in known:
                self.add(join(pointer, str(key)), f"Unknown key '{key}' in {where}{did_you_mean(str(key), known)} "
                         f"(known: {', '.join(known)})", key=True)

    def _enum(self, mapping: dict[str, Any], pointer: str, allowed: tuple[str, ...]) -> str | None:
        key = pointer.rsplit("/", 1)[1]
        if key not in mapping:
            return None
        value = mapping[key]
        if value not in allowed:
            self.add(pointer, f"{key} must be one of {', '.join(allowed)}, not {value!r}")
            return None
        return str(value)

    def _timestamp(self, mapping: dict[str, Any], pointer: str) -> str | None:
        from asl_lint.eval.timestamps import parse_timestamp

        key = pointer.rsplit("/", 1)[1]
        value = mapping.get(key)
        if value is None:
            return None
        if parse_timestamp(value) is None:
            self.add(pointer, f"{key} must be an RFC 3339 timestamp like 2024-01-01T00:00:00Z, not {value!r}")
            return None
        return str(value)


def _states(definition: dict[str, Any]) -> dict[str, Any]:
    """Every state by name, nested ones included (state names are unique in a machine)."""
    from asl_lint.eval.request import walk_states

    return {name: state for name, _, state in walk_states(definition.get("States") or {}, "")}
