# The environment's own stack: its route in the shared nginx, /<environment>/, and the outputs that
# become the environment's URL and the app's BASE_PATH. Built-in resources only: route.sh (next to
# this file) adds and removes the route. berth_environment comes from Berth; edge_dir and edge_url
# from the outputs of the shared edge stack (vars in berth.yml).
variable "berth_environment" { type = string }
variable "edge_dir" { type = string }
variable "edge_url" { type = string }

locals {
  base_path = "/${var.berth_environment}/"
}

# The route, and the upstream it goes to: until Berth's first blue-green switch of the environment
# rewrites that upstream (the same file), it has no server.
resource "terraform_data" "route" {
  input            = { name = var.berth_environment, dir = var.edge_dir, base_path = local.base_path }
  triggers_replace = [var.berth_environment, var.edge_dir, var.edge_url] # a new nginx: add the route again

  provisioner "local-exec" {
    command     = "sh ./route.sh add"
    working_dir = path.module
    environment = { NAME = self.input.name, DIR = self.input.dir, BASE_PATH = self.input.base_path }
    quiet       = true
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "sh ./route.sh remove"
    working_dir = path.module
    environment = { NAME = self.input.name, DIR = self.input.dir, BASE_PATH = self.input.base_path }
    quiet       = true
  }
}

output "url" {
  value = "${var.edge_url}${local.base_path}"
}

output "base_path" {
  value = local.base_path
}
