variable "marks" {
  type = string
}

source "null" "slow" {
  communicator = "none"
}

build {
  sources = ["source.null.slow"]

  provisioner "shell-local" {
    inline = ["echo $$ > '${var.marks}/started'", "exec sleep 300"]
  }
}
