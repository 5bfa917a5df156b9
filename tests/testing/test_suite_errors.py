"""Suites that cannot be run: exit code 2 and every problem with its file, line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.testing.helpers import FIXTURES, cli, cli_json, machine, task, write

DEFINITION = json.dumps(machine({
    "Charge": task(Next="Route"),
    "Route": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Done"}],
              "Default": "Done"},
    "Done": {"Type": "Succeed"},
}), indent=2)


def _problems(tmp_path: Path, capsys: pytest.CaptureFixture[str], suite: str, **files: str) -> list[str]:
    write(tmp_path / "flow.asl.json", DEFINITION)
    for name, text in files.items():
        write(tmp_path / name.replace("_", "."), text)
    path = write(tmp_path / "flow.sfn-test.yaml", suite)
    code, report = cli_json(capsys, str(path))
    assert code == 2
    assert report["cases"] == []
    return [f"{e['line']}:{e['column']}-{e['endLine']}:{e['endColumn']} {e['message']}" for e in report["errors"]]


def test_unknown_keys_are_named_with_a_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = "stateMachine: flow.asl.json\ncase:\n  A: {}\n"
    assert _problems(tmp_path, capsys, suite) == [
        "1:1-3:8 The suite needs cases (or a mockConfig whose test cases it runs)",
        "2:1-2:5 Unknown key 'case' in the suite; did you mean 'cases'? (known: stateMachine, resource, mockConfig, "
        "mockConfigName, machineType, startTime, cases)",
    ]


def test_case_problems_each_at_their_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = (
        "stateMachine: flow.asl.json\n"
        "cases:\n"
        "  A:\n"
        "    inptu: {}\n"
        "    mocks:\n"
        "      Charg: {Return: 1}\n"
        "      Route: {Return: 1}\n"
        "      Charge: {\"0\": {Return: 1}, \"0-1\": {Throw: {Error: E}}, \"x\": {Return: 2}}\n"
        "    expect:\n"
        "      status: PASSED\n"
        "      output: {}\n"
        "      outputContains: {}\n"
        "      path: Charge\n"
        "      retries: -1\n"
        "      cause: 3\n"
    )
    assert _problems(tmp_path, capsys, suite) == [
        "4:5-4:10 Unknown key 'inptu' in case 'A'; did you mean 'input'? (known: testCase, input, mocks, itemReader, "
        "startTime, executionName, expect)",
        "6:7-6:12 mocks: no state 'Charg' in the state machine; did you mean 'Charge'?",
        "7:7-7:12 mocks: 'Route' is a Choice state; only Task states call services and take mocked responses "
        "(a Map's ItemReader items go under itemReader)",
        "8:34-8:39 Invocations '0-1' overlap '0' of the same mocked response",
        "8:62-8:65 'x' is not an invocation number or range like \"0\" or \"1-2\" (or a single Return/Throw for every "
        "invocation)",
        "10:15-10:21 status must be one of SUCCEEDED, FAILED, TIMED_OUT, not 'PASSED'",
        "12:7-12:21 Give output (exact) or outputContains (a subset), not both",
        "13:13-13:19 path must be a list of state names",
        "14:16-14:18 retries must be a whole number ≥ 0, not -1",
        "15:14-15:15 cause must be a string (or null for none), not a number",
    ]


def test_missing_state_machine_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = "stateMachine: flows/nope.asl.json\ncases: {A: {}}\n"
    assert _problems(tmp_path, capsys, suite) == [
        "1:15-1:34 stateMachine: no such file 'flows/nope.asl.json' (paths are relative to the suite's folder)",
    ]


def test_a_file_that_holds_no_state_machine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "other.json", '{"hello": "world"}')
    suite = "stateMachine: other.json\ncases: {A: {}}\n"
    assert _problems(tmp_path, capsys, suite) == [
        f"1:15-1:25 {tmp_path / 'other.json'} holds no state machine definition (no top-level StartAt and States)",
    ]


def test_unparsable_suite_points_at_the_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "flow.asl.json", DEFINITION)
    path = write(tmp_path / "flow.sfn-test.json", '{"stateMachine": "flow.asl.json", "cases": {"A": {},}}')
    code, out, _ = cli(capsys, str(path))
    assert code == 2
    assert out.splitlines()[0] == f"ERROR   {path}:1:52: Trailing comma before '}}'"


def test_mock_config_problems_are_reported_in_the_mock_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mocks = (
        '{\n'
        '  "StateMachines": {"flow": {"TestCases": {"T": {"Charge": "Missing"}}}},\n'
        '  "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "x"}}, "2-1": {"Return": 3}}},\n'
        '  "Extra": 1\n'
        '}\n'
    )
    suite = "stateMachine: flow.asl.json\nmockConfig: mocks.json\n"
    write(tmp_path / "flow.asl.json", DEFINITION)
    write(tmp_path / "mocks.json", mocks)
    path = write(tmp_path / "flow.sfn-test.yaml", suite)
    code, report = cli_json(capsys, str(path))
    assert code == 2
    assert [(e["file"], e["line"], e["column"], e["message"]) for e in report["errors"]] == [
        (str(tmp_path / "mocks.json"), 2, 60, "No mocked response 'Missing' under MockedResponses"),
        (str(tmp_path / "mocks.json"), 3, 34,
         "A mocked response holds exactly one of Return (the service result) or Throw (Error and Cause)"),
        (str(tmp_path / "mocks.json"), 3, 74, "The range '2-1' ends before it starts"),
        (str(tmp_path / "mocks.json"), 4, 3,
         "Unknown key 'Extra' in the mock config (it has StateMachines and MockedResponses)"),
    ]


def test_mock_config_test_cases_must_name_task_states_of_the_machine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mocks = '{"StateMachines": {"flow": {"TestCases": {"T": {"Chrge": "R"}}}},\n' \
            ' "MockedResponses": {"R": {"0": {"Return": 1}}}}\n'
    write(tmp_path / "mocks.json", mocks)
    suite = "stateMachine: flow.asl.json\nmockConfig: mocks.json\ncases:\n  T: {}\n  U: {testCase: V}\n"
    problems = _problems(tmp_path, capsys, suite, mocks_json=mocks)
    assert problems == [
        "5:17-5:18 testCase 'V' is not a test case of the mock config",
        "1:49-1:56 No state 'Chrge' in " + str(tmp_path / "flow.asl.json") + "; did you mean 'Charge'?",
    ]


def test_mock_config_name_must_be_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mocks = '{"StateMachines": {"a": {"TestCases": {}}, "b": {"TestCases": {}}}, "MockedResponses": {}}'
    suite = "stateMachine: flow.asl.json\nmockConfig: mocks.json\ncases: {A: {}}\n"
    assert _problems(tmp_path, capsys, suite, mocks_json=mocks) == [
        "2:13-2:23 Name the mock config's state machine with mockConfigName: StateMachines has a, b and none is "
        "named 'flow'",
    ]
    suite = "stateMachine: flow.asl.json\nmockConfig: mocks.json\nmockConfigName: c\ncases: {A: {}}\n"
    assert _problems(tmp_path, capsys, suite, mocks_json=mocks) == [
        "3:17-3:18 The mock config has no StateMachines entry 'c' (it has a, b)",
    ]


def test_a_bad_suite_does_not_stop_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "bad.sfn-test.yaml", "stateMachine: 3\n")
    code, report = cli_json(capsys, str(tmp_path), str(FIXTURES / "orders"))
    assert code == 2
    assert [e["message"] for e in report["errors"]] == [
        "The suite needs cases (or a mockConfig whose test cases it runs)",
        "stateMachine must be the path of a file (relative to the suite), not a number",
    ]
    assert len(report["cases"]) == 4 and all(case["passed"] for case in report["cases"])
    code, _, err = cli(capsys, str(tmp_path), "--format", "junit")
    assert code == 2
    assert f"asl-lint: error: {tmp_path / 'bad.sfn-test.yaml'}:1:15: stateMachine must be" in err


def test_a_path_that_does_not_exist_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "no/such/dir")
    assert out == ""
    assert code == 2
    assert err == "asl-lint: error: no such file or directory: no/such/dir\n"
