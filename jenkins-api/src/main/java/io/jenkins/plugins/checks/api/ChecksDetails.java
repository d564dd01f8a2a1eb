package io.jenkins.plugins.checks.api;

import java.time.LocalDateTime;

/** Subset of checks-api {@code io.jenkins.plugins.checks.api.ChecksDetails} (402.vca_263b_f200e3). */
public class ChecksDetails {
    private ChecksDetails() {
        throw new UnsupportedOperationException();
    }

    /** Subset of checks-api {@code ChecksDetails.ChecksDetailsBuilder}. */
    public static class ChecksDetailsBuilder {
        public ChecksDetailsBuilder() {
            throw new UnsupportedOperationException();
        }

        public ChecksDetailsBuilder withName(final String name) {
            throw new UnsupportedOperationException();
        }

        public ChecksDetailsBuilder withStatus(final ChecksStatus status) {
            throw new UnsupportedOperationException();
        }

        public ChecksDetailsBuilder withDetailsURL(final String detailsURL) {
            throw new UnsupportedOperationException();
        }

        public ChecksDetailsBuilder withStartedAt(final LocalDateTime startedAt) {
            throw new UnsupportedOperationException();
        }

        public ChecksDetailsBuilder withConclusion(final ChecksConclusion conclusion) {
            throw new UnsupportedOperationException();
        }

        public ChecksDetailsBuilder withCompletedAt(final LocalDateTime completedAt) {
            throw new UnsupportedOperationException();
        }

        public ChecksDetailsBuilder withOutput(final ChecksOutput output) {
            throw new UnsupportedOperationException();
        }

        public ChecksDetails build() {
            throw new UnsupportedOperationException();
        }
    }
}
