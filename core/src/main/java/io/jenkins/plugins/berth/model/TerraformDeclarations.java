package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables and outputs a Terraform root module declares, read from the {@code variable "x"} and
 * {@code output "x"} blocks of its {@code .tf} and {@code .tofu} files. Berth gives a module only the
 * variables it declares (so Terraform prints no "undeclared variable" warnings) and checks the outputs
 * a deploy file publishes.
 */
public record TerraformDeclarations(boolean hasCode, SortedSet<String> variables, SortedSet<String> outputs) {

    private static final Pattern BLOCK = Pattern.compile("(?m)^\\s*(variable|output)\\s+\"([^\"]+)\"");

    /**
     * What Terraform keeps in a module folder between runs (providers, the backend, the lock file): not part
     * of a stack's sources, so a copy of them neither takes nor follows it ({@code tofu init} run by hand in
     * the repository may leave links to a plugin cache there).
     */
    public static final Set<String> WORKING_FILES = Set.of(".terraform", ".terraform.lock.hcl");

    /**
     * The files of the stack in {@code dir}, as a copy of it takes them: each file's path in the folder to its
     * real path in {@code files} ({@link RepositoryPaths#files}), without {@link #WORKING_FILES}.
     */
    public static SortedMap<String, String> sources(RepositoryFiles files, String dir) throws IOException {
        return RepositoryPaths.files(files, dir, (path, folder) -> java.util.Arrays.stream(path.split("/"))
                .anyMatch(WORKING_FILES::contains));
    }

    /** A {@code variable "name"} block: its name, its file (a path in the repository) and the line it starts on. */
    public record Declaration(String name, String file, int line) {
        /** {@code infra/db/main.tf:3}. */
        public String where() {
            return file + ":" + line;
        }
    }

    /** The {@code variable} blocks of the module in {@code dir} of {@code files}, file by file, each in file order. */
    public static java.util.List<Declaration> variableBlocks(RepositoryFiles files, String dir) throws IOException {
        java.util.List<Declaration> blocks = new java.util.ArrayList<>();
        for (String name : new TreeSet<>(files.list(dir))) {
            if (name.endsWith(".tf") || name.endsWith(".tofu")) {
                String file = dir.isEmpty() ? name : dir + "/" + name;
                String text = files.read(file);
                Matcher m = BLOCK.matcher(text);
                while (m.find()) {
                    if (m.group(1).equals("variable")) {
                        int line = 1 + (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count();
                        blocks.add(new Declaration(m.group(2), file, line));
                    }
                }
            }
        }
        return blocks;
    }

    /** Reads the module in {@code dir} of {@code files}. */
    public static TerraformDeclarations read(RepositoryFiles files, String dir) throws IOException {
        SortedSet<String> variables = new TreeSet<>();
        SortedSet<String> outputs = new TreeSet<>();
        boolean hasCode = false;
        for (String name : files.list(dir)) {
            if (name.endsWith(".tf") || name.endsWith(".tofu")) {
                hasCode = true;
                Matcher m = BLOCK.matcher(files.read(dir.isEmpty() ? name : dir + "/" + name));
                while (m.find()) {
                    (m.group(1).equals("variable") ? variables : outputs).add(m.group(2));
                }
            }
        }
        return new TerraformDeclarations(hasCode, variables, outputs);
    }
}
