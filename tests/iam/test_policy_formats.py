"""``asl-lint iam policy --format json|cloudformation|terraform``: resources a Task names through a
substitution of its template are named as the template (or Terraform module) names them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asl_lint.cli import main
from asl_lint.config import Config
from asl_lint.engine.runner import lint_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"
TERRAFORM = Path(__file__).resolve().parents[1] / "sources" / "terraform" / "projects"
REFERENCES = FIXTURES / "sam-references"


def policy(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> str:
    assert main(["iam", "policy", str(path), *options]) == 0
    return capsys.readouterr().out


def test_a_generated_function_name_is_a_function_arn(capsys: pytest.CaptureFixture[str]) -> None:
    """``FunctionName: ${WorkerName}`` with ``WorkerName: !Ref Worker`` (a name CloudFormation generates):
    the Task invokes ``function:<that name>``, not "any resource"; the IAM rules compare it with
    ``!GetAtt Worker.Arn`` and the SAM policy templates of the role."""
    document = json.loads(policy(capsys, REFERENCES / "template.yaml"))
    assert document["Statement"] == [
        {"Sid": "DynamodbPutItem", "Effect": "Allow", "Action": "dynamodb:PutItem",
         "Resource": "arn:aws:dynamodb:*:*:table/orders"},
        {"Sid": "LambdaInvokeFunction", "Effect": "Allow", "Action": "lambda:InvokeFunction",
         "Resource": "arn:aws:lambda:*:*:function:*"},
        {"Sid": "SnsPublish", "Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:*:*:*"},
    ]
    # The role's LambdaInvokePolicy (function:${Worker.Name}*) is proven to cover the function, the
    # DynamoDBWritePolicy the table; the topic is forgotten.
    from asl_lint.iam import check_state_machine
    from asl_lint.sources import load_machines

    (machine,) = load_machines(str(REFERENCES))
    assert machine.context is not None and machine.context.policies is not None
    problems = check_state_machine(machine.resolved(), machine.context.policies, strict=True,
                                   state_machine_arn=machine.state_machine_arn)
    assert [(p.code, p.state_name) for p in problems] == [("ASL501", "Tell")]
    assert [(Path(d.file).name, d.code, d.line, d.column, d.end_column, d.message)
            for d in lint_paths([str(REFERENCES)], Config()).diagnostics] == [
        ("pipeline.asl.json", "ASL501", 29, 35, 49,
         "Task 'Tell' needs sns:Publish on arn:aws:sns:${AWS::Region}:${AWS::AccountId}:${Done.Name} "
         "(sns:publish publishes to the topic), but no statement of the role allows it"),
    ]


def test_cloudformation_format_names_the_template_resources(capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(policy(capsys, REFERENCES / "template.yaml", "--format", "cloudformation"))
    assert document == {"Version": "2012-10-17", "Statement": [
        {"Sid": "DynamodbPutItem", "Effect": "Allow", "Action": "dynamodb:PutItem",
         "Resource": {"Fn::GetAtt": ["Orders", "Arn"]}},
        {"Sid": "LambdaInvokeFunction", "Effect": "Allow", "Action": "lambda:InvokeFunction",
         "Resource": {"Fn::GetAtt": ["Worker", "Arn"]}},
        {"Sid": "SnsPublish", "Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "Done"}},
    ]}
    # The HTTP Task: the connection and its secret by their attributes; the machine's own ARN is no
    # reference to the machine (a circular dependency): its name, generated here, is '*'.
    document = json.loads(policy(capsys, FIXTURES / "sam-http" / "template.yaml", "--format", "cloudformation"))
    assert {st["Sid"]: st["Resource"] for st in document["Statement"]} == {
        "EventsRetrieveConnectionCredentials": {"Fn::GetAtt": ["InventoryConnection", "Arn"]},
        "SecretsmanagerDescribeSecretAnd1More": {"Fn::GetAtt": ["InventoryConnection", "SecretArn"]},
        "StatesInvokeHTTPEndpoint": {"Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:"
                                                "stateMachine:*"},
    }
    # a machine whose name the template sets, with its definition inline
    documents = json.loads(policy(capsys, FIXTURES / "sam-connection", "--format", "cloudformation"))
    (invoke,) = [st for st in documents["Inline"]["Statement"] if st["Action"] == "states:InvokeHTTPEndpoint"]
    assert invoke["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:partner-inline"}


def test_terraform_format_names_the_module_resources(capsys: pytest.CaptureFixture[str]) -> None:
    assert policy(capsys, TERRAFORM / "templatefile", "--format", "terraform") == '''\
jsonencode({
  Version = "2012-10-17"
  Statement = [
    {
      Sid      = "EventsRetrieveConnectionCredentials"
      Effect   = "Allow"
      Action   = "events:RetrieveConnectionCredentials"
      Resource = aws_cloudwatch_event_connection.partner.arn
    },
    {
      Sid      = "LambdaInvokeFunction"
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = aws_lambda_function.worker.arn
    },
    {
      Sid      = "SecretsmanagerDescribeSecretAnd1More"
      Effect   = "Allow"
      Action   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
      Resource = aws_cloudwatch_event_connection.partner.secret_arn
    },
    {
      Sid      = "SnsPublish"
      Effect   = "Allow"
      Action   = "sns:Publish"
      Resource = aws_sns_topic.done.arn
    },
    {
      Sid      = "StatesInvokeHTTPEndpoint"
      Effect   = "Allow"
      Action   = "states:InvokeHTTPEndpoint"
      Resource = "arn:aws:states:*:*:stateMachine:orders"
      Condition = {
        StringEquals = {
          "states:HTTPEndpoint" = "http://partner.example.com/orders"
          "states:HTTPMethod"   = "POST"
        }
      }
    },
  ]
})
'''
    # the elements of a list variable that are references (templatefile, %{ for })
    text = policy(capsys, TERRAFORM / "collections", "--format", "terraform")
    assert "      Resource = [aws_lambda_function.charge.arn, aws_lambda_function.validate.arn]\n" in text
    assert "      Resource = aws_sns_topic.alerts.arn\n" in text
    # two machines: each after a comment naming it
    text = policy(capsys, TERRAFORM / "connection", "--format", "terraform")
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        "# aws_sfn_state_machine.forgot", "# aws_sfn_state_machine.granted"]


def test_a_format_of_the_other_syntax_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iam", "policy", str(REFERENCES / "template.yaml"), "--format", "terraform"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"asl-lint: error: --format terraform: Pipeline ({REFERENCES / 'statemachine' / 'pipeline.asl.json'}) is "
        "declared in a SAM template: use --format cloudformation")
    assert main(["iam", "policy", str(TERRAFORM / "jsonencode"), "--format", "cloudformation"]) == 2
    assert "is declared in Terraform: use --format terraform" in capsys.readouterr().err


def test_a_definition_alone_in_a_template_syntax(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    definition = tmp_path / "alone.asl.json"
    definition.write_text(json.dumps({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True,
        "Parameters": {"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", "MessageBody": "x"}}}}),
        encoding="utf-8")
    document = json.loads(policy(capsys, definition, "--format", "cloudformation"))
    assert document["Statement"][0]["Resource"] == "arn:aws:sqs:eu-west-1:123456789012:jobs"
    text = policy(capsys, definition, "--format", "terraform")
    assert '      Resource = "arn:aws:sqs:eu-west-1:123456789012:jobs"\n' in text


def test_hcl_strings_escape_what_terraform_would_interpolate() -> None:
    from asl_lint.iam.formats import _hcl

    value = {"Resource": ["arn:aws:s3:::b/${aws:username}/*", "${aws_s3_bucket.b.arn}/%{x}", "${var.queue}"],
             "Quote\"d": 'a"b\\c', "n": 1}
    assert _hcl(value, "") == (
        "{\n"
        '  Resource   = ["arn:aws:s3:::b/$${aws:username}/*", "${aws_s3_bucket.b.arn}/%%{x}", var.queue]\n'
        '  "Quote\\"d" = "a\\"b\\\\c"\n'
        "  n          = 1\n"
        "}")


def test_terraform_format_uses_the_modules_region_and_account_data_sources(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    project = tmp_path / "templatefile"
    shutil.copytree(TERRAFORM / "templatefile", project)
    (project / "data.tf").write_text('data "aws_region" "current" {}\n'
                                     'data "aws_caller_identity" "each" {\n  for_each = toset(["a"])\n}\n')
    text = policy(capsys, project, "--format", "terraform")
    # the region from the module's data source; the account's has an argument (for_each: an index to
    # choose, or a name/provider that may select another region): `*`
    assert '      Resource = "arn:aws:states:${data.aws_region.current.id}:*:stateMachine:orders"\n' in text, text
    (project / "account.tf").write_text('data "aws_caller_identity" "current" {}\n')
    text = policy(capsys, project, "--format", "terraform")
    assert ('      Resource = "arn:aws:states:${data.aws_region.current.id}:'
            '${data.aws_caller_identity.current.account_id}:stateMachine:orders"\n' in text), text
