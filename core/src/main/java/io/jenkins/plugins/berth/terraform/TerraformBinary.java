package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the program that drives the stacks: {@code terraform.binary}, or the first of tofu and terraform. */
public final class TerraformBinary {

    private TerraformBinary() {}

    /**
     * @param setting the deploy file's {@code terraform.binary}: a path (with a '/') or a name to look up
     * @param searchPath the folders to look in, in order (the PATH)
     */
    public static Path find(Optional<String> setting, List<Path> searchPath) throws BerthException {
        if (setting.isPresent() && setting.get().contains("/")) {
            Path path = Path.of(setting.get());
            if (!Files.isExecutable(path)) {
                throw new BerthException("terraform.binary " + setting.get() + " is not an executable file");
            }
            return path;
        }
        List<String> names = setting.map(List::of).orElse(List.of("tofu", "terraform"));
        for (String name : names) {
            for (Path folder : searchPath) {
                Path candidate = folder.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new BerthException("no " + String.join(" or ", names) + " found on the PATH. Install OpenTofu"
                + " (scripts/install-tools builds it into .tools/bin) or Terraform, or name the program with"
                + " 'terraform: { binary: /path/to/tofu }'");
    }

    /** The folders of a PATH value. */
    public static List<Path> path(String value) {
        return value == null ? List.of() : java.util.Arrays.stream(value.split(java.io.File.pathSeparator))
                .filter(s -> !s.isEmpty()).map(Path::of).toList();
    }
}
