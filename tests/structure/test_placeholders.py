"""ASL006: once per name, at the first occurrence, narrowed span, no pseudo parameters."""

from __future__ import annotations

from asl_lint.diagnostics import Severity
from tests.helpers import findings, lint, serious

STANDALONE = """
{
  "StartAt": "Notify",
  "States": {
    "Notify": {
      "Type": "Task",
      "Resource": "arn:${AWS::Partition}:states:::sns:publish",
      "Parameters": {"TopicArn": "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}",
                     "Message.$": "$.m"},
      "TimeoutSeconds": "${Timeout}",
      "Next": "Again"
    },
    "Again": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sns:publish",
      "Parameters": {"TopicArn": "${TopicName}", "Subject": "${!Literal}"},
      "End": true
    }
  }
}
"""


def test_one_info_per_name_at_its_first_occurrence_json() -> None:
    diags = lint(STANDALONE)
    message = ("'${{{}}}' is a substitution placeholder and it is filled in at deploy time: its value is"
               " unknown,"
               " and asl-lint treats it as unknown (no rule reports an error because of it)")
    assert findings(diags, "ASL006") == [
        (7, 80, 7, 92, message.format("TopicName")),
        (9, 26, 9, 36, message.format("Timeout")),
    ]
    assert all(d.severity == Severity.INFO for d in diags if d.code == "ASL006")
    assert [d for d in serious(diags) if d.code.startswith("ASL00")] == []


def test_placeholder_in_yaml_plain_scalar() -> None:
    text = """
    StartAt: Put
    States:
      Put:
        Type: Task
        Resource: arn:aws:states:::dynamodb:putItem
        Parameters:
          TableName: ${TableName}
          Item:
            pk:
              S.$: $.id
        End: true
    """
    assert findings(lint(text, path="flow.asl.yaml"), "ASL006") == [
        (7, 18, 7, 30, "'${TableName}' is a substitution placeholder and it is filled in at deploy time: its"
                       " value"
                       " is unknown, and asl-lint treats it as unknown (no rule reports an error because of"
                       " it)"),
    ]


def test_template_reports_only_what_substitutions_leave_unresolved() -> None:
    text = """
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          DefinitionSubstitutions:
            Child: arn:aws:states:us-east-1:123456789012:stateMachine:child
            Table: !Ref Table
          Definition:
            StartAt: Run
            States:
              Run:
                Type: Task
                Resource: arn:aws:states:::states:startExecution
                Parameters:
                  StateMachineArn: ${Child}
                  Input:
                    table: ${Table}
                End: true
    """
    assert findings(lint(text, path="template.yaml"), "ASL006") == [
        (18, 24, 18, 32, "'${Table}' is a substitution placeholder that no DefinitionSubstitutions entry gives a"
                         " literal value (an entry set with !Ref or !GetAtt is resolved only at deploy time):"
                         " its value is unknown, and asl-lint treats it as"
                         " unknown (no"
                         " rule reports an error because of it)"),
    ]


def test_cloudformation_functions_are_named_as_written() -> None:
    text = """
    Resources:
      Flow:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          Definition:
            StartAt: Run
            States:
              Run:
                Type: Task
                Resource: !GetAtt Worker.Arn
                Parameters:
                  Bucket: !Ref Bucket
                  Region: !Ref AWS::Region
                End: true
    """
    assert findings(lint(text, path="template.yaml"), "ASL006") == [
        (10, 23, 10, 41, "'!GetAtt Worker.Arn' is resolved by CloudFormation at deploy time: its value is unknown,"
                         " and asl-lint treats it as unknown (no rule reports an error because of it)"),
        (12, 23, 12, 34, "'!Ref Bucket' is resolved by CloudFormation at deploy time: its value is unknown, and"
                         " asl-lint treats it as unknown (no rule reports an error because of it)"),
    ]
