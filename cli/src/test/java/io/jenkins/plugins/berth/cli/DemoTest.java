package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/demo end to end, as a user runs it (the real registry, buildah, OpenTofu, nginx, podman or the
 * process fallback), with a short load loop. The command line is this module's classes (BERTH_DEMO_CLI),
 * not bin/berth: bin/berth would build the jar with Maven from inside this Maven build.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DemoTest {
    private static final Path DEMO = Cli.ROOT.resolve("scripts/demo");

    @TempDir
    Path folder;

    record Run(int exitCode, String out) {}

    private Path launcher() throws IOException {
        Path launcher = folder.resolve("berth");
        if (!Files.exists(launcher)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(launcher, "#!/bin/sh\n# shellcheck disable=SC2086\nexec '" + java + "' ${BERTH_JAVA_OPTS:-} -cp '"
                    + System.getProperty("java.class.path") + "' " + BerthCommand.class.getName() + " \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return launcher;
    }

    private ProcessBuilder demo(Path home, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid", DEMO.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("BERTH_DEMO_HOME", home.toString());
        builder.environment().put("BERTH_DEMO_CLI", launcher().toString());
        builder.environment().remove("BERTH_STATE_HOME");
        return builder;
    }

    private Run run(Path home, String... args) throws Exception {
        Path log = folder.resolve("demo-" + System.nanoTime() + ".log");
        Process process = demo(home, args).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(6, TimeUnit.MINUTES)).as("scripts/demo ends").isTrue();
        return new Run(process.exitValue(), Files.readString(log));
    }

    /** The ports the run picked: the registry's, nginx's, blue's and green's. */
    private static List<Integer> ports(String out) {
        Matcher registry = Pattern.compile("Started an OCI registry on 127\\.0\\.0\\.1:(\\d+)").matcher(out);
        Matcher others = Pattern.compile("nginx on (\\d+), blue on (\\d+),\\s+green on (\\d+)").matcher(out);
        assertThat(registry.find() && others.find()).as("the ports in:\n" + out).isTrue();
        return List.of(Integer.parseInt(registry.group(1)), Integer.parseInt(others.group(1)),
                Integer.parseInt(others.group(2)), Integer.parseInt(others.group(3)));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Processes whose command line names the demo folder (nginx, the registry, the app, conmon...). */
    private static List<String> processesOf(Path home) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                    if (command.contains(home.toString()) && !command.isEmpty()) {
                        found.add(process.getFileName() + ": " + command);
                    }
                } catch (IOException e) {
                    // Gone meanwhile.
                }
            }
        }
        return found;
    }

    private static void assertNothingLeft(Path home, List<Integer> ports, String out) throws IOException {
        assertThat(ports).as("ports still listening after:\n" + out).noneMatch(DemoTest::listening);
        assertThat(processesOf(home)).as("processes left after:\n" + out).isEmpty();
        assertThat(Files.readAllLines(Path.of("/proc/mounts"))).as("mounts left after:\n" + out)
                .noneMatch(line -> line.contains(" " + home + "/"));
    }

    @Test
    void deploysThroughEveryPhaseThenAgainFasterKeepsMainAndDownStopsIt() throws Exception {
        Path home = folder.resolve("demo");

        Run first = run(home, "--load", "1");
        assertThat(first.exitCode()).as(first.out()).isZero();
        assertThat(first.out()).contains(
                "==> stage unit-tests: succeeded",
                "Version 2's image was built",
                "0 failed",
                "v1 (blue)", "v2 (green)",
                "demo-main switched from blue (version 1) to green (version 2) with 0 failed requests",
                "build skipped",
                "Shared stack edge: no changes, apply skipped",
                "Environment demo-feature-login is gone",
                "0 blob uploads",
                "Promoted without moving a layer",
                "Shared stack edge of project demo destroyed",
                "Nothing the demo started is running any more",
                "The demo ran every phase in");
        assertThat(first.out()).containsPattern("demo-feature-login +branch +ready")
                .containsPattern("demo-feature-login +branch +gone").containsPattern("demo-staging +release-stage +ready");
        assertThat(first.out()).containsAnyOf("The app runs as a podman container", "The app runs as a process");
        assertThat(first.out()).doesNotContain("stopped before its end");
        assertNothingLeft(home, ports(first.out()), first.out());

        // Again, leaving main serving: the images are in the registry's folder, so nothing is built.
        Run second = run(home, "--load", "1", "--keep");
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(second.out()).contains("The image was not built", "Version 2's image was not built",
                "Stop it and remove the demo folder with: scripts/demo --down");
        assertThat(second.out()).doesNotContain("Tear down what an earlier run left");
        Matcher url = Pattern.compile("demo-main serves (http://127\\.0\\.0\\.1:\\d+/demo-main/)").matcher(second.out());
        assertThat(url.find()).as(second.out()).isTrue();
        HttpResponse<String> page = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create(url.group(1))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Hello from demo-main: version 2, served by green");

        Run down = run(home, "--down");
        assertThat(down.exitCode()).as(down.out()).isZero();
        assertThat(down.out()).contains("Environment demo-main is gone", "Shared stack edge of project demo destroyed",
                "Removed " + home);
        assertThat(home).doesNotExist();
        assertNothingLeft(home, ports(second.out()), down.out());
    }

    @Test
    void sigtermInTheMiddleTearsDownAndStopsEverythingAlsoWithTheAppAsAProcess() throws Exception {
        Path home = folder.resolve("stopped");
        Path log = folder.resolve("stopped.log");
        ProcessBuilder builder = demo(home).redirectOutput(log.toFile());
        // The fallback where podman cannot run the image: the app runs from the build output.
        builder.environment().put("BERTH_DEMO_RUNTIME", "process");
        Process process = builder.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        // Stopped during the second deploy of main, as Ctrl-C would (the whole process group; SIGTERM, as
        // a JVM started in the background, like this one, has SIGINT ignored for its children too).
        while (!Files.readString(log).contains("$ bin/berth up") || !Files.readString(log).contains("Deploy version 2")) {
            assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("the second deploy starts").isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(1500);
        new ProcessBuilder("kill", "-TERM", "--", "-" + process.pid()).inheritIO().start().waitFor();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log);
        assertThat(process.exitValue()).as(out).isEqualTo(143);
        assertThat(out).contains("The app runs as a process from the build output",
                "The demo stopped before its end (exit code 143)", "Environment demo-main is gone",
                "Shared stack edge of project demo destroyed", "Nothing the demo started is running any more");
        assertNothingLeft(home, ports(out), out);
    }
}
