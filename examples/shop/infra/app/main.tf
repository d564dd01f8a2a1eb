variable "instance_type" { type = string }
variable "db_host" { type = string }
variable "image" { type = string }
variable "berth_environment" { type = string }

resource "terraform_data" "app" {
  input = "${var.berth_environment}.shop.example"
}

output "url" {
  value = "https://${terraform_data.app.output}"
}
