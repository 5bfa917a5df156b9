"""ASL006: a placeholder the machine's deployment gives no value; entries, pseudo parameters,
escapes and definition files with no machine around them are never reported."""

from __future__ import annotations

from asl_lint.diagnostics import Severity
from tests.helpers import findings, lint

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
      "End": true
    }
  }
}
"""


def test_a_definition_file_alone_keeps_its_placeholders_as_unknown_values() -> None:
    # Usually a DefinitionUri file linted without its template: nothing to report.
    assert findings(lint(STANDALONE), "ASL006") == []
    yaml = "StartAt: Put\nStates:\n  Put:\n    Type: Pass\n    Result: ${TableName}\n    End: true\n"
    assert findings(lint(yaml, path="flow.asl.yaml"), "ASL006") == []


TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies: []
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
                region: ${AWS::Region}
                bucket: ${Bucket}
                again: ${Bucket}
            Next: Worker
          Worker:
            Type: Task
            Resource: ${WorkerArn}
            End: true
"""


def test_a_placeholder_spelt_with_an_escape_is_still_a_placeholder() -> None:
    # ``\u0024{Timeout}`` is "${Timeout}" once read: a deploy-time value, not a wrong type (ASL003).
    spelt = STANDALONE.replace('"${Timeout}"', '"\\u0024{Timeout}"')
    assert '"\\u0024{Timeout}"' in spelt
    assert findings(lint(spelt), "ASL003") == findings(lint(STANDALONE), "ASL003") == []
    plain = STANDALONE.replace('"${Timeout}"', '"soon"')
    assert [d.pointer for d in lint(plain) if d.code == "ASL003"] == ["/States/Notify/TimeoutSeconds"]


def test_entries_are_no_finding_and_a_missing_entry_is_a_bug() -> None:
    diags = lint(TEMPLATE, path="template.yaml")
    assert findings(diags, "ASL006") == [
        (24, 24, 24, 33, "'${Bucket}' is given no value: the DefinitionSubstitutions of Flow define no 'Bucket', so"
                         " the deployed definition holds the text '${Bucket}' as written"),
        (28, 23, 28, 35, "'${WorkerArn}' is given no value: the DefinitionSubstitutions of Flow define no"
                         " 'WorkerArn', so the deployed definition holds the text '${WorkerArn}' as written, which is"
                         " no ARN: Resource fails"),
    ]
    assert [d.severity for d in diags if d.code == "ASL006"] == [Severity.WARNING, Severity.ERROR]


def test_cloudformation_functions_and_fn_sub_names_of_the_template_are_defined() -> None:
    text = """
    Parameters:
      Stage:
        Type: String
    Resources:
      Flow:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          RoleArn: arn:aws:iam::123456789012:role/flow
          Definition:
            StartAt: Run
            States:
              Run:
                Type: Task
                Resource: !GetAtt Worker.Arn
                Parameters:
                  Bucket: !Ref Bucket
                  Region: !Ref AWS::Region
                  Path: !Sub "/${Stage}/${!Literal}/${Nowhere}"
                End: true
    """
    assert findings(lint(text, path="template.yaml"), "ASL006") == [
        (18, 49, 18, 59, "Fn::Sub names '${Nowhere}', which is no parameter, resource or variable of this"
                         " template: CloudFormation rejects the template"),
    ]


def test_fn_sub_escape_is_a_literal_not_a_placeholder() -> None:
    """``${!Name}`` in Fn::Sub is the literal text ``${Name}`` in the deployed definition."""
    text = """
    Resources:
      Flow:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          RoleArn: arn:aws:iam::123456789012:role/flow
          DefinitionString: !Sub |
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${!Name}", "End": true}}}
    """
    diags = lint(text, path="template.yaml")
    assert findings(diags, "ASL006") == []
    escaped_and_missing = text.replace('"${!Name}"', '"${!Name} ${Other}"')
    assert findings(lint(escaped_and_missing, path="template.yaml"), "ASL006") == [
        (7, 79, 7, 87, "Fn::Sub names '${Other}', which is no parameter, resource or variable of this template:"
                       " CloudFormation rejects the template"),
    ]
