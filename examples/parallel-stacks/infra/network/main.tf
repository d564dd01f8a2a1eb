resource "terraform_data" "net" {
  input = "10.0.0.0/24"
}

output "subnet" {
  value = terraform_data.net.output
}
