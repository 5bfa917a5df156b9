"""ASL005 limit-exceeded: quotas, Map labels, Express-only integrations (known from the template)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import findings, lint, serious

DISTRIBUTED_YAML = """
StartAt: Fan
States:
  Fan:
    Type: Map
    Label: "runs:daily"
    ItemReader:
      Resource: arn:aws:states:::s3:getObject
      ReaderConfig:
        InputType: JSONL
        MaxItems: 200000000
      Parameters:
        Bucket: data
        Key: input.jsonl
    ItemProcessor:
      ProcessorConfig:
        Mode: DISTRIBUTED
        ExecutionType: EXPRESS
      StartAt: Each
      States:
        Each:
          Type: Pass
          End: true
    ItemBatcher:
      MaxInputBytesPerBatch: 300000
    ToleratedFailurePercentage: 101
    Next: Hold
  Hold:
    Type: Wait
    Seconds: 100000000
    End: true
"""


def test_field_maxima_and_label_yaml() -> None:
    assert findings(lint(DISTRIBUTED_YAML, path="fan.asl.yaml"), "ASL005") == [
        (5, 12, 5, 24, "The Label of Map state 'Fan' contains ':', which AWS does not allow in labels (no"
                       " whitespace, control characters or any of ? * < > { } [ ] : ; , \\ ^ ~ $ # % & \" |"
                       " `)"),
        (10, 19, 10, 28, "'ItemReader.ReaderConfig.MaxItems' is 200000000; the most AWS accepts is"
                         " 100,000,000"),
        (24, 30, 24, 36, "'ItemBatcher.MaxInputBytesPerBatch' is 300000; the most AWS accepts is 262,144"),
        (25, 33, 25, 36, "'ToleratedFailurePercentage' is 101; the most AWS accepts is 100"),
        (29, 14, 29, 23, "'Seconds' is 100000000; the most AWS accepts is 99,999,999"),
    ]


def test_names_labels_and_variables_json() -> None:
    long_state = "S" * 81
    definition = {
        "StartAt": long_state,
        "States": {
            long_state: {"Type": "Pass", "Assign": {"v" * 81: 1, "ok": 2}, "Next": "M"},
            "M": {
                "Type": "Map",
                "Label": "L" * 41,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            },
        },
    }
    text = json.dumps(definition)
    state_key = text.index(f'"{long_state}": {{') + 1
    variable_key = text.index('"' + "v" * 81) + 1
    label = text.index('"' + "L" * 41) + 1
    assert findings(lint(text), "ASL005") == [
        (1, state_key, 1, state_key + 83, f"State name '{'S' * 30}…' is 81 characters long; AWS accepts at"
                                          f" most 80"),
        (1, variable_key, 1, variable_key + 83,
         f"Variable name '{'v' * 30}…' is 81 characters long; AWS accepts at most 80"),
        (1, label, 1, label + 43, "The Label of Map state 'M' is 41 characters long; AWS accepts at most 40"),
    ]


def test_definition_over_one_megabyte() -> None:
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "x" * 1_048_600, "End": True}}}
    text = json.dumps(definition)
    assert findings(lint(text), "ASL005") == [
        (1, 1, 1, len(text) + 1, f"The definition is {len(text):,} characters long; AWS accepts at most"
                                 f" 1,048,576"
                                  " (1 MB). Move large constants out of the definition"),
    ]


def test_within_limits_is_silent() -> None:
    definition = {
        "StartAt": "S" * 80,
        "States": {"S" * 80: {"Type": "Wait", "Seconds": 99_999_999, "End": True}},
    }
    assert serious(lint(json.dumps(definition))) == []


EXPRESS_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: {kind}
      Definition:
        StartAt: Run
        States:
          Run:
            Type: Task
            Resource: arn:aws:states:::states:startExecution.sync:2
            Parameters:
              StateMachineArn: arn:aws:states:us-east-1:123456789012:stateMachine:child
            TimeoutSeconds: 60
            Next: Ask
          Ask:
            Type: Task
            Resource: arn:aws:states:::sqs:sendMessage.waitForTaskToken
            Parameters:
              QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/q
              MessageBody:
                token.$: $$.Task.Token
            TimeoutSeconds: 60
            End: true
"""


def test_express_limits_only_when_the_template_says_express() -> None:
    diags = lint(EXPRESS_TEMPLATE.replace("{kind}", "EXPRESS"), path="template.yaml")
    assert findings(diags, "ASL005") == [
        (12, 23, 12, 68, "Express state machine does not support '.sync' service integration: use a Standard"
                         " state machine or the request-response integration"),
        (19, 23, 19, 72, "Express state machine does not support '.waitForTaskToken' service integration:"
                         " use a"
                         " Standard state machine"),
    ]
    standard = lint(EXPRESS_TEMPLATE.replace("{kind}", "STANDARD"), path="template.yaml")
    assert findings(standard, "ASL005") == []


FORBIDDEN = ["?", "*", "<", "{", "[", ";", ",", "\\", "^", "~", "$", "#", "%", "&", '"', "|", "`", " ", "\t",
             "\x00", "\x1f", "\x7f", "\x9f"]


@pytest.mark.parametrize("char", FORBIDDEN)
def test_every_forbidden_label_character(char: str) -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Label": f"label_{char}",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }
    messages = [m for *_, m in findings(lint(json.dumps(definition)), "ASL005")]
    assert len(messages) == 1 and "which AWS does not allow in labels" in messages[0]
