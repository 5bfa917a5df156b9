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

variable "partner_key" {
  type      = string
  sensitive = true
}

# Two machines call the partner's API through the same template; the connection ARN is a template
# variable. One role grants the connection's secret, the other forgets it.
resource "aws_sfn_state_machine" "granted" {
  name     = "partner-granted"
  role_arn = aws_iam_role.granted.arn
  definition = templatefile("${path.module}/statemachine/call.asl.json", {
    connection_arn = aws_cloudwatch_event_connection.partner.arn
  })
}

resource "aws_sfn_state_machine" "forgot" {
  name     = "partner-forgot"
  role_arn = aws_iam_role.forgot.arn
  definition = templatefile("${path.module}/statemachine/call.asl.json", {
    connection_arn = aws_cloudwatch_event_connection.partner.arn
  })
}
