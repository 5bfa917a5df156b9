locals {
  wait_seconds = 10
  definition = jsonencode({
    StartAt = "Pause"
    States = {
      Pause = { Type = "Wait", Seconds = local.wait_seconds, Next = "Finish" }
      Finish = { Type = "Succeed" }
    }
  })
}
