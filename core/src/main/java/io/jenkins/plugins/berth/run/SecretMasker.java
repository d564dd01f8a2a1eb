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
 * JSON-escaped forms. The longest values are tried first so a secret that contains another is masked whole.
 * Values can be added during a run (a sensitive Terraform output becomes known after its stack applied);
 * masking is safe from several threads.
 *
 * <p>Masking by substring only hides what is long enough to be unlikely elsewhere. A value shorter than
 * {@value #MIN_LENGTH} characters is not masked at all: masking {@code e} turns {@code Deploying} into
 * {@code D****ploying}, which shows the secret to anyone who reads the log. Deploy-file secrets that short are
 * refused before a run ({@link RunVariables#secretValues}). Output is masked line by line, so a value of
 * several lines is masked whole (where a message holds it whole) and by its significant lines: those of at
 * least {@value #MIN_LENGTH} characters with a letter or digit in them, so a JSON secret does not mask
 * every {@code {} and {@code },} of the log.
 */
public final class SecretMasker {

    public static final String MASK = "****";
    /** The fewest characters (code points) a value or a line of it needs to be masked. */
    public static final int MIN_LENGTH = 4;

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

    /** Whether {@code secret} is long enough to be masked ({@value #MIN_LENGTH} characters, blanks aside). */
    public static boolean isMaskable(String secret) {
        return longEnough(secret.strip());
    }

    /**
     * Masks {@code secret} from now on, its significant lines and their encoded forms ({@link SecretEncodings}).
     *
     * @return false when it is too short to be masked ({@link #isMaskable}) and is not
     */
    public synchronized boolean add(String secret) {
        if (!isMaskable(secret)) {
            return false;
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(secret.strip());
        String[] lines = secret.split("\r\n|\r|\n");
        if (lines.length > 1) {
            for (String line : lines) {
                if (isSignificant(line.strip())) {
                    forms.add(line.strip());
                }
            }
        }
        for (String form : List.copyOf(forms)) {
            forms.addAll(SecretEncodings.of(form));
        }
        if (values.addAll(forms)) {
            List<String> ordered = new ArrayList<>(values);
            ordered.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
            pattern = Pattern.compile(String.join("|", ordered.stream().map(Pattern::quote).toList()));
        }
        return true;
    }

    /** A line of a secret worth masking alone: long enough, and more than punctuation ({@code "},"}, {@code -----}). */
    private static boolean isSignificant(String line) {
        return longEnough(line) && line.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    private static boolean longEnough(String text) {
        return text.codePointCount(0, text.length()) >= MIN_LENGTH;
    }

    public String mask(String text) {
        Pattern current = pattern;
        if (current == null || text == null || text.isEmpty()) {
            return text;
        }
        return current.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
    }

    /** True while there is no secret to mask: text passes as it is. */
    public boolean masksNothing() {
        return pattern == null;
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
