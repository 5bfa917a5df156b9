variable "name" {}
variable "topic_arn" {}
variable "definition" {}

resource "aws_sfn_state_machine" "this" {
  name     = var.name
  role_arn = aws_iam_role.this.arn
  definition = templatefile(var.definition, {
    topic = var.topic_arn
  })
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-role"
  assume_role_policy = "{}"
  inline_policy {
    name = "publish"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "sns:Publish", Resource = var.topic_arn }]
    })
  }
}

output "arn" {
  value = aws_sfn_state_machine.this.arn
}
