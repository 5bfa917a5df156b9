"""ASL501–ASL507 wired to templates and --policy files, with positions."""

from __future__ import annotations

import json
from pathlib import Path

from asl_lint.config import Config, IamConfig
from asl_lint.engine.metadata import all_rules
from tests.helpers import findings, lint

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
        - SQSSendMessagePolicy:
            QueueName: audit
      Definition:
        StartAt: Notify
        States:
          Notify:
            Type: Task
            Resource: arn:aws:states:::sns:publish
            Parameters:
              TopicArn: arn:aws:sns:us-east-1:123456789012:orders
              Message.$: $
            End: true
"""


def test_a_malformed_resource_does_not_hide_the_role_of_the_others() -> None:
    """``Broken: just-a-string`` (or a connector whose Properties are a list) kept every role of the
    template from being read, and the IAM rules said nothing at all."""
    broken = TEMPLATE.replace("Resources:\n", "Resources:\n  Broken: just-a-string\n  Conn:\n"
                              "    Type: AWS::Serverless::Connector\n    Properties: [x]\n")
    assert [(line, col) for line, col, *_ in findings(lint(broken, path="template.yaml"), "ASL501")] == [(20, 25)]


def test_asl501_points_at_the_field_that_names_the_resource() -> None:
    diags = lint(TEMPLATE, path="template.yaml")
    [(line, col, _, _, message)] = findings(diags, "ASL501")
    assert (line, col) == (16, 25)
    assert message.startswith("Task 'Notify' needs sns:Publish on arn:aws:sns:us-east-1:123456789012:orders")
    [diag] = [d for d in diags if d.code == "ASL501"]
    assert diag.pointer == "/Resources/Orders/Properties/Definition/States/Notify/Parameters/TopicArn"
    assert diag.fix is not None and "sns:Publish" in diag.fix.title


def test_asl507_points_at_the_role_in_the_template() -> None:
    text = TEMPLATE.replace("        - SQSSendMessagePolicy:\n            QueueName: audit\n",
                            "        - arn:aws:iam::123456789012:policy/runtime\n")
    diags = lint(text, path="template.yaml")
    [diag] = [d for d in diags if d.code == "ASL507"]
    assert diag.pointer == "/Resources/Orders/Properties/Policies"
    assert (diag.line, diag.column) == (6, 7)
    assert "arn:aws:iam::123456789012:policy/runtime" in diag.message


def test_standalone_definition_with_policy_files(tmp_path: Path) -> None:
    policy = tmp_path / "role.json"
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"},
        {"Effect": "Deny", "Action": "sns:Publish", "Resource": "arn:aws:sns:us-east-1:123456789012:orders"}]}))
    definition = {"StartAt": "N", "States": {"N": {
        "Type": "Task", "Resource": "arn:aws:states:::sns:publish",
        "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:orders", "Message": "hi"}, "End": True}}}
    config = Config(iam=IamConfig(policies=(str(policy),)))
    diags = lint(definition, config=config)
    [(_, _, _, _, message)] = findings(diags, "ASL506")
    assert message == ("Task 'N' needs sns:Publish on arn:aws:sns:us-east-1:123456789012:orders (sns:publish publishes"
                       " to the topic), but denied by statement (role.json #1)")
    assert findings(lint(definition), "ASL506") == []  # without a policy there is nothing to check


def test_iam_rules_are_documented() -> None:
    assert {f"ASL50{i}" for i in range(1, 8)} <= set(all_rules())


LAMBDA_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Nightly:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
{policies}
      Definition:
        StartAt: Clean
        States:
          Clean:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: arn:aws:lambda:us-east-1:123456789012:function:cleanup
            Retry:
              - ErrorEquals: [Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException, Lambda.TooManyRequestsException]
                MaxAttempts: 3
                BackoffRate: 2
            End: true
"""


def test_asl505_leaves_sam_policy_templates_alone_but_flags_hand_written_prefixes() -> None:
    sam = LAMBDA_TEMPLATE.format(policies="        - LambdaInvokePolicy:\n            FunctionName: cleanup")
    assert findings(lint(sam, path="template.yaml"), "ASL505") == []
    own = LAMBDA_TEMPLATE.format(policies=(
        "        - Statement:\n            - Effect: Allow\n              Action: lambda:InvokeFunction\n"
        "              Resource: arn:aws:lambda:us-east-1:123456789012:function:cleanup*"))
    [(_, _, _, _, message)] = findings(lint(own, path="template.yaml"), "ASL505")
    assert "also matches every resource whose name starts with" in message
