variable "subnet" { type = string }
variable "queue_url" { type = string }

resource "terraform_data" "app" {
  input = var.subnet
}

output "url" {
  value = "http://127.0.0.1:8080"
}
