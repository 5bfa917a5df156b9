resource "aws_lambda_function" "validate" {
  function_name = "orders-validate"
  role          = aws_iam_role.pipeline.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "validate.zip"
}

resource "aws_lambda_function" "charge" {
  function_name = "orders-charge"
  role          = aws_iam_role.pipeline.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "charge.zip"
}

resource "aws_sns_topic" "alerts" {
  name = "orders-alerts"
}

# Lists and maps of values go into the template: its %{ for } and %{ if } directives read them.
resource "aws_sfn_state_machine" "pipeline" {
  name     = "orders-pipeline"
  role_arn = aws_iam_role.pipeline.arn
  definition = templatefile("${path.module}/statemachine/pipeline.asl.json", {
    steps = [
      { name = "Validate", function = aws_lambda_function.validate.arn, timeout = 30 },
      { name = "Charge", function = aws_lambda_function.charge.arn, timeout = 0 },
    ]
    retry_on = var.retry_on
    alerts = {
      enabled = true
      sns     = { topic = aws_sns_topic.alerts.arn, subject = "Order failed" }
    }
  })
}

variable "retry_on" {
  type    = list(string)
  default = ["States.ALL", "Lambda.TooManyRequestsException"]
}

resource "aws_iam_role" "pipeline" {
  name = "orders-pipeline"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "states.amazonaws.com" } }]
  })
}

# Invokes the validation function only: the charge function and the topic are forgotten.
resource "aws_iam_role_policy" "pipeline" {
  role = aws_iam_role.pipeline.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = [aws_lambda_function.validate.arn, "${aws_lambda_function.validate.arn}:*"]
    }]
  })
}
