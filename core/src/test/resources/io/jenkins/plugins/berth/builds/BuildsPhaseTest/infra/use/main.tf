variable "app_file" {
  type = string
}

output "content" {
  value = trimspace(file(var.app_file))
}
