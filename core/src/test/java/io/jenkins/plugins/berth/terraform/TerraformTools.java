package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The OpenTofu that scripts/install-tools builds; tests fail (not skip) when it is missing. */
final class TerraformTools {
    private TerraformTools() {}

    static List<Path> searchPath() {
        Path bin = TestFiles.projectRoot().resolve(".tools/bin");
        if (!Files.isExecutable(bin.resolve("tofu"))) {
            throw new AssertionError("OpenTofu is missing from " + bin + ": run scripts/install-tools");
        }
        return List.of(bin);
    }
}
