terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sfn_state_machine" "queue" {
  name     = "queue-jobs"
  role_arn = aws_iam_role.queue.arn
  definition = jsonencode({
    Comment = "Sends each job to the queue"
    StartAt = "Send"
    States = {
      Send = {
        Type     = "Task"
        Resource = "arn:aws:states:::sqs:sendMessage"
        Parameters = {
          QueueUrl      = aws_sqs_queue.jobs.url
          "MessageBody.$" = "$.job"
        }
        Next = "Wait"
      }
      "Wait" = {
        Type    = "Wait"
        Seconds = 5
        Next    = "Missing"
      }
    }
  })
}

resource "aws_iam_role" "queue" {
  name                = "queue-jobs"
  assume_role_policy  = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"]
  inline_policy {
    name   = "send"
    policy = <<-POLICY
      {
        "Version": "2012-10-17",
        "Statement": [
          {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "${aws_sqs_queue.jobs.arn}"}
        ]
      }
    POLICY
  }
}
