"""The execution role read from Terraform: every way a policy reaches a role, and what stays unresolved."""

from __future__ import annotations

from pathlib import Path

from asl_lint.sources.base import MachineContext
from asl_lint.sources.terraform import read_terraform

MACHINE = '''
resource "aws_sfn_state_machine" "m" {
  name       = "m"
  role_arn   = ROLE
  definition = jsonencode({ StartAt = "A", States = { A = { Type = "Succeed" } } })
}
'''


def context(tmp_path: Path, role: str, body: str, files: dict[str, str] | None = None) -> MachineContext:
    main = tmp_path / "main.tf"
    main.write_text(MACHINE.replace("ROLE", role) + body, encoding="utf-8")
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (located,) = read_terraform(str(main), main.read_text(encoding="utf-8")).definitions
    assert located.context is not None
    return located.context


def statements(ctx: MachineContext) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    assert ctx.policies is not None
    return [(st.source, tuple(st.actions), tuple(st.resources)) for st in ctx.policies.statements()]


def test_policy_document_data_source(tmp_path: Path) -> None:
    ctx = context(tmp_path, "aws_iam_role.r.arn", '''
resource "aws_iam_role" "r" {
  name = "r"
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.d.json
}
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogDelivery"]
    resources = ["*"]
  }
  statement {
    sid       = "Queue"
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "d" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Queue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.q.arn]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
  }
  statement {
    effect        = "Deny"
    not_actions   = ["sqs:*"]
    not_resources = ["arn:aws:sqs:*:*:*"]
  }
}
resource "aws_sqs_queue" "q" {
  name = "q"
}
''')
    assert ctx.policies is not None and ctx.policies.unresolved == []
    (policy,) = ctx.policies.identity
    assert [(st.sid, st.effect, tuple(st.actions), tuple(st.resources), st.not_action, st.not_resource)
            for st in policy.statements] == [
        ("Logs", "Allow", ("logs:CreateLogDelivery",), ("*",), False, False),
        ("Queue", "Allow", ("sqs:SendMessage",), ("arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:q",), False, False),
        (None, "Deny", ("sqs:*",), ("arn:aws:sqs:*:*:*",), True, True),
    ]
    assert dict(policy.statements[1].condition) == {"StringEquals": {"aws:RequestedRegion": ("eu-west-1",)}}


def test_attachments_managed_arns_boundary_and_other_roles(tmp_path: Path) -> None:
    ctx = context(tmp_path, "aws_iam_role.r.arn", '''
resource "aws_iam_role" "r" {
  name                 = "r"
  managed_policy_arns  = [aws_iam_policy.a.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"]
  permissions_boundary = aws_iam_policy.boundary.arn
}
resource "aws_iam_role" "other" {
  name = "other"
}
resource "aws_iam_policy" "a" {
  name   = "a"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sns:Publish", Resource = "*" }] })
}
resource "aws_iam_policy" "b" {
  name   = "b"
  policy = file("${path.module}/policies/b.json")
}
resource "aws_iam_policy" "boundary" {
  name   = "boundary"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_iam_policy_attachment" "b" {
  name       = "b"
  roles      = [aws_iam_role.r.name, aws_iam_role.other.name]
  policy_arn = aws_iam_policy.b.arn
}
resource "aws_iam_role_policy" "not_mine" {
  role   = aws_iam_role.other.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}
resource "aws_iam_role_policy" "by_name" {
  role   = "r"
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}
  EOT
}
''', {"policies/b.json": '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", '
                           '"Action": "lambda:InvokeFunction", "Resource": "*"}}'})
    assert [(source.split(" ")[0], actions) for source, actions, _ in statements(ctx)] == [
        ("aws_iam_policy.a", ("sns:Publish",)),
        ("aws_iam_policy.b", ("lambda:InvokeFunction",)),
        ("aws_iam_role_policy.by_name", ("sqs:SendMessage",)),
    ]
    assert ctx.policies is not None and ctx.policies.unresolved == [
        "managed policy arn:aws:iam::aws:policy/ReadOnlyAccess attached by aws_iam_role.r.managed_policy_arns "
        "(document not in the configuration)"]
    assert ctx.policies.boundaries is not None and [p.name for p in ctx.policies.boundaries] == [
        "aws_iam_policy.boundary"]


def test_role_by_literal_arn_and_roles_outside(tmp_path: Path) -> None:
    body = 'resource "aws_iam_role" "r" {\n  name = "named"\n  inline_policy {\n    name = "i"\n' \
           '    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sns:Publish", ' \
           'Resource = "*" }] })\n  }\n}\n'
    ctx = context(tmp_path, '"arn:aws:iam::123456789012:role/named"', body)
    assert [(s, a) for s, a, _ in statements(ctx)] == [("aws_iam_role.r/i", ("sns:Publish",))]
    ctx = context(tmp_path, '"arn:aws:iam::123456789012:role/elsewhere"', body)
    assert ctx.policies is not None and ctx.policies.unresolved == [
        "role arn:aws:iam::123456789012:role/elsewhere (not declared in this Terraform configuration)"]
    ctx = context(tmp_path, "module.iam.role_arn", body + 'module "iam" {\n  source = "git::https://example.com/iam"\n}\n')
    assert ctx.policies is not None and ctx.policies.unresolved == [
        "role module.iam.role_arn (module.iam is not a local module of this configuration)"]


def test_a_module_two_roots_use_is_one_machine_per_root(tmp_path: Path) -> None:
    module = tmp_path / "modules" / "flow"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        'variable "wait" {}\nresource "aws_sfn_state_machine" "this" {\n  name = "flow"\n'
        '  definition = jsonencode({ StartAt = "W", States = { W = { Type = "Wait", Seconds = var.wait, End = true } } })\n'
        "}\n", encoding="utf-8")
    for env, wait in (("dev", 1), ("prod", 60)):
        (tmp_path / "envs" / env).mkdir(parents=True)
        (tmp_path / "envs" / env / "main.tf").write_text(
            f'module "flow" {{\n  source = "../../modules/flow"\n  wait   = {wait}\n}}\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    path = module / "main.tf"
    found = read_terraform(str(path), path.read_text(encoding="utf-8")).definitions
    assert sorted((d.context.id if d.context else "", d.definition["States"]["W"]["Seconds"]) for d in found) == [
        (f"module.flow.aws_sfn_state_machine.this@{tmp_path / 'envs' / 'dev'}", 1),
        (f"module.flow.aws_sfn_state_machine.this@{tmp_path / 'envs' / 'prod'}", 60),
    ]
