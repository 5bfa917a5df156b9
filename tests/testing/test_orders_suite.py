"""A suite with retries, a Catch, a Choice, a one-day Wait, a Map and a JSONata state (fixtures/orders)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.testing.helpers import FIXTURES, cli, cli_json, copy_fixture

ORDERS = FIXTURES / "orders"
CASE_KEYS = ["suite", "name", "stateMachine", "status", "output", "error", "cause", "path", "retries", "duration",
             "passed", "failures"]


def test_every_case_passes_with_full_state_and_choice_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = cli_json(capsys, str(ORDERS))
    assert code == 0
    assert [(c["name"], c["passed"], c["status"]) for c in report["cases"]] == [
        ("ExpressOrder", True, "SUCCEEDED"),
        ("BigOrder", True, "SUCCEEDED"),
        ("FlakyQueue", True, "SUCCEEDED"),
        ("InvalidOrder", True, "FAILED"),
    ]
    coverage = report["coverage"]
    assert coverage["states"] == {"covered": 10, "total": 10, "percent": 100.0, "missed": []}
    assert coverage["choices"] == {"covered": 3, "total": 3, "percent": 100.0, "missed": []}
    assert coverage["catchers"] == {"covered": 1, "total": 1, "percent": 100.0, "missed": []}
    assert coverage["retriers"]["missed"] == [
        "Validate: Retry[0] [Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException, "
        "Lambda.TooManyRequestsException]",
        "ShipExpress: Retry[0] [SQS.SdkClientException, SQS.AmazonSQSException]",
    ]
    assert (coverage["retriers"]["covered"], coverage["retriers"]["total"]) == (2, 4)


def test_json_report_has_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = cli_json(capsys, str(ORDERS))
    assert list(report) == ["version", "tool", "cases", "coverage", "errors", "summary"]
    assert all(list(case) == CASE_KEYS for case in report["cases"])
    assert list(report["coverage"]) == ["states", "choices", "retriers", "catchers", "machines"]
    big = report["cases"][1]
    assert big["suite"] == str(ORDERS / "orders.sfn-test.yaml")
    assert big["stateMachine"] == str(ORDERS / "order.asl.json")
    assert big["output"] == {"orderId": "o-2", "parcels": 1, "weight": 1}
    assert big["duration"] == 86400.0
    assert big["path"] == ["Validate", "CheckPriority", "HoldForReview", "ShipStandard", "PackItems", "Summarize",
                           "Done"]
    invalid = report["cases"][3]
    assert (invalid["error"], invalid["cause"], invalid["output"]) == ("OrderRejected", "no items", None)
    summary = report["summary"]
    assert {k: summary[k] for k in ("suites", "cases", "passed", "failed", "updated", "errors", "duration")} == {
        "suites": 1, "cases": 4, "passed": 4, "failed": 0, "updated": 0, "errors": 0, "duration": 86416.0,
    }


def _break_one_expectation(tmp_path: Path) -> Path:
    folder = copy_fixture("orders", tmp_path)
    suite = folder / "orders.sfn-test.yaml"
    text = suite.read_text(encoding="utf-8")
    assert text.count("output: {orderId: o-3, parcels: 2, weight: 3}") == 1
    suite.write_text(text.replace("output: {orderId: o-3, parcels: 2, weight: 3}",
                                  "output: {orderId: o-3, parcels: 3, weight: 3}"), encoding="utf-8")
    return folder


def test_one_wrong_expectation_fails_only_that_case_with_a_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _break_one_expectation(tmp_path)
    code, report = cli_json(capsys, str(folder))
    assert code == 1
    assert [(c["name"], c["passed"]) for c in report["cases"]] == [
        ("ExpressOrder", True), ("BigOrder", True), ("FlakyQueue", False), ("InvalidOrder", True),
    ]
    assert report["cases"][2]["failures"] == [{
        "field": "output",
        "message": "output differs:\n  $.parcels: expected 3, got 2",
        "expected": {"orderId": "o-3", "parcels": 3, "weight": 3},
        "actual": {"orderId": "o-3", "parcels": 2, "weight": 3},
        "differences": [{"path": "$.parcels", "kind": "changed", "expected": 3, "actual": 2}],
    }]
    code, out, _ = cli(capsys, str(folder))
    assert code == 1
    assert "  FAIL    FlakyQueue    SUCCEEDED, 6 states, 3 retries, 16s simulated\n" \
           "          output differs:\n" \
           "            $.parcels: expected 3, got 2\n" in out


def test_junit_has_one_testcase_per_case_and_counts_that_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _break_one_expectation(tmp_path)
    code, out, _ = cli(capsys, str(folder), "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == ["ExpressOrder", "BigOrder", "FlakyQueue", "InvalidOrder"]
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["FlakyQueue"]
    assert failed[0].find("failure").get("message") == "output differs: $.parcels: expected 3, got 2"  # type: ignore[union-attr]
    for element in (root, suites[0]):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == ("4", "1", "0")


def test_coverage_text_lists_what_no_case_exercised(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, str(ORDERS), "--coverage")
    assert code == 0
    assert out.splitlines()[-2:] == [
        "Coverage: states 10/10 (100%), Choice branches 3/3 (100%), retriers 2/4 (50%), catchers 1/1 (100%)",
        "  retriers that never fired: Validate: Retry[0] [Lambda.ServiceException, Lambda.AWSLambdaException, "
        "Lambda.SdkClientException, Lambda.TooManyRequestsException], ShipExpress: Retry[0] [SQS.SdkClientException, "
        "SQS.AmazonSQSException]",
    ]


def test_case_selection_runs_only_matching_cases(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = cli_json(capsys, str(ORDERS), "--case", "*Order", "-k", "Flaky*")
    assert code == 0
    assert [c["name"] for c in report["cases"]] == ["ExpressOrder", "BigOrder", "FlakyQueue", "InvalidOrder"]
    _, report = cli_json(capsys, str(ORDERS), "--case", "Big*")
    assert [c["name"] for c in report["cases"]] == ["BigOrder"]
    assert report["coverage"]["states"]["missed"] == ["ShipExpress", "Rejected"]
