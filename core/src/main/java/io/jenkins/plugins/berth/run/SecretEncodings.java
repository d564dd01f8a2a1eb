package io.jenkins.plugins.berth.run;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The forms a secret takes when a script or a tool encodes it: base64 (also inside a longer base64 text,
 * such as a {@code Basic} header of {@code user:secret}), URL-encoded and JSON-escaped. The masker masks
 * each of them, not only the value as written.
 */
final class SecretEncodings {

    /** Shorter encoded fragments would mask ordinary text everywhere. */
    static final int MIN_LENGTH = SecretMasker.MIN_LENGTH;

    private SecretEncodings() {}

    /** The encoded forms of {@code secret} other than itself, none shorter than {@value #MIN_LENGTH}. */
    static Set<String> of(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 3; shift++) {
            String standard = base64Core(Base64.getEncoder().withoutPadding(), bytes, shift);
            forms.add(standard);
            forms.add(standard.replace('+', '-').replace('/', '_'));
        }
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        String json = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
        forms.add(json);
        // Go's encoder (Terraform's JSON) also escapes <, > and &.
        forms.add(json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"));
        forms.remove(secret);
        forms.removeIf(f -> f.length() < MIN_LENGTH);
        return forms;
    }

    /**
     * The base64 characters that depend on {@code bytes} alone when they start {@code shift} bytes into a
     * 3-byte group: the characters shared with a byte before or after them are left out, so the fragment
     * is found in any base64 text that holds the secret, whatever surrounds it.
     */
    private static String base64Core(Base64.Encoder encoder, byte[] bytes, int shift) {
        byte[] shifted = new byte[shift + bytes.length];
        System.arraycopy(bytes, 0, shifted, shift, bytes.length);
        String encoded = encoder.encodeToString(shifted);
        int start = shift == 0 ? 0 : shift + 1;
        int end = shifted.length % 3 == 0 ? encoded.length() : encoded.length() - 1;
        return start >= end ? "" : encoded.substring(start, end);
    }
}
