package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Not a test: Berth's promotion calls alone, inside one warm JVM, by image size on two local registries (Debian's
 * docker-registry on 127.0.0.1), images of 1 MB, 100 MB and 1 GB pushed through the registry API. Prints, per size:
 * (a) a retag within a repository, (b) a promotion into another repository (blob mount), (c) a promotion into
 * another registry (each blob streamed across). The peers (crane tag, crane copy, a pull and push), and what a user
 * waits for, are in {@code scripts/benchmark promotion}; run this one with {@code scripts/benchmark promotion-jvm}.
 */
public final class PromotionBenchmark {

    private static final long MB = 1024 * 1024;

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("berth-promotion-bench");
        Path otherFolder = Files.createDirectories(work.resolve("other"));
        try (TestRegistry registry = TestRegistry.start(work, false);
                TestRegistry other = TestRegistry.start(otherFolder, false)) {
            RegistryClient client = registry.client(Optional.empty());
            RegistryClient otherClient = other.client(Optional.empty());
            Promoter promoter = new Promoter(host -> host.equals(registry.host()) ? client : otherClient);
            System.out.printf(Locale.ROOT, "%-8s %12s %12s %14s %10s%n", "size", "(a) retag", "(b) mount",
                    "(c) registries", "(c)/(b)");
            double[] retag = new double[3];
            double[] mount = new double[3];
            long[] sizes = {MB, 100 * MB, 1024 * MB};
            String[] names = {"1 MB", "100 MB", "1 GB"};
            for (int i = 0; i < sizes.length; i++) {
                int index = i;
                String repository = "bench/app" + i;
                push(client, work, repository, sizes[i], i);
                ImageReference source = ImageReference.parse(registry.host() + "/" + repository + ":build");
                retag[i] = time(run -> promoter.promote(source, source.withRepositoryAndTag(repository, "staging" + run)));
                // Every timed copy goes to a repository of its own, so none finds the blobs already there.
                mount[i] = time(run -> promoter.promote(source, source.withRepositoryAndTag("release/app" + index + "-"
                        + run, "prod")));
                double across = time(run -> promoter.promote(source, ImageReference.of(other.host(), "live/app" + index
                        + "-" + run, "prod")));
                System.out.printf(Locale.ROOT, "%-8s %10.1fms %10.1fms %12.1fms %9.1fx%n", names[i], retag[i], mount[i],
                        across, across / mount[i]);
            }
            System.out.printf(Locale.ROOT, "1 GB / 1 MB: retag %.2fx, mount %.2fx (target: within 2x)%n",
                    retag[2] / retag[0], mount[2] / mount[0]);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run(int run) throws Exception;
    }

    private static int runs;

    /** Milliseconds, best of 3 (the first run of each warms connections and the JIT). */
    private static double time(Action action) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            action.run(++runs);
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }

    /** An image with one layer of {@code size} random bytes, written and hashed in one pass. */
    private static void push(RegistryClient client, Path work, String repository, long size, long seed) throws Exception {
        Path layer = work.resolve("layer-" + seed);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[(int) MB];
        try (OutputStream out = Files.newOutputStream(layer)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
                sha.update(chunk);
            }
        }
        String layerDigest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        client.uploadBlob(repository, layerDigest, layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layerDigest + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        Path configFile = Files.write(work.resolve("config-" + seed), config);
        client.uploadBlob(repository, RegistryClient.sha256(config), configFile);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestMediaTypes.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + RegistryClient.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + size + "}]}").getBytes(StandardCharsets.UTF_8);
        client.putManifest(repository, "build", new Manifest(manifest, ManifestMediaTypes.OCI_MANIFEST,
                RegistryClient.sha256(manifest)));
        Files.delete(layer);
    }
}
