# A Packer template with a built-in builder only (no plugin to download): it writes a file, the artifact.
variable "version" {
  type = string
}

source "file" "artifact" {
  content = "app ${var.version}\n"
  target  = "app-${var.version}.txt"
}

build {
  sources = ["source.file.artifact"]

  provisioner "shell-local" {
    inline = ["echo building app ${var.version}"]
  }

  post-processor "manifest" {}
}
