package org.jenkinsci.plugins.credentialsbinding.masking;

import hudson.console.LineTransformationOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Subset of credentials-binding {@code SecretPatterns} (719.v80e905ef14eb_). */
public class SecretPatterns {
    private SecretPatterns() {
        throw new UnsupportedOperationException();
    }

    public static Pattern getAggregateSecretPattern(Collection<String> inputs) {
        throw new UnsupportedOperationException();
    }

    public static class MaskingOutputStream extends LineTransformationOutputStream.Delegating {
        public MaskingOutputStream(OutputStream out, Supplier<Pattern> secretPattern, String charsetName) {
            super(out);
            throw new UnsupportedOperationException();
        }

        @Override
        protected void eol(byte[] b, int len) throws IOException {
            throw new UnsupportedOperationException();
        }
    }
}
