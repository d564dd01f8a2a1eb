variable "marks" {
  type = string
}

# The null builder runs Packer's provisioning step, whose clean-up runs the error-cleanup provisioner.
source "null" "broken" {
  communicator = "none"
}

build {
  sources = ["source.null.broken"]

  provisioner "shell-local" {
    inline = ["echo provisioning fails", "exit 3"]
  }

  # Runs when a provisioner fails, before Packer cleans up (-on-error=cleanup).
  error-cleanup-provisioner "shell-local" {
    inline = ["touch '${var.marks}/cleaned-up'"]
  }
}
