package io.jenkins.plugins.berth.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The records' own JSON against the mapper's: the same text for every field a record has, the same records read
 * back, and the same refusals (a newer Berth's record, no record, unknown keys, values of the wrong type).
 */
class RecordJsonTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00.123456789Z");

    /** A record with every field set, and every nested record with every field set. */
    static EnvironmentRecord full() {
        StepResult failed = new StepResult("stages", "migrate", "stage", StepStatus.FAILED_CONTINUED, Optional.of(AT),
                1234, Optional.of(2), Optional.of("its script exited with code 2 \"quoted\" \u00e9\n"));
        StepResult skipped = new StepResult("stages", "notify", "stage", StepStatus.SKIPPED, Optional.empty(), 0,
                Optional.empty(), Optional.empty());
        BlueGreenRecord.Deployment deployment = new BlueGreenRecord.Deployment("blue", Map.of("web", "r/web@sha256:1"),
                "up", "succeeded", AT, 99, Optional.of("none"));
        BlueGreenRecord colors = new BlueGreenRecord(Optional.of("blue"), Optional.of("green"),
                Optional.of(AT.plusSeconds(60)), List.of(deployment, new BlueGreenRecord.Deployment("green", Map.of(),
                        "rollback", "failed", AT, 1, Optional.empty())), Optional.of("green"),
                Optional.of("http://127.0.0.1:9/preview"),
                Optional.of(new BlueGreenRecord.Pending("green", "d-1", AT, Map.of("web", "r/web@sha256:2"))),
                Optional.of(new BlueGreenRecord.Ports(8081, 8082)));
        BuildRecord build = new BuildRecord("app:file.a", "v1", BuildRecord.SUCCEEDED, List.of(
                new BuildRecord.BuildArtifact("file.a", 0, "packer.file", "id-1", "the file", List.of("/a", "/b"),
                        Optional.of("m-1")),
                new BuildRecord.BuildArtifact("file.a", 1, "packer.post", "", "", List.of(), Optional.empty())),
                "builds/app", true);
        return EnvironmentRecord.create("shop-pr-7", "shop", "PR-7", EnvironmentKind.PULL_REQUEST, true, AT)
                .withRevision(41)
                .withDeploy(Optional.of("abc123"), Optional.of(Duration.ofDays(3)), AT)
                .withStatus(EnvironmentStatus.READY, AT.plusSeconds(5))
                .withRun(new RunRecord("down", AT, Optional.of(AT.plusSeconds(5)), Optional.of(StepStatus.SUCCEEDED),
                        List.of(failed, skipped), Optional.of("https://ci.example.com/job/shop/7/"),
                        Optional.of("the branch is gone")), Optional.of("https://shop-pr-7.example.com/"), AT)
                .withStacks(List.of(new StackRecord("app", false, "http", "shop/app/shop-pr-7", "work/app"),
                        new StackRecord("db", true, "s3", "shop/db", "work/db")), AT)
                .withImages(Map.of("web", "r/web@sha256:1", "api", "r/api@sha256:3"), AT)
                .withOutputs(Map.of("APP_URL", "https://x", "DB_HOST", "db"), AT)
                .withBlueGreen(colors, AT)
                .withWalk(new EnvironmentRecord.Walk("w-1", true), AT)
                .withBuilds(List.of(build), AT);
    }

    @Test
    void everyFieldIsWrittenAsTheMapperWritesItAndReadsBackTheSame() throws Exception {
        for (EnvironmentRecord record : List.of(full(), EnvironmentRecord.create("shop-main", "shop", "main",
                EnvironmentKind.BRANCH, false, AT), full().withStatus(EnvironmentStatus.GONE, AT))) {
            byte[] ours = RecordJson.write(record);
            assertThat(new String(ours, StandardCharsets.UTF_8))
                    .isEqualTo(Json.mapper().writeValueAsString(record));
            assertThat(RecordJson.read(ours)).isEqualTo(record)
                    .isEqualTo(Json.mapper().readValue(ours, EnvironmentRecord.class));
        }
    }

    /** Records older Berths wrote lack later keys: read as the mapper reads them. */
    @Test
    void missingOptionalKeysReadAsTheMapperReadsThem() throws Exception {
        String old = """
                {"schema_version": 1, "revision": 3, "name": "shop-main", "project": "shop", "branch": "main",
                 "status": "ready", "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:00:00Z",
                 "last_run": {"command": "up", "started_at": "2026-11-22T10:00:00Z", "steps": [
                   {"phase": "stages", "name": "a", "kind": "stage", "status": "succeeded", "exit_code": null}]},
                 "blue_green": {"live": "blue", "history": []}, "url": null}
                """;
        byte[] content = old.getBytes(StandardCharsets.UTF_8);
        EnvironmentRecord ours = RecordJson.read(content);
        assertThat(ours).isEqualTo(Json.mapper().readValue(content, EnvironmentRecord.class));
        assertThat(ours.kind()).isEqualTo(EnvironmentKind.BRANCH);
        assertThat(ours.stacks()).isEmpty();
        assertThat(ours.lastRun().get().steps().get(0).exitCode()).isEmpty();
        assertThat(ours.blueGreen().get().ports()).isEmpty();
    }

    @Test
    void whatIsNoRecordOrANewerOneIsToldApart() throws Exception {
        for (String none : List.of("", "[]", "\"text\"", "{}", "{\"schema_version\": 0}", "{\"schema_version\": \"1\"}")) {
            assertThatThrownBy(() -> RecordJson.read(none.getBytes(StandardCharsets.UTF_8))).as(none)
                    .isInstanceOfSatisfying(RecordJson.Unreadable.class, e -> assertThat(e.noRecord()).isTrue());
        }
        assertThatThrownBy(() -> RecordJson.read("{\"schema_version\": 7, \"future\": {}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RecordJson.Unreadable.class, e -> assertThat(e.newerVersion()).isEqualTo(7));
    }

    /**
     * Unknown keys and values of the wrong type are refused, saying where: what the mapper refuses and more (it takes a
     * number for a text, 8081.5 for 8081).
     */
    @Test
    void badValuesAreRefusedNamingTheirKey() throws Exception {
        String good = Json.mapper().writeValueAsString(full());
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put(good.replace("\"revision\" : 41", "\"revision\" : \"41\""), "revision: not a whole number");
        bad.put(good.replace("\"protected\" : true", "\"protected\" : \"yes\""), "protected: not true or false");
        bad.put(good.replace("\"name\" : \"shop-pr-7\"", "\"name\" : 3"), "name: not a string");
        bad.put(good.replace("\"status\" : \"ready\"", "\"status\" : \"sleeping\""),
                "status: unknown environment status 'sleeping'");
        bad.put(good.replace("\"exit_code\" : 2", "\"exit_code\" : 2, \"extra\" : 1"), "last_run.steps[0].extra: unknown key");
        bad.put(good.replace("\"blue\" : 8081", "\"blue\" : 8081.5"), "blue_green.ports.blue: not a whole number");
        bad.put(good.replace("\"created_at\" : \"2026", "\"created_at\" : \"20x26"), "created_at: not an ISO-8601 instant");
        bad.put(good.replace("\"name\" : \"shop-pr-7\",", ""), "a required value name is missing");
        bad.put(good.replace("\"files\" : [ \"/a\", \"/b\" ]", "\"files\" : [ 1 ]"), "builds[0].artifacts[0].files[0]: not a string");
        bad.put(good.replace("\"stacks\" : [", "\"stacks\" : \"none\", \"other\" : ["), "stacks: not a list");
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            assertThat(entry.getKey()).as("the test changed the text: " + entry.getValue()).isNotEqualTo(good);
            assertThatThrownBy(() -> RecordJson.read(entry.getKey().getBytes(StandardCharsets.UTF_8)))
                    .as(entry.getValue()).isInstanceOf(RecordJson.Unreadable.class).hasMessageContaining(entry.getValue());
        }
    }

    @Test
    void badSyntaxIsTheParsersOwnMessage() {
        assertThatThrownBy(() -> RecordJson.read("{\"schema_version\": 1,".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class)
                .hasMessageContaining("Unexpected end-of-input");
    }
}
