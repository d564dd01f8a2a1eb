package io.jenkins.plugins.berth.builds;

import io.jenkins.plugins.berth.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds {@code packer} on the search path, and reads the version {@code packer version} prints. */
public final class PackerBinary {

    private static final Pattern VERSION = Pattern.compile("Packer v([0-9][0-9A-Za-z.+-]*)");

    private PackerBinary() {}

    /** The first {@code packer} of {@code searchPath}. */
    public static Path find(List<Path> searchPath) throws BerthException {
        for (Path folder : searchPath) {
            Path candidate = folder.resolve("packer");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new BerthException("no packer found on the PATH: the deploy file has builds. Install Packer"
                + " (scripts/install-tools builds Packer 1.9.4 into .tools/bin) or put it on the PATH");
    }

    /** {@code 1.9.4} from the output of {@code packer version} ({@code Packer v1.9.4}). */
    public static Optional<String> parseVersion(String output) {
        Matcher m = VERSION.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
