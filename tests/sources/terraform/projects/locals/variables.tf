variable "prefix" {
  default = "dev"
}

variable "role_arn" {
  type = string
}

variable "machine_type" {
  default = "STANDARD"
}
