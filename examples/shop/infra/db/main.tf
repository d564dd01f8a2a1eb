# A stand-in for a database shared by every environment of the project.
resource "terraform_data" "db" {
  input = "db.shop.internal"
}

output "host" {
  value = terraform_data.db.output
}
