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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Not a test: promotion cost by image size on a local registry (Debian's docker-registry on 127.0.0.1),
 * images of 1 MB, 100 MB and 1 GB pushed through the registry API. Prints, per size: (a) Berth retag
 * within a repository, (b) Berth promotion across repositories (blob mount), (c) {@code skopeo copy}
 * across repositories, (d) the pull-tag-push round trip (skopeo copy to a local OCI layout and back).
 * Run it with {@code scripts/benchmark promotion}.
 */
public final class PromotionBenchmark {

    private static final long MB = 1024 * 1024;

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("berth-promotion-bench");
        try (TestRegistry registry = TestRegistry.start(work, false)) {
            RegistryClient client = registry.client(Optional.empty());
            Promoter promoter = new Promoter(client);
            System.out.printf(Locale.ROOT, "%-8s %12s %12s %12s %12s %10s %10s%n", "size", "(a) retag", "(b) mount",
                    "(c) skopeo", "(d) pull+push", "(c)/(b)", "(d)/(b)");
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
                double skopeo = time(run -> skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                        "docker://" + source, "docker://" + registry.host() + "/mirror/app" + index + "-" + run + ":prod"));
                double roundTrip = time(run -> {
                    Path layout = work.resolve("layout" + index + "-" + run);
                    skopeo("copy", "--src-tls-verify=false", "docker://" + source, "oci:" + layout + ":app");
                    skopeo("copy", "--dest-tls-verify=false", "oci:" + layout + ":app",
                            "docker://" + registry.host() + "/roundtrip/app" + index + "-" + run + ":prod");
                });
                System.out.printf(Locale.ROOT, "%-8s %10.1fms %10.1fms %10.1fms %10.1fms %9.1fx %9.1fx%n", names[i],
                        retag[i], mount[i], skopeo, roundTrip, skopeo / mount[i], roundTrip / mount[i]);
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

    private static void skopeo(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("skopeo failed: " + out);
        }
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
