# Built-in resources only: no provider to download.
variable "berth_environment" { type = string }
variable "greeting" { type = string }
variable "db_host" { type = string }
variable "db_password" {
  type      = string
  sensitive = true
}
variable "sleep_seconds" {
  type    = number
  default = 0
}

resource "terraform_data" "app" {
  input = "${var.berth_environment} ${var.greeting} ${var.db_host}"
  provisioner "local-exec" {
    command     = "test -n \"$PW\"; echo app applied for ${var.berth_environment}"
    environment = { PW = var.db_password }
  }
}

# A slow addition, for tests that kill a run in the middle of an apply.
resource "terraform_data" "slow" {
  count = var.sleep_seconds > 0 ? 1 : 0
  provisioner "local-exec" {
    command = "sleep ${var.sleep_seconds}"
  }
}

output "url" { value = "http://${var.berth_environment}.local:8080/" }
output "token" {
  value     = "tok-${terraform_data.app.id}"
  sensitive = true
}
