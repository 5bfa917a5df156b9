"""``asl-lint test --update``: new expectations for failing cases, every other line left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.testing.helpers import cli, copy_fixture, machine, task, write

DEFINITION = machine({
    "Charge": task(Catch=[{"ErrorEquals": ["Declined"], "ResultPath": "$.error", "Next": "Refused"}],
                   ResultPath="$.charge", Next="Done"),
    "Done": {"Type": "Succeed"},
    "Refused": {"Type": "Fail", "Error": "PaymentRefused", "CausePath": "$.error.Cause"},
})


def _suite(tmp_path: Path, text: str, name: str = "pay.sfn-test.yaml") -> Path:
    write(tmp_path / "pay.asl.json", json.dumps(DEFINITION))
    return write(tmp_path / name, text)


SUITE = """\
# Payments.
stateMachine: pay.asl.json
cases:
  Paid:   # the happy path
    input: {items: [{sku: a}, {sku: b}], note: 'keep: me'}
    mocks:
      Charge: {Return: {id: c-1}}
    expect:
      status: SUCCEEDED    # must succeed
      output: {items: [{sku: a}], note: 'keep: me', charge: {id: c-1}}
      retries: 0

  Declined:
    mocks:
      Charge: {Throw: {Error: Declined, Cause: "card: expired"}}
    expect: {status: SUCCEEDED}   # wrong

  New:
    input: {n: 1}
    mocks:
      Charge: {Return: {id: c-2}}

  NoMock:
    input: {}
"""


def test_update_rewrites_only_failing_and_new_cases_leaving_other_lines_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = _suite(tmp_path, SUITE)
    code, out, _ = cli(capsys, str(suite), "--update")
    assert code == 1  # NoMock cannot be fixed by an expectation
    assert [line.split()[0:2] for line in out.splitlines()[1:5]] == [
        ["UPDATED", "Paid"], ["UPDATED", "Declined"], ["UPDATED", "New"], ["FAIL", "NoMock"],
    ]
    assert suite.read_text(encoding="utf-8") == """\
# Payments.
stateMachine: pay.asl.json
cases:
  Paid:   # the happy path
    input: {items: [{sku: a}, {sku: b}], note: 'keep: me'}
    mocks:
      Charge: {Return: {id: c-1}}
    expect:
      status: SUCCEEDED    # must succeed
      output: {items: [{sku: a}, {sku: b}], note: 'keep: me', charge: {id: c-1}}
      retries: 0
      path: [Charge, Done]

  Declined:
    mocks:
      Charge: {Throw: {Error: Declined, Cause: "card: expired"}}
    expect:
      status: FAILED
      error: PaymentRefused
      cause: 'card: expired'
      path: [Charge, Refused]   # wrong

  New:
    input: {n: 1}
    mocks:
      Charge: {Return: {id: c-2}}
    expect:
      status: SUCCEEDED
      output: {n: 1, charge: {id: c-2}}
      path: [Charge, Done]

  NoMock:
    input: {}
"""
    code, out, _ = cli(capsys, str(suite))
    assert code == 1
    assert [line.split()[0] for line in out.splitlines()[1:5]] == ["PASS", "PASS", "PASS", "FAIL"]


def test_update_with_nothing_to_do_leaves_the_file_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_fixture("orders", tmp_path)
    before = (folder / "orders.sfn-test.yaml").read_bytes()
    assert cli(capsys, str(folder), "--update")[0] == 0
    assert (folder / "orders.sfn-test.yaml").read_bytes() == before


def test_update_of_a_json_suite_keeps_its_indentation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = _suite(tmp_path, json.dumps({
        "stateMachine": "pay.asl.json",
        "cases": {"Paid": {"mocks": {"Charge": {"Return": {"id": 1}}}, "expect": {"status": "FAILED"}}},
    }, indent=4), name="pay.sfn-test.json")
    assert cli(capsys, str(suite), "--update")[0] == 0
    assert json.loads(suite.read_text(encoding="utf-8"))["cases"]["Paid"]["expect"] == {
        "status": "SUCCEEDED", "output": {"charge": {"id": 1}}, "path": ["Charge", "Done"],
    }
    assert suite.read_text(encoding="utf-8").splitlines()[1] == '    "stateMachine": "pay.asl.json",'


def test_update_adds_the_cases_a_suite_takes_from_its_mock_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "mocks.json", json.dumps({
        "StateMachines": {"pay": {"TestCases": {"Happy": {"Charge": "Ok"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {"id": 9}}}},
    }))
    suite = _suite(tmp_path, "stateMachine: pay.asl.json\nmockConfig: mocks.json\n")
    assert cli(capsys, str(suite), "--update")[0] == 0
    assert suite.read_text(encoding="utf-8") == (
        "stateMachine: pay.asl.json\nmockConfig: mocks.json\ncases:\n  Happy:\n    expect:\n"
        "      status: SUCCEEDED\n      output: {charge: {id: 9}}\n      path: [Charge, Done]\n"
    )
    assert cli(capsys, str(suite))[0] == 0


def test_long_values_are_written_in_block_style(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long = {f"field{i}": f"value number {i}" for i in range(6)}
    suite = _suite(tmp_path, f"stateMachine: pay.asl.json\ncases:\n  Big:\n    input: {json.dumps(long)}\n"
                   "    mocks: {Charge: {Return: 1}}\n")
    assert cli(capsys, str(suite), "--update")[0] == 0
    lines = suite.read_text(encoding="utf-8").splitlines()
    assert lines[5:10] == ["    expect:", "      status: SUCCEEDED", "      output:", "        field0: value number 0",
                           "        field1: value number 1"]
    assert cli(capsys, str(suite))[0] == 0
