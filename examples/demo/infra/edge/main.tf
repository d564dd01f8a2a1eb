# The shared stack: the project's nginx on 127.0.0.1, which every environment's route goes through.
# One for the whole project (shared: true): the first deploy creates it, later ones (other branches, the
# release stage) find nothing to change and only read its outputs. Built-in resources only: nginx.sh
# (next to this file) starts and stops it.
variable "port" {
  type        = string
  description = "The port nginx listens on (scripts/demo picks a free one)."
}

variable "dir" {
  type        = string
  description = "nginx's folder: its configuration, each environment's route and upstream, logs, pid."
}

resource "terraform_data" "nginx" {
  input            = { port = var.port, dir = var.dir }
  triggers_replace = [var.port, var.dir] # another port or folder: a new nginx (stop, then start)

  provisioner "local-exec" {
    command     = "sh ./nginx.sh start"
    working_dir = path.module
    environment = { DIR = var.dir, PORT = var.port }
    quiet       = true
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "sh ./nginx.sh stop"
    working_dir = path.module
    environment = { DIR = self.input.dir }
    quiet       = true
  }
}

output "url" {
  value = "http://127.0.0.1:${terraform_data.nginx.output.port}"
}

output "dir" {
  value = terraform_data.nginx.output.dir
}
