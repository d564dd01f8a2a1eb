# Two sources. Each one's provisioner marks that it runs, then waits for the other's mark: the build of
# one source alone, or the two one after the other, never sees both marks and fails.
variable "rendezvous" {
  type = string
}

source "file" "a" {
  content = "a"
  target  = "a.txt"
}

source "file" "b" {
  content = "b"
  target  = "b.txt"
}

build {
  sources = ["source.file.a", "source.file.b"]

  provisioner "shell-local" {
    inline = [
      "touch '${var.rendezvous}/${source.name}'",
      "for i in $(seq 1 300); do [ -e '${var.rendezvous}/a' ] && [ -e '${var.rendezvous}/b' ] && exit 0; sleep 0.1; done",
      "echo 'the other source never ran at the same time'; exit 1",
    ]
  }
}
