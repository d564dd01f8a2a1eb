package io.jenkins.plugins.berth.model;

/** Where images are pushed: a registry address with a path prefix, or an Amazon ECR repository. */
public sealed interface Registry permits Registry.Address, Registry.Ecr {

    /** {@code host[:port]/path}; image {@code web} lives in {@code <address>/web}. */
    record Address(String address) implements Registry {
        @Override
        public String toString() {
            return address;
        }
    }

    /** An ECR repository prefix in one account and region. */
    record Ecr(String account, String region, String repository) implements Registry {
        @Override
        public String toString() {
            return account + ".dkr.ecr." + region + ".amazonaws.com/" + repository;
        }
    }
}
