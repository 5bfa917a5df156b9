resource "aws_sns_topic" "events" {
  name = "events"
}

module "workflow" {
  source     = "./modules/workflow"
  name       = "events-flow"
  topic_arn  = aws_sns_topic.events.arn
  definition = "${path.module}/flows/events.asl.json"
}

module "remote" {
  source  = "terraform-aws-modules/step-functions/aws"
  version = "~> 4.0"
}
