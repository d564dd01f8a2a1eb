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
 * Replaces secret values with {@code ****} in any text Berth writes, and their base64, URL-encoded and
 * JSON-escaped forms. Output is masked line by line, so a secret of several lines is masked by each of
 * its lines; the longest values are tried first so a secret that contains another is masked whole.
 * Values can be added during a run (a sensitive Terraform output becomes known after its stack applied);
 * masking is safe from several threads.
 */
public final class SecretMasker {

    public static final String MASK = "****";

    private final Set<String> values = new LinkedHashSet<>();
    private volatile Pattern pattern;

    private SecretMasker() {}

    /** A masker for these secret values. */
    public static SecretMasker of(Collection<String> secrets) {
        SecretMasker masker = new SecretMasker();
        secrets.forEach(masker::add);
        return masker;
    }

    /** A masker with no secret yet. */
    public static SecretMasker none() {
        return new SecretMasker();
    }

    /** Masks {@code secret} from now on, each of its lines, and their encoded forms ({@link SecretEncodings}). */
    public synchronized void add(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        for (String line : secret.split("\r?\n")) {
            forms.add(line);
            forms.add(line.strip());
        }
        for (String form : List.copyOf(forms)) {
            if (!form.isBlank()) {
                forms.addAll(SecretEncodings.of(form));
            }
        }
        if (values.addAll(forms)) {
            List<String> ordered = new ArrayList<>(values);
            ordered.removeIf(String::isBlank);
            ordered.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
            pattern = ordered.isEmpty() ? null
                    : Pattern.compile(String.join("|", ordered.stream().map(Pattern::quote).toList()));
        }
    }

    public String mask(String text) {
        Pattern current = pattern;
        if (current == null || text == null || text.isEmpty()) {
            return text;
        }
        return current.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
    }

    /** True when {@code text} holds a secret value (or a line of one). */
    public boolean containsSecret(String text) {
        Pattern current = pattern;
        return current != null && text != null && current.matcher(text).find();
    }

    /** Never the values. */
    @Override
    public String toString() {
        return "SecretMasker";
    }
}
