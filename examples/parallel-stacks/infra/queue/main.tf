resource "terraform_data" "queue" {
  input = "queue"
}

output "url" {
  value = "http://127.0.0.1:9324/${terraform_data.queue.output}"
}
