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
}
