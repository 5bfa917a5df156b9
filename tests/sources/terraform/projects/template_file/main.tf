resource "aws_dynamodb_table" "forms" {
  name         = "forms"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
}

data "template_file" "definition" {
  template = file("${path.module}/definitions/forms.asl.json")
  vars = {
    table = aws_dynamodb_table.forms.name
  }
}

resource "aws_sfn_state_machine" "forms" {
  name       = "forms"
  role_arn   = aws_iam_role.forms.arn
  definition = data.template_file.definition.rendered
}

resource "aws_sfn_state_machine" "plain" {
  name       = "plain"
  role_arn   = data.aws_iam_role.shared.arn
  definition = file("definitions/plain.asl.json")
}

data "aws_iam_role" "shared" {
  name = "shared-step-functions"
}

resource "aws_iam_role" "forms" {
  name               = "forms"
  assume_role_policy = "{}"
}

resource "aws_iam_policy" "forms" {
  name   = "forms-table"
  policy = file("${path.module}/policies/table.json")
}

resource "aws_iam_role_policy_attachment" "forms" {
  role       = aws_iam_role.forms.name
  policy_arn = aws_iam_policy.forms.arn
}

resource "aws_iam_role_policy_attachment" "lambda" {
  role       = aws_iam_role.forms.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaRole"
}
