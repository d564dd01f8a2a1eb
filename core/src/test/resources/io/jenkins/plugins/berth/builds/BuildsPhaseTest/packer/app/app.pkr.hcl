variable "greeting" {
  type = string
}

variable "token" {
  type      = string
  sensitive = true
}

source "file" "app" {
  content = "${var.greeting}\n"
  target  = "out/app.txt"
}

build {
  sources = ["source.file.app"]

  provisioner "shell-local" {
    environment_vars = ["TOKEN=${var.token}"]
    inline = [
      "echo \"token=$TOKEN\"",
      "printf '%s' \"$TOKEN\" | base64",
    ]
  }

  post-processor "manifest" {}
}
