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

        private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
                "([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

        /** The registry's host: {@code <account>.dkr.ecr.<region>.amazonaws.com}, {@code .com.cn} in China's regions. */
        @Override
        public String host() {
            return account + ".dkr.ecr." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "");
        }

        /** The ECR registry (account and region, no repository) a host such as {@link #host()} names, if it is one. */
        public static java.util.Optional<Ecr> atHost(String host) {
            java.util.regex.Matcher m = HOST.matcher(host);
            return m.matches() && (m.group(3) != null) == m.group(2).startsWith("cn-")
                    ? java.util.Optional.of(new Ecr(m.group(1), m.group(2), "")) : java.util.Optional.empty();
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
