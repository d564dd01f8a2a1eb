package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.deploy.Engine;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Problem;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeatureTest {
    private static final DeployFile EVERYTHING = TestFiles.valid("""
            version: 1
            registry: 127.0.0.1:5000/shop
            images:
              web: { context: web }
            infrastructure:
              - { name: app, dir: infra }
            stages:
              - { name: test, run: make test }
              - name: publish
                deploy: { strategy: blue-green, target: script, colors: { blue: 8081, green: 8082 },
                          start: ./start, stop: ./stop, switch: ./switch,
                          health: { url: "http://127.0.0.1:${BERTH_PORT}/" } }
            release:
              - stage: staging
            teardown:
              - { name: cleanup, run: ./cleanup }
            """);

    @Test
    void eachUnsupportedFeatureIsReportedWhereTheFileFirstUsesIt() {
        assertThat(Feature.unsupported(EVERYTHING, Set.of())).extracting(p -> p.position() + " " + p.message()
                .substring(0, p.message().indexOf(':')))
                .containsExactly(
                        "berth.yml:4:3 'images' is not supported yet",
                        "berth.yml:6:5 'infrastructure' is not supported yet",
                        "berth.yml:9:5 'deploy' is not supported yet",
                        "berth.yml:14:5 'release' is not supported yet",
                        "berth.yml:16:5 'teardown' is not supported yet");
    }

    @Test
    void supportedFeaturesAreNotReported() {
        assertThat(Feature.unsupported(EVERYTHING, EnumSet.allOf(Feature.class))).isEmpty();
        assertThat(Feature.unsupported(EVERYTHING, EnumSet.complementOf(EnumSet.of(Feature.RELEASE))))
                .extracting(Problem::message).singleElement().asString().startsWith("'release' is not supported yet");
    }

    @Test
    void aFileOfPlainStagesNeedsNothing() {
        assertThat(Feature.unsupported(TestFiles.valid("""
                version: 1
                init_stages: [{ name: a, run: "true" }]
                stages: [{ name: b, run: "true" }]
                """), Set.of())).isEmpty();
        assertThat(Engine.builder().features()).isEmpty();
    }
}
