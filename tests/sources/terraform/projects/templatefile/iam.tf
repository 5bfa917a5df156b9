resource "aws_iam_role" "lambda" {
  name               = "order-worker-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role" "orders" {
  name = "orders-state-machine"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "states.amazonaws.com" } }]
  })
}

# Invokes the worker, but forgets the SNS topic.
resource "aws_iam_role_policy" "orders" {
  name = "invoke-worker"
  role = aws_iam_role.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = [aws_lambda_function.worker.arn, "${aws_lambda_function.worker.arn}:*"]
      }
    ]
  })
}
