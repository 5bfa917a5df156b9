"""``asl-lint check`` and ``asl-lint iam policy`` on the fixture Terraform projects: every finding with
its file, code, exact place and message."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from asl_lint.cli import main
from asl_lint.config import Config
from asl_lint.engine.runner import lint_paths
from tests.sources.terraform.helpers import PROJECTS

Row = tuple[str, str, int, int, int, int]


def check(project: str, *names: str) -> list[tuple[str, str, int, int, int, int, str]]:
    """(file relative to the project, code, line, column, end line, end column, message) of each finding."""
    root = PROJECTS / project
    paths = [str(root / n) for n in names] if names else [str(root)]
    result = lint_paths(paths, Config())
    assert not result.internal_errors
    return [(os.path.relpath(d.file, root), d.code, d.line, d.column, d.end_line, d.end_column, d.message)
            for d in result.diagnostics]


def folder_rows(folder: Path) -> list[tuple[str, str, int, int, int, int, str]]:
    """(file name, code, line, column, end line, end column, message) of each finding in a folder."""
    result = lint_paths([str(folder)], Config())
    assert not result.internal_errors
    return [(Path(d.file).name, d.code, d.line, d.column, d.end_line, d.end_column, d.message)
            for d in result.diagnostics]


def test_templatefile_role_lacks_permissions_the_definition_needs() -> None:
    found = check("templatefile")
    file = os.path.join("statemachine", "orders.asl.json")
    # the connection's secret, spelled as aws_cloudwatch_event_connection.partner.secret_arn is
    secret = ("arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/partner/"
              "${aws_cloudwatch_event_connection.partner.secret_id}")
    assert [row[:6] for row in found] == [
        (file, "ASL501", 19, 21, 19, 35),  # "${topic_arn}": the placeholder, in the definition file
        (file, "ASL401", 26, 19, 26, 49),
        (file, "ASL502", 28, 24, 28, 37),
        (file, "ASL303", 28, 25, 28, 36),  # the http:// literal substituted at "${endpoint}"
        (file, "ASL503", 30, 46, 30, 65),
        (file, "ASL504", 30, 46, 30, 65),
        (file, "ASL504", 30, 46, 30, 65),
    ]
    messages = {row[1]: row[6] for row in found}
    assert messages["ASL501"] == (
        "Task 'Notify' needs sns:Publish on arn:aws:sns:${AWS::Region}:${AWS::AccountId}:orders-done "
        "(sns:publish publishes to the topic), but no statement of the role allows it")
    assert messages["ASL502"] == (
        "Task 'Call partner' needs states:InvokeHTTPEndpoint (POST http://partner.example.com/orders) on "
        "arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:orders (the HTTP Task calls the endpoint), "
        "but no statement of the role allows it")
    assert messages["ASL503"].startswith(
        "Task 'Call partner' needs events:RetrieveConnectionCredentials on arn:aws:events:${AWS::Region}:"
        "${AWS::AccountId}:connection/partner/${aws_cloudwatch_event_connection.partner.connection_id} ")
    assert secret in messages["ASL504"]
    # the lambda:InvokeFunction the role grants is not reported: the Lambda ARN matches symbolically
    assert not any("lambda:InvokeFunction" in row[6] for row in found)


def test_templatefile_variables_that_are_lists_and_maps() -> None:
    """``%{ for }`` over a list of objects, ``%{ if }`` over a map's member, ``${jsonencode(list)}``:
    rendered as Terraform renders them; every value lands on its ``${...}`` in the template."""
    file = os.path.join("statemachine", "pipeline.asl.json")
    lambda_arn = "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:orders-"
    assert check("collections") == [
        (file, "ASL501", 9, 39, 9, 57,  # "${step.function}": Charge's element, a reference to its function
         f"Task 'Charge' needs lambda:InvokeFunction on {lambda_arn}charge (lambda:invoke calls the function), "
         "but no statement of the role allows it; closest: statement (aws_iam_role_policy.pipeline #0) allows "
         f"lambda:InvokeFunction but its Resource is {lambda_arn}validate, {lambda_arn}validate:*"),
        (file, "ASL003", 10, 25, 10, 40, "'TimeoutSeconds' must be a positive integer, got 0"),  # ${step.timeout}
        (file, "ASL402", 11, 34, 11, 57,  # ${jsonencode(retry_on)}
         "States.ALL must be alone in its ErrorEquals, but retrier 0 of 'Charge' also lists "
         "Lambda.TooManyRequestsException; States.ALL already matches it, so keep only States.ALL (AWS rejects "
         "the definition otherwise)"),
        (file, "ASL402", 11, 34, 11, 57,
         "States.ALL must be alone in its ErrorEquals, but retrier 0 of 'Validate' also lists "
         "Lambda.TooManyRequestsException; States.ALL already matches it, so keep only States.ALL (AWS rejects "
         "the definition otherwise)"),
        (file, "ASL501", 21, 35, 21, 56,  # "${alerts.sns.topic}": a nested map's member
         "Task 'Alert' needs sns:Publish on arn:aws:sns:${AWS::Region}:${AWS::AccountId}:orders-alerts "
         "(sns:publish publishes to the topic), but no statement of the role allows it"),
    ]
    from asl_lint.sources import load_machines

    (machine,) = load_machines(str(PROJECTS / "collections"))
    states = machine.definition["States"]
    assert list(states) == ["Validate", "Charge", "Alert"]
    assert states["Validate"]["Next"] == "Charge" and states["Charge"]["End"] is True
    assert states["Charge"]["Parameters"]["FunctionName"] == "${aws_lambda_function.charge.arn}"  # unknown
    assert machine.resolved()["States"]["Charge"]["Parameters"]["FunctionName"] == f"{lambda_arn}charge"


def test_unknown_element_of_a_list_variable_is_no_undefined_placeholder(tmp_path: Path) -> None:
    """An element not known statically keeps its expression's name (here a generic "condition"): a
    value the deployment gives, not a ``${X}`` nothing defines (ASL006), which ``${nope}`` still is."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_sfn_state_machine" "m" {\n'
        '  name       = "m"\n'
        '  definition = templatefile("${path.module}/m.asl.json", { notes = [var.flag ? "a" : "b", "c"] })\n'
        "}\n"
        'variable "flag" {}\n', encoding="utf-8")
    (tmp_path / "m.asl.json").write_text(
        '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Comment": "${notes[0]} ${notes[1]}",\n'
        '  "Result": "${nope}", "End": true}}}\n', encoding="utf-8")
    assert folder_rows(tmp_path) == [
        ("m.asl.json", "ASL006", 2, 14, 2, 21,
         "'${nope}' is given no value: templatefile() variables define no 'nope', so the deployed definition "
         "holds the text '${nope}' as written"),
    ]


def test_connection_secret_granted_by_secret_arn_and_forgotten() -> None:
    """Two machines, one template: its connection ARN is a template variable. The role that grants
    ``aws_cloudwatch_event_connection.partner.secret_arn`` is proven to cover the secret; the other
    gets ASL504 with the secret spelled as that attribute."""
    from asl_lint.iam import check_state_machine
    from asl_lint.sources import load_machines

    file = os.path.join("statemachine", "call.asl.json")
    secret = ("arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/partner/"
              "${aws_cloudwatch_event_connection.partner.secret_id}")
    assert check("connection") == [
        (file, "ASL504", 11, 48, 11, 67,
         f"Task 'Send order' needs secretsmanager:{action} on {secret} (the connection keeps its credentials in "
         "a secret), but no statement of the role allows it [machine aws_sfn_state_machine.forgot]")
        for action in ("DescribeSecret", "GetSecretValue")
    ]
    # Proven, not only "not disproven": strict coverage (unknown decisions reported) finds nothing.
    outcome = {m.name: [p.code for p in check_state_machine(m.resolved(), m.context.policies, strict=True,
                                                             state_machine_arn=m.state_machine_arn)]
               for m in load_machines(str(PROJECTS / "connection")) if m.context is not None}
    assert outcome == {"aws_sfn_state_machine.granted": [],
                       "aws_sfn_state_machine.forgot": ["ASL504", "ASL504"]}


def test_jsonencode_finding_in_the_tf_file_and_unresolved_managed_policy_at_role_arn() -> None:
    assert check("jsonencode") == [
        ("main.tf", "ASL507", 13, 3, 13, 36,
         "cannot be read statically: managed policy arn:aws:iam::aws:policy/CloudWatchLogsFullAccess attached by "
         "aws_iam_role.queue.managed_policy_arns (document not in the configuration); coverage is unknown"),
        ("main.tf", "ASL101", 30, 19, 30, 28, "Next names state 'Missing', which does not exist"),
    ]


def test_data_template_file_and_roles_not_in_the_configuration() -> None:
    assert check("template_file") == [
        ("main.tf", "ASL507", 16, 3, 16, 38,
         "cannot be read statically: managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaRole attached by "
         "aws_iam_role_policy_attachment.lambda (document not in the configuration); coverage is unknown"),
        ("main.tf", "ASL507", 22, 3, 22, 44,
         "cannot be read statically: role data.aws_iam_role.shared (read from AWS, not declared in this Terraform "
         "configuration); coverage is unknown"),
    ]


def test_local_definition_and_unknown_definition() -> None:
    assert check("locals") == [
        ("locals.tf", "ASL507", 3, 27, 9, 4,
         "cannot be read statically: role var.role_arn (var.role_arn has no default and is not set in a .tfvars "
         "file); coverage is unknown [machine aws_sfn_state_machine.from_local]"),
        ("main.tf", "ASL007", 15, 16, 15, 30,
         "The definition of aws_sfn_state_machine.given is not known statically: var.definition has no default "
         "and is not set in a .tfvars file; it is not linted"),
    ]


@pytest.mark.parametrize("project", ["heredoc", "modules"])
def test_silent_projects(project: str) -> None:
    assert check(project) == []


def test_module_file_named_alone_gets_its_callers_context() -> None:
    assert check("modules", "modules/workflow/main.tf") == []
    assert check("modules", "flows/events.asl.json") == []


def test_invalid_hcl_and_the_other_file_still_linted() -> None:
    assert check("broken") == [
        ("extra.tf", "ASL001", 7, 1, 7, 1,
         "The Terraform file is not valid HCL: the file ends before the block or expression is closed"),
    ]


def test_template_directive_over_unknown_value_is_not_linted(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_sfn_state_machine" "m" {\n'
        '  name       = "m"\n'
        '  definition = templatefile("${path.module}/m.json", { extra = var.extra, wait = 3 })\n'
        "}\n"
        'variable "extra" {}\n', encoding="utf-8")
    (tmp_path / "m.json").write_text(
        '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${wait},\n'
        '  %{ if extra }"Comment": "x", %{ endif }"End": true}}}\n', encoding="utf-8")
    assert folder_rows(tmp_path) == [
        ("m.json", "ASL007", 2, 3, 2, 42,
         "aws_sfn_state_machine.m renders this template with values not known statically: the condition of "
         "%{ if } is not known statically (extra); it is not linted for that machine"),
    ]
    (tmp_path / "terraform.tfvars").write_text("extra = false\n", encoding="utf-8")
    # what the process read is read again: a new tfvars file in the root module's folder
    assert [d.code for d in lint_paths([str(tmp_path)], Config()).diagnostics] == []


def test_what_a_terraform_file_says_is_kept_while_what_it_depends_on_is_unchanged(tmp_path: Path) -> None:
    from asl_lint.sources.project import read_infrastructure

    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text(
        'resource "aws_sfn_state_machine" "m" {\n  name       = "m"\n  role_arn   = aws_iam_role.r.arn\n'
        '  definition = templatefile("${path.module}/m.asl.json", { n = var.n })\n}\n'
        'variable "n" {}\n', encoding="utf-8")
    (tmp_path / "role.tf").write_text('resource "aws_iam_role" "r" {\n  name = "r"\n}\n', encoding="utf-8")
    (tmp_path / "terraform.tfvars").write_text("n = 1\n", encoding="utf-8")
    (tmp_path / "m.asl.json").write_text('{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${n}, '
                                         '"End": true}}}', encoding="utf-8")
    settle(tmp_path)
    main_tf = str(tmp_path / "main.tf")

    def given() -> tuple[object, object]:
        found = read_infrastructure(main_tf)
        assert found is not None
        (external,) = found.external
        return found, external.context.substitutions["n"].value

    first, value = given()
    assert value == 1 and given()[0] is first  # unchanged: read once
    (tmp_path / "terraform.tfvars").write_text("n = 22\n", encoding="utf-8")
    settle(tmp_path)
    second, value = given()
    assert value == 22 and second is not first and given()[0] is second
    (tmp_path / "role.tf").write_text('resource "aws_iam_role" "r" {\n  name = "r2"\n}\n', encoding="utf-8")
    settle(tmp_path)
    third, _ = given()
    assert third is not second and given()[0] is third
    (tmp_path / "n.auto.tfvars").write_text("n = 333\n", encoding="utf-8")  # a new file
    settle(tmp_path)
    assert given()[1] == 333


def settle(folder: Path) -> None:
    """Date every file and folder a minute back, a millisecond later each time: stamps differ and are
    trusted (``asl_lint.sources.stamps.settled``), as for files saved a while before they are read."""
    global _CLOCK
    _CLOCK += 1
    when = time.time() - 60 + _CLOCK * 0.001
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (when, when))


_CLOCK = 0


def test_iam_policy_of_a_tf_file_and_of_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iam", "policy", str(PROJECTS / "templatefile" / "main.tf")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {st["Sid"]: st["Resource"] for st in document["Statement"]} == {
        "EventsRetrieveConnectionCredentials": "arn:aws:events:*:*:connection/partner/*",
        "LambdaInvokeFunction": "arn:aws:lambda:*:*:function:order-worker",
        "SecretsmanagerDescribeSecretAnd1More": "arn:aws:secretsmanager:*:*:secret:events!connection/partner/*",
        "SnsPublish": "arn:aws:sns:*:*:orders-done",
        "StatesInvokeHTTPEndpoint": "arn:aws:states:*:*:stateMachine:orders",
    }
    assert main(["iam", "policy", str(PROJECTS / "modules")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["Statement"] == [
        {"Sid": "SnsPublish", "Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:*:*:events"}]
    assert main(["iam", "policy", str(PROJECTS / "jsonencode" / "main.tf")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [st["Action"] for st in document["Statement"]] == ["sqs:SendMessage"]


def test_hostile_terraform_never_crashes(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'module "self" {\n  source = "./"\n}\n'  # a module cycle: Terraform rejects it, asl-lint stops there
        "locals {\n  a = local.b\n  b = local.a\n  c = [for x in var.l : x]\n  d = var.m[*].id\n  e = 1 / 0\n}\n"
        'resource "aws_sfn_state_machine" "m" {\n  count      = 2\n  name       = "m-${count.index}"\n'
        '  role_arn   = aws_iam_role.r[count.index].arn\n'
        '  definition = jsonencode({ StartAt = "A", States = { A = { Type = "Pass", Result = local.a, End = true } } })\n'
        "}\n"
        'resource "aws_iam_role" "r" {\n  count = 2\n  name  = "r"\n'
        '  dynamic "inline_policy" {\n    for_each = [1]\n    content {\n      policy = "{}"\n    }\n  }\n}\n'
        'resource "aws_iam_role_policy_attachment" "x" {\n  for_each   = toset(["a"])\n  role       = each.value\n'
        "  policy_arn = each.key\n}\n", encoding="utf-8")
    (tmp_path / "open.tf").write_text('resource "x" "y" {\n  a = <<EOF\nnever closed\n', encoding="utf-8")
    (tmp_path / "deep.tf").write_text("locals {\n  x = " + "[" * 3000 + "]" * 3000 + "\n}\n", encoding="utf-8")
    (tmp_path / "empty.tf").write_text("", encoding="utf-8")
    result = lint_paths([str(tmp_path)], Config())
    assert not result.internal_errors
    assert [(Path(d.file).name, d.code, d.line, d.column, d.message) for d in result.diagnostics] == [
        ("deep.tf", "ASL001", 1, 1, "The Terraform file is nested too deeply to read"),
        ("main.tf", "ASL507", 14, 3,
         "cannot be read statically: aws_iam_role_policy_attachment.x (its role is not known statically; it may "
         "attach to this role); coverage is unknown"),
        ("main.tf", "ASL507", 14, 3,
         "cannot be read statically: inline policies of aws_iam_role.r made by a dynamic block (not expanded); "
         "coverage is unknown"),
        ("open.tf", "ASL001", 2, 7, "The Terraform file is not valid HCL: unexpected '<<EOF'"),
    ]


def test_json_nested_too_deeply_in_tfvars_and_policy_files(tmp_path: Path) -> None:
    """A tfvars.json or policy file nested deeper than Python recurses: the machine is still linted,
    the value is unknown, the policy is reported unreadable."""
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "terraform.tfvars.json").write_text('{"items": ' + deep + ', "shallow": [[[[[[[[1]]]]]]]]}',
                                                    encoding="utf-8")
    (tmp_path / "p.json").write_text(deep, encoding="utf-8")
    (tmp_path / "main.tf").write_text(
        'resource "aws_sfn_state_machine" "m" {\n  name       = "m"\n  role_arn   = aws_iam_role.r.arn\n'
        '  definition = templatefile("${path.module}/m.asl.json", { items = var.items, shallow = var.shallow })\n'
        '}\nvariable "items" {}\nvariable "shallow" {}\nresource "aws_iam_role" "r" {\n  name = "r"\n}\n'
        'resource "aws_iam_role_policy" "p" {\n  role   = aws_iam_role.r.id\n'
        '  policy = file("${path.module}/p.json")\n}\n', encoding="utf-8")
    (tmp_path / "m.asl.json").write_text(
        '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ${jsonencode(shallow)}, "Next": "Q"}}}',
        encoding="utf-8")
    assert folder_rows(tmp_path) == [
        ("m.asl.json", "ASL101", 1, 93, 1, 96, "Next names state 'Q', which does not exist"),
        ("main.tf", "ASL507", 3, 3, 3, 34,
         "cannot be read statically: policy aws_iam_role_policy.p (not JSON: nested too deeply); coverage is "
         "unknown"),
    ]


def test_suppression_comments_in_tf_files(tmp_path: Path) -> None:
    for project in ("jsonencode", "template_file"):
        target = tmp_path / project
        target.mkdir()
        for source in (PROJECTS / project).rglob("*"):
            if source.is_file():
                copy = target / source.relative_to(PROJECTS / project)
                copy.parent.mkdir(parents=True, exist_ok=True)
                text = source.read_text(encoding="utf-8")
                if source.name == "main.tf":
                    text = text.replace("  role_arn = aws_iam_role.queue.arn\n",
                                        "  # asl-lint: ignore[ASL507] CloudWatch Logs only\n"
                                        "  role_arn = aws_iam_role.queue.arn\n")
                    text = text.replace('  role_arn   = data.aws_iam_role.shared.arn\n',
                                        '  role_arn   = data.aws_iam_role.shared.arn # asl-lint: ignore[ASL507] shared\n')
                copy.write_text(text, encoding="utf-8")
    result = lint_paths([str(tmp_path)], Config())
    assert sorted((Path(d.file).parent.name, d.code, d.line) for d in result.suppressed) == [
        ("jsonencode", "ASL507", 14), ("template_file", "ASL507", 22)]
    assert sorted((Path(d.file).parent.name, d.code, d.line) for d in result.diagnostics) == [
        ("jsonencode", "ASL101", 31), ("template_file", "ASL507", 16)]
    assert not result.internal_errors


def test_heredoc_passed_into_a_module_is_linted_where_it_is_written(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    (tmp_path / "modules" / "flow").mkdir(parents=True)
    (tmp_path / "envs" / "prod" / "main.tf").write_text(
        'module "flow" {\n  source     = "../../modules/flow"\n  definition = <<-EOT\n'
        '    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}\n  EOT\n}\n', encoding="utf-8")
    (tmp_path / "modules" / "flow" / "main.tf").write_text(
        'variable "definition" {}\nresource "aws_sfn_state_machine" "this" {\n  name       = "flow"\n'
        "  definition = var.definition\n}\n", encoding="utf-8")
    for paths in ([tmp_path], [tmp_path / "envs" / "prod" / "main.tf"]):
        result = lint_paths([str(p) for p in paths], Config())
        assert [(Path(d.file).name, d.code, d.line, d.column, d.end_column, d.message) for d in result.diagnostics] == [
            ("main.tf", "ASL101", 4, 63, 69,
             "Next names state 'Nope', which does not exist [machine module.flow.aws_sfn_state_machine.this]")]


def test_terraform_without_state_machines_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n', encoding="utf-8")
    (tmp_path / "broken.tf").write_text('resource "aws_s3_bucket" "c" {\n', encoding="utf-8")
    result = lint_paths([str(tmp_path)], Config())
    assert result.diagnostics == [] and result.files == []
