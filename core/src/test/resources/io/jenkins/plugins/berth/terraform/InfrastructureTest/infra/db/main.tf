# A shared service: applied once per project, reused by every environment.
variable "berth_project" { type = string }

resource "terraform_data" "db" {
  input = var.berth_project
}

output "host" { value = "db.${var.berth_project}.internal" }
