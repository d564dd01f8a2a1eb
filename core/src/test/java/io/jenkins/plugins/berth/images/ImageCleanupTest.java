package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the clean-up does before it asks any registry (the registry side is in {@link ImagesPhaseTest}). */
class ImageCleanupTest {

    @TempDir
    Path folder;

    private final List<String> log = new ArrayList<>();

    /** A clean-up whose registry must not be asked anything. */
    private ImageCleanup cleanup(DirectoryStateStore state) {
        return new ImageCleanup(host -> {
            throw new AssertionError("no registry should be asked, but " + host + " was");
        }, state);
    }

    private static EnvironmentRecord torn(Map<String, String> images) {
        Instant now = Instant.parse("2026-11-20T10:00:00Z");
        return EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH, false, now)
                .withImages(images, now).withStatus(EnvironmentStatus.TEARING_DOWN, now);
    }

    /** An unreadable record may run the same image: every image stays, and the log says why. */
    @Test
    void whileARecordCannotBeReadEveryImageStays() throws Exception {
        DirectoryStateStore state = new DirectoryStateStore(folder);
        Files.writeString(state.file("shop-other"), "{\"schema_version\": 1, \"name\": ");

        cleanup(state).clean(torn(Map.of("web", "127.0.0.1:5000/shop/web@sha256:" + "a".repeat(64))),
                LogLines.into(log));

        assertThat(log).hasSize(2);
        assertThat(log.get(0)).startsWith("WARNING: " + state.file("shop-other")
                + ": cannot be read as an environment record: Unexpected end-of-input");
        assertThat(log.get(1))
                .isEqualTo("WARNING: images of shop-main: kept, as 1 record(s) cannot be read to tell whether they run them");
    }

    /** Without images there is nothing to decide: a teardown goes on whatever the other records hold. */
    @Test
    void anEnvironmentWithoutImagesReadsNoOtherRecord() throws Exception {
        DirectoryStateStore state = new DirectoryStateStore(folder);
        Files.writeString(state.file("shop-other"), "{");

        cleanup(state).clean(torn(Map.of()), LogLines.into(log));

        assertThat(log).isEmpty();
    }
}
