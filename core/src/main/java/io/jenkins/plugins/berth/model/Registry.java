package io.jenkins.plugins.berth.model;

/** Where images are pushed: a registry address with a path prefix, or an Amazon ECR repository. */
public sealed interface Registry permits Registry.Address, Registry.Ecr {

    /** The registry's host (and port): {@code 127.0.0.1:5000}, {@code 1234.dkr.ecr.eu-west-1.amazonaws.com}. */
    String host();

    /** The repository path every image's repository starts with: {@code shop} of {@code 127.0.0.1:5000/shop}. */
    String prefix();

    /** The repository of image {@code image} in this registry: {@code shop/web}. */
    default String repositoryOf(String image) {
        return prefix().isEmpty() ? image : prefix() + "/" + image;
    }

    /** {@code host[:port]/path}; image {@code web} lives in {@code <address>/web}. */
    record Address(String address) implements Registry {
        @Override
        public String host() {
            int slash = address.indexOf('/');
            return slash < 0 ? address : address.substring(0, slash);
        }

        @Override
        public String prefix() {
            int slash = address.indexOf('/');
            return slash < 0 ? "" : address.substring(slash + 1);
        }

        @Override
        public String toString() {
            return address;
        }
    }

    /** An ECR repository prefix in one account and region. */
    record Ecr(String account, String region, String repository) implements Registry {
        @Override
        public String host() {
            return account + ".dkr.ecr." + region + ".amazonaws.com";
        }

        @Override
        public String prefix() {
            return repository;
        }

        @Override
        public String toString() {
            return host() + "/" + repository;
        }
    }
}
