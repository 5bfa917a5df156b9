resource "aws_lambda_function" "worker" {
  function_name = "order-worker"
  role          = aws_iam_role.lambda.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "worker.zip"
}

resource "aws_sns_topic" "done" {
  name = "orders-done"
}

resource "aws_cloudwatch_event_connection" "partner" {
  name               = "partner"
  authorization_type = "API_KEY"
  auth_parameters {
    api_key {
      key   = "x-api-key"
      value = var.partner_key
    }
  }
}

resource "aws_sfn_state_machine" "orders" {
  name     = "orders"
  role_arn = aws_iam_role.orders.arn
  type     = "EXPRESS"
  definition = templatefile("${path.module}/statemachine/orders.asl.json", {
    worker_arn = aws_lambda_function.worker.arn
    topic_arn  = aws_sns_topic.done.arn
    endpoint   = "http://partner.example.com/orders"
    retries    = 3
    region     = var.region
    connection_arn = aws_cloudwatch_event_connection.partner.arn
  })
}
