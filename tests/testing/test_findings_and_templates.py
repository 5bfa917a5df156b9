"""Findings of ``asl-lint test`` (SARIF, GitHub annotations), and machines in CloudFormation/SAM templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asl_lint.testing import run
from asl_lint.testing.machines import load_machine
from tests.testing.helpers import FIXTURES, cli, copy_fixture, write

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      Definition:
        StartAt: Route
        States:
          Route:
            Type: Choice
            Choices:
              - Variable: $.vip
                BooleanEquals: true
                Next: Notify
            Default: Done
          Notify:
            Type: Task
            Resource: !Sub arn:aws:states:::sns:publish
            Parameters:
              TopicArn: ${Topic}
              Message.$: $.id
            Next: Done
          Done:
            Type: Succeed
      DefinitionSubstitutions:
        Topic: arn:aws:sns:us-east-1:123456789012:vip
  Billing:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachines/billing.asl.json
      DefinitionSubstitutions:
        Fn: arn:aws:lambda:us-east-1:123456789012:function:bill
"""
BILLING = {"StartAt": "Bill", "States": {"Bill": {"Type": "Task", "Resource": "${Fn}", "End": True}}}


def _project(tmp_path: Path) -> Path:
    write(tmp_path / "template.yaml", TEMPLATE)
    write(tmp_path / "statemachines" / "billing.asl.json", json.dumps(BILLING, indent=2))
    write(tmp_path / "tests" / "orders.sfn-test.yaml",
          "stateMachine: ../template.yaml\nresource: Orders\ncases:\n  Regular:\n    input: {id: 1, vip: false}\n"
          "    expect: {path: [Route, Done]}\n")
    write(tmp_path / "tests" / "billing.sfn-test.yaml",
          "stateMachine: ../template.yaml\nresource: Billing\ncases:\n  Bill:\n    mocks: {Bill: {Return: 5}}\n"
          "    expect: {output: 5}\n")
    return tmp_path


def test_machines_in_a_sam_template_inline_and_by_definition_uri(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path)
    code, out, _ = cli(capsys, str(tmp_path / "tests"), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert [(c["name"], c["stateMachine"], c["passed"]) for c in report["cases"]] == [
        ("Bill", f"{tmp_path}/statemachines/billing.asl.json#Billing", True),
        ("Regular", f"{tmp_path}/template.yaml#Orders", True),
    ]
    execution = run(tmp_path / "template.yaml", {"vip": True, "id": "x"}, resource="Orders",
                    mocks={"Notify": {"Return": {"MessageId": "m"}}})
    scheduled = next(e for e in execution.history if e["type"] == "TaskScheduled")
    assert json.loads(scheduled["taskScheduledEventDetails"]["parameters"]) == {
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:vip", "Message": "x",
    }
    assert execution.history[0]["executionStartedEventDetails"]["input"] == '{"vip":true,"id":"x"}'
    # The template's Type decides the machine type (Express: five minutes at most).
    assert load_machine(tmp_path / "template.yaml", "template.yaml", "Orders").machine_type == "EXPRESS"
    assert load_machine(tmp_path / "template.yaml", "template.yaml", "Billing").machine_type == "STANDARD"


def test_a_template_with_several_machines_needs_a_resource(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    write(tmp_path / "tests" / "any.sfn-test.yaml", "stateMachine: ../template.yaml\nresource: Order\ncases: {A: {}}\n")
    write(tmp_path / "tests" / "none.sfn-test.yaml", "stateMachine: ../template.yaml\ncases: {A: {}}\n")
    code, out, _ = cli(capsys, str(tmp_path / "tests"), "--format", "json")
    assert code == 2
    assert [(e["file"], e["line"], e["column"], e["message"]) for e in json.loads(out)["errors"]] == [
        (f"{tmp_path}/tests/any.sfn-test.yaml", 2, 11,
         f"{tmp_path}/template.yaml has no state machine resource 'Order'; did you mean 'Orders'? "
         "(it has Orders, Billing)"),
        (f"{tmp_path}/tests/none.sfn-test.yaml", 1, 15,
         f"{tmp_path}/template.yaml has 2 state machines (Orders, Billing); name one with resource:"),
    ]


def test_github_annotations_for_uncovered_items_point_into_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path)
    suite = str(tmp_path / "tests" / "orders.sfn-test.yaml")
    code, out, _ = cli(capsys, suite, "--format", "github", "--coverage")
    assert code == 0
    template = f"{tmp_path}/template.yaml"
    assert out.splitlines() == [
        f"::notice file={template},line=14,col=17,endLine=16,endColumn=29,title=ASL803 uncovered-choice-branch::"
        "No test case took the Choice branch Route: Choices[0] -> Notify",
        f"::notice file={template},line=18,col=11,endLine=18,endColumn=17,title=ASL802 uncovered-state::"
        "No test case entered state 'Notify'",
    ]


def test_sarif_reports_failed_cases_at_the_case_and_uncovered_states(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_fixture("lambda-sqs", tmp_path)
    code, out, _ = cli(capsys, str(folder), "--format", "sarif", "--coverage")
    assert code == 1
    sarif = json.loads(out)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results] == [
        ("ASL801", "error", 19, 3),
    ]
    assert results[0]["message"]["text"].startswith(
        "Case 'HybridPath' failed: Task state 'SQSState' has no mocked response in test case 'HybridPath'.")
    rules = {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"ASL801", "ASL802", "ASL803", "ASL804", "ASL805"} <= rules


def test_config_can_ignore_coverage_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_fixture("orders", tmp_path)
    config = write(tmp_path / "asl-lint.toml", '[tool.asl-lint]\nignore = ["ASL804"]\n')
    _, out, _ = cli(capsys, str(folder), "--format", "github", "--coverage")
    assert [line.split("title=")[1].split("::")[0] for line in out.splitlines()] == [
        "ASL804 unexercised-retrier", "ASL804 unexercised-retrier",
    ]
    _, out, _ = cli(capsys, str(folder), "--format", "github", "--coverage", "--config", str(config))
    assert out == ""
    _, out, _ = cli(capsys, str(FIXTURES / "orders"), "--format", "github")
    assert out == ""  # without --coverage only failed cases are findings


SERVERLESS = """\
service: shop
provider:
  name: aws
stepFunctions:
  stateMachines:
    ship:
      name: ShipOrder
      type: EXPRESS
      definition:
        StartAt: Label
        States:
          Label:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: label
            OutputPath: $.Payload
            End: true
"""


def test_a_machine_in_serverless_yml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "serverless.yml", SERVERLESS)
    suite = write(tmp_path / "ship.sfn-test.yaml", "stateMachine: serverless.yml\nresource: ship\ncases:\n"
                  "  Labelled:\n    mocks: {Label: {Return: {Payload: {label: L-1}}}}\n"
                  "    expect: {output: {label: L-1}}\n")
    code, out, _ = cli(capsys, str(suite), "--format", "json")
    assert code == 0
    assert json.loads(out)["cases"][0]["stateMachine"] == f"{tmp_path}/serverless.yml#ship"
    machine = load_machine(tmp_path / "serverless.yml", "serverless.yml", "ShipOrder")
    assert (machine.name, machine.resource, machine.machine_type) == ("ShipOrder", "ship", "EXPRESS")
    assert machine.spans("/States/Label") is not None
