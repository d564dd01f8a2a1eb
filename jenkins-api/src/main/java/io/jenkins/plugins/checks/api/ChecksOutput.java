package io.jenkins.plugins.checks.api;

/** Subset of checks-api {@code io.jenkins.plugins.checks.api.ChecksOutput} (402.vca_263b_f200e3). */
public class ChecksOutput {
    private ChecksOutput() {
        throw new UnsupportedOperationException();
    }

    /** Subset of checks-api {@code ChecksOutput.ChecksOutputBuilder}. */
    public static class ChecksOutputBuilder {
        public ChecksOutputBuilder() {
            throw new UnsupportedOperationException();
        }

        public ChecksOutputBuilder withTitle(final String title) {
            throw new UnsupportedOperationException();
        }

        public ChecksOutputBuilder withSummary(final String summary) {
            throw new UnsupportedOperationException();
        }

        public ChecksOutputBuilder withText(final String text) {
            throw new UnsupportedOperationException();
        }

        public ChecksOutput build() {
            throw new UnsupportedOperationException();
        }
    }
}
