package io.jenkins.plugins.berth.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secret values with {@code ****} in any text Berth writes. Output is masked line by line, so
 * a secret of several lines is masked by each of its lines; the longest values are tried first so a
 * secret that contains another is masked whole.
 */
public final class SecretMasker {

    public static final String MASK = "****";

    private static final SecretMasker NONE = new SecretMasker(List.of());

    private final Pattern pattern;

    private SecretMasker(Collection<String> secrets) {
        Set<String> values = new LinkedHashSet<>();
        for (String secret : secrets) {
            values.add(secret);
            for (String line : secret.split("\r?\n")) {
                values.add(line);
                values.add(line.strip());
            }
        }
        List<String> ordered = new ArrayList<>(values);
        ordered.removeIf(String::isBlank);
        ordered.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        this.pattern = ordered.isEmpty() ? null
                : Pattern.compile(String.join("|", ordered.stream().map(Pattern::quote).toList()));
    }

    /** A masker for these secret values. */
    public static SecretMasker of(Collection<String> secrets) {
        return secrets.isEmpty() ? NONE : new SecretMasker(secrets);
    }

    public static SecretMasker none() {
        return NONE;
    }

    public String mask(String text) {
        if (pattern == null || text == null || text.isEmpty()) {
            return text;
        }
        return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
    }

    /** Never the values. */
    @Override
    public String toString() {
        return "SecretMasker";
    }
}
