resource "aws_sfn_state_machine" "bad" {
  name = "bad"
  definition = jsonencode({
    StartAt = "A"
  # the object is never closed
}
