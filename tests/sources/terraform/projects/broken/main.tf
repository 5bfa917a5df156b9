resource "aws_sfn_state_machine" "ok" {
  name       = "ok"
  definition = jsonencode({ StartAt = "A", States = { A = { Type = "Succeed" } } })
}
