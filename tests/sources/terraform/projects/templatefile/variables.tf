variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "partner_key" {
  type      = string
  sensitive = true
}
