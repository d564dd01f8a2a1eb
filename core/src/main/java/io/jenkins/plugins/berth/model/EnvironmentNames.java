package io.jenkins.plugins.berth.model;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Names environments. The result is a DNS-1123 label (lowercase letters, digits and '-', at most 63
 * characters, no leading or trailing '-') because it ends up in host names, Kubernetes namespaces and
 * Terraform state keys. The same input always gives the same name; when a name must be shortened, or
 * loses characters outside ASCII, a hash of the full name keeps two names that look alike apart.
 */
public final class EnvironmentNames {
    /** The longest DNS-1123 label, the bound of {@link Names#DNS_LABEL}. */
    public static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 8;

    private EnvironmentNames() {}

    /**
     * {@code feature/JIRA-12_login} gives {@code feature-jira-12-login}: the branch as a DNS-friendly word. A
     * branch with any character outside ASCII loses some in the slug ({@code фича/ünï} keeps {@code uni}), so
     * it gets a hash of the whole name too: two such branches never share a slug, nor one with an ASCII twin.
     */
    public static String branchSlug(String branch) {
        String slug = normalize(branch);
        if (isAscii(branch)) {
            return slug.isEmpty() ? "b-" + hash(branch) : slug;
        }
        return (slug.isEmpty() ? "b" : slug) + "-" + hash(branch);
    }

    /** The environment name for a branch: the template rendered, then made a DNS-1123 label. */
    public static String environmentName(Template template, String project, String branch) {
        Map<String, String> values = Map.of("PROJECT", project, "BRANCH", branch, "BRANCH_SLUG", branchSlug(branch));
        String rendered = template.resolve(name -> Optional.ofNullable(values.get(name)));
        return label(rendered);
    }

    /** The long-lived environment of a release stage: {@code <project>-<stage>}, as a DNS-1123 label. */
    public static String releaseEnvironment(String project, String stage) {
        return label(project + "-" + stage);
    }

    /** The project name to use when the deploy file has none: a folder or repository name as a DNS-1123 label. */
    public static String projectName(String folder) {
        return label(folder);
    }

    /** True for a DNS-1123 label: what every environment name is, and so safe as a file name. */
    public static boolean isLabel(String text) {
        return Names.DNS_LABEL.matcher(text).matches();
    }

    /**
     * {@code text} when it is a DNS-1123 label, for a step argument that names an environment or a project
     * (it becomes a file name on the controller, so {@code ..}, {@code *} or {@code /} must never pass).
     *
     * @throws IllegalArgumentException naming {@code what} and the rule
     */
    public static String requireLabel(String what, String text) {
        if (text == null || !isLabel(text)) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a DNS label: use lowercase letters,"
                    + " digits and '-', at most 63, starting and ending with a letter or digit (as berth plan names it)");
        }
        return text;
    }

    /**
     * {@code text} as a DNS-1123 label, with a hash suffix when it is too long or lost characters outside ASCII
     * (a template using {@code ${BRANCH}} itself). ASCII names keep the names they always had.
     */
    static String label(String text) {
        String normalized = normalize(text);
        if (normalized.isEmpty()) {
            return "env-" + hash(text);
        }
        boolean lost = !isAscii(text);
        if (!lost && normalized.length() <= MAX_LENGTH) {
            return normalized;
        }
        int room = MAX_LENGTH - HASH_LENGTH - 1;
        String head = normalized.length() <= room ? normalized : normalized.substring(0, room).replaceAll("-+$", "");
        return head + "-" + hash(lost ? text : normalized);
    }

    /**
     * Lowercase, accents taken off letters ({@code ü} is {@code u}); runs of anything but ASCII letters and
     * digits become one '-'; no '-' at either end. ASCII text goes through the decomposition unchanged.
     */
    private static String normalize(String text) {
        String plain = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        return plain.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    private static String hash(String text) {
        return io.jenkins.plugins.berth.Sha256.hex(text).substring(0, HASH_LENGTH);
    }
}
