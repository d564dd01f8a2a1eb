package io.jenkins.plugins.berth.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner berthEnvironment copies into workspaces is in the plugin and runs as the berth command line. */
class RunnerResourceTest {

    @Test
    void theRunnerIsCarriedAndRuns(@TempDir Path temp) throws Exception {
        Path jar = temp.resolve("berth-runner.jar");
        try (InputStream in = BerthEnvironmentStep.class.getResourceAsStream(BerthEnvironmentStep.RUNNER_RESOURCE)) {
            assertThat(in).as(BerthEnvironmentStep.RUNNER_RESOURCE).isNotNull();
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "up", "--help").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("--step=PHASE:NAME").contains("--secrets-from-env");
    }

    /**
     * The launcher the berth variable starts the runner with: the first run leaves a start-up archive beside the jar,
     * later runs use it, and one that no longer fits the jar is passed over without a word; the output is the
     * runner's own every time.
     */
    @Test
    void theLauncherMakesTheStartUpArchiveOnceAndNeverSpeaksOfIt(@TempDir Path temp) throws Exception {
        Path jar = temp.resolve("berth-runner-test.jar");
        try (InputStream in = BerthEnvironmentStep.class.getResourceAsStream(BerthEnvironmentStep.RUNNER_RESOURCE)) {
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        Path launcher = temp.resolve("berth-runner.sh");
        try (InputStream in = BerthEnvironmentStep.class.getResourceAsStream(RunnerFiles.LAUNCHER_RESOURCE)) {
            assertThat(in).as(RunnerFiles.LAUNCHER_RESOURCE).isNotNull();
            Files.copy(in, launcher);
        }
        Path archive = temp.resolve("berth-runner-test.jar.jsa");
        String first = launch(launcher, jar);
        assertThat(archive).exists();
        assertThat(launch(launcher, jar)).isEqualTo(first);
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(launch(launcher, jar)).as("an archive made for another jar").isEqualTo(first);
        try (var files = Files.list(temp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("berth-runner-test.jar",
                    "berth-runner-test.jar.jsa", "berth-runner.sh");
        }
    }

    private static String launch(Path launcher, Path jar) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", launcher.toString(), "--version").redirectErrorStream(true);
        builder.environment().put("BERTH_RUNNER", jar.toString());
        builder.environment().put("BERTH_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("berth ").doesNotContain("warning").doesNotContain("cds");
        return output;
    }
}
