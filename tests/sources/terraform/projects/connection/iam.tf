data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "granted" {
  name               = "partner-granted"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role" "forgot" {
  name               = "partner-forgot"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "call" {
  statement {
    actions   = ["states:InvokeHTTPEndpoint"]
    resources = [aws_sfn_state_machine.granted.arn, aws_sfn_state_machine.forgot.arn]
    condition {
      test     = "StringLike"
      variable = "states:HTTPEndpoint"
      values   = ["https://partner.example.com/*"]
    }
  }
  statement {
    actions   = ["events:RetrieveConnectionCredentials"]
    resources = [aws_cloudwatch_event_connection.partner.arn]
  }
}

resource "aws_iam_role_policy" "granted" {
  role = aws_iam_role.granted.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(jsondecode(data.aws_iam_policy_document.call.json).Statement, [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      Resource = aws_cloudwatch_event_connection.partner.secret_arn
    }])
  })
}

resource "aws_iam_role_policy" "forgot" {
  role   = aws_iam_role.forgot.id
  policy = data.aws_iam_policy_document.call.json
}
