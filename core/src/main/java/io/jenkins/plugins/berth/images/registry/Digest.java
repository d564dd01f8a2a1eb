package io.jenkins.plugins.berth.images.registry;

import java.util.regex.Pattern;

/**
 * A content digest as registries name manifests and blobs: {@code sha256:} and 64 lowercase hex digits.
 * The one place that knows the form; a reference pinned to a digest is {@link ImageReference#pinned}.
 */
public record Digest(String value) {

    static final String PATTERN = "sha256:[a-f0-9]{64}";
    private static final Pattern DIGEST = Pattern.compile(PATTERN);

    public Digest {
        if (!isDigest(value)) {
            throw new IllegalArgumentException("not a sha256 digest: '" + value + "'");
        }
    }

    /** The digest of {@code content}. */
    public static Digest of(byte[] content) {
        return new Digest("sha256:" + io.jenkins.plugins.berth.Sha256.hex(content));
    }

    /** True when {@code reference} (a tag or a digest in a manifest request) is a digest. */
    public static boolean isDigest(String reference) {
        return DIGEST.matcher(reference).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
