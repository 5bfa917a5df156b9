resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_sfn_state_machine" "alerts" {
  name     = "alerts"
  role_arn = aws_iam_role.alerts.arn
  definition = <<-EOF
    {
      "StartAt": "Publish",
      "States": {
        "Publish": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sns:publish",
          "Parameters": {"TopicArn": "${aws_sns_topic.alerts.arn}", "Message": "Price: $${price}"},
          "TimeoutSeconds": ${var.timeout},
          "Next": "Done"
        },
        "Done": {"Type": "Succeed", "Comment": "tab\there"}
      }
    }
  EOF
}

variable "timeout" {
  default = 30
}

resource "aws_iam_role" "alerts" {
  name               = "alerts"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "alerts" {
  role   = aws_iam_role.alerts.name
  policy = data.aws_iam_policy_document.alerts.json
}

data "aws_iam_policy_document" "alerts" {
  statement {
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
  }
}
