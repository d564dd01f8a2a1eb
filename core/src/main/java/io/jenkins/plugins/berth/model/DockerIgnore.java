package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a build context's {@code .dockerignore}: one pattern per line, {@code #} comments,
 * {@code *} and {@code ?} within one path segment, {@code **} across segments, {@code !} to include
 * again; the last matching rule wins. A pattern that matches a folder excludes what is inside it.
 */
public final class DockerIgnore {

    private record Rule(Pattern pattern, boolean exclude) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exclude = !line.startsWith("!");
            String pattern = exclude ? line : line.substring(1).strip();
            pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
            if (pattern.startsWith("./")) {
                pattern = pattern.substring(2);
            }
            if (!pattern.isEmpty()) {
                rules.add(new Rule(Pattern.compile(regex(pattern) + "(/.*)?"), exclude));
            }
        }
        return new DockerIgnore(rules);
    }

    /** Whether {@code path} (relative to the context, '/'-separated) is left out of the build context. */
    public boolean excludes(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (rule.pattern().matcher(path).matches()) {
                excluded = rule.exclude();
            }
        }
        return excluded;
    }

    /**
     * What a walk of the context leaves out: excluded files and links, and excluded folders when no {@code !}
     * rule could take something inside them back in (then a folder's files are decided one by one).
     */
    public RepositoryPaths.LeftOut leftOut() {
        boolean reincludes = rules.stream().anyMatch(rule -> !rule.exclude());
        return (path, folder) -> excludes(path) && (!folder || !reincludes);
    }

    private static String regex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                    regex.append("/?");
                    i++;
                }
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
