resource "aws_sfn_state_machine" "from_local" {
  name       = "${var.prefix}-flow"
  role_arn   = var.role_arn
  definition = local.definition
  type       = var.machine_type
}

variable "definition" {
  type = string
}

resource "aws_sfn_state_machine" "given" {
  name       = "given"
  role_arn   = var.role_arn
  definition = var.definition
}
