prefix       = "prod"
machine_type = "EXPRESS"
