package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.model.BuildArgValues;
import io.jenkins.plugins.berth.model.MissingBuildArg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the controller keeps while a build asks for build arguments, and after: {@link BuildArgNotes}. */
class BuildArgNotesTest {

    @TempDir
    Path folder;

    private static final List<MissingBuildArg> MISSING = List.of(
            new MissingBuildArg("web", "TOKEN", "web/Dockerfile", 3, Optional.of("build")),
            new MissingBuildArg("api", "VERSION", "api/Dockerfile", 1, Optional.empty()));

    @Test
    void aWaitIsNotedUntilTheAnswerIsGivenAndTheValuesAreRemembered() throws Exception {
        BuildArgNotes notes = new BuildArgNotes(folder.resolve("build-args"));
        assertThat(notes.waiting()).isEmpty();
        assertThat(notes.remembered("shop-main").isEmpty()).isTrue();
        notes.waitFor("shop-main", MISSING);
        assertThat(notes.waiting()).containsExactly(Map.entry("shop-main", List.of("web.TOKEN", "api.VERSION")));
        assertThat(notes.waitingFor("shop-main")).contains(List.of("web.TOKEN", "api.VERSION"));
        assertThat(notes.waitingFor("shop-other")).isEmpty();

        BuildArgValues all = notes.give("shop-main", MISSING, Map.of("web.TOKEN", "t0k", "api.VERSION", "1.2"));
        assertThat(all.byImage()).isEqualTo(Map.of("web", Map.of("TOKEN", "t0k"), "api", Map.of("VERSION", "1.2")));
        assertThat(notes.waiting()).isEmpty();
        assertThat(notes.remembered("shop-main")).isEqualTo(all);
        // A later answer adds to what was remembered, and wins for the same name.
        notes.give("shop-main", MISSING.subList(0, 1), Map.of("web.TOKEN", "new"));
        assertThat(notes.remembered("shop-main").byImage()).isEqualTo(Map.of("web", Map.of("TOKEN", "new"), "api",
                Map.of("VERSION", "1.2")));
        assertThat(BuildArgNotes.environment(notes.remembered("shop-main")))
                .containsExactly("BERTH_BUILD_ARGS={\"api\":{\"VERSION\":\"1.2\"},\"web\":{\"TOKEN\":\"new\"}}");
        assertThat(BuildArgNotes.environment(BuildArgValues.none())).isEmpty();
        try (var files = Files.list(folder.resolve("build-args"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("shop-main.json");
        }
    }

    @Test
    void anEmptyAnswerIsRefusedNamingEachAndChangesNothing() throws Exception {
        BuildArgNotes notes = new BuildArgNotes(folder);
        notes.waitFor("shop-main", MISSING);
        assertThatThrownBy(() -> notes.give("shop-main", MISSING, Map.of("web.TOKEN", "  ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no value for build arguments web.TOKEN, api.VERSION; run the build again and give them,"
                        + " or add them to images.<name>.args in the deploy file");
        assertThat(notes.remembered("shop-main").isEmpty()).isTrue();
        assertThat(notes.waiting()).containsOnlyKeys("shop-main");
        notes.stopWaiting("shop-main");
        assertThat(notes.waiting()).isEmpty();
    }

    @Test
    void environmentNamesThatCouldLeaveTheFolderAreRefused() {
        BuildArgNotes notes = new BuildArgNotes(folder);
        assertThatThrownBy(() -> notes.waitFor("../x", MISSING)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> notes.remembered("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePlanListsEachMissingArgumentWithWhereItIsDeclared() {
        assertThat(BuildArgNotes.forPlan(MISSING)).containsExactly(
                Map.of("parameter", "web.TOKEN", "image", "web", "name", "TOKEN", "declaredAt",
                        "web/Dockerfile:3 (stage build)", "description",
                        "ARG TOKEN of image web, declared at web/Dockerfile:3 (stage build) without a default"),
                Map.of("parameter", "api.VERSION", "image", "api", "name", "VERSION", "declaredAt",
                        "api/Dockerfile:1 (global)", "description",
                        "ARG VERSION of image api, declared at api/Dockerfile:1 (global) without a default"));
    }

    @Test
    void valuesFromTheEnvironmentVariableAreCheckedWithoutQuotingThem() {
        assertThat(BuildArgValues.fromJson("{\"web\":{\"TOKEN\":\"s3cr=t\"}}").value("web", "TOKEN")).contains("s3cr=t");
        assertThatThrownBy(() -> BuildArgValues.fromJson("not json")).hasMessageContaining("BERTH_BUILD_ARGS is not JSON");
        assertThatThrownBy(() -> BuildArgValues.fromJson("{\"web\":{\"TOKEN\":1}}"))
                .hasMessage("BERTH_BUILD_ARGS: web.TOKEN must be a string");
        assertThatThrownBy(() -> BuildArgValues.fromJson("{\"web\":{\"A B\":\"hidden-value\"}}"))
                .hasMessageNotContaining("hidden-value");
    }
}
