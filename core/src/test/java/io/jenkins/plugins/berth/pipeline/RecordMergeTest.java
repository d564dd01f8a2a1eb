package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StackRecord;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A workspace that rewrote its record: the controller keeps only what the trusted deploy file backs. */
class RecordMergeTest {

    private static final Instant THEN = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static DeployFile file(String yaml) throws Exception {
        return DeployFiles.parse("berth.yml", yaml.getBytes(StandardCharsets.UTF_8), Optional.empty());
    }

    private static final String SHOP = """
            version: 1
            project: shop
            registry: 127.0.0.1:5000/shop
            images:
              web: { dockerfile: Dockerfile }
            infrastructure:
              - { name: db, dir: infra/db, shared: true }
              - { name: app, dir: infra/app }
            """;

    private static EnvironmentRecord written(String name, String branch) {
        return EnvironmentRecord.create(name, "shop", branch, EnvironmentKind.PULL_REQUEST, false, NOW)
                .withStatus(EnvironmentStatus.READY, NOW).withRevision(3);
    }

    private static RecordMerge.Trusted trusted(Optional<DeployFile> file) {
        return new RecordMerge.Trusted("shop", "shop-pr-7", Optional.of("PR-7"), file);
    }

    /** A build record's work folder is what down removes: only the file's builds, under the state folder's builds/. */
    @Test
    void onlyTheFilesBuildsInBuildFoldersAreKept() throws Exception {
        String yaml = SHOP + "builds:\n  - { name: app, dir: packer }\n";
        io.jenkins.plugins.berth.environments.BuildRecord own = new io.jenkins.plugins.berth.environments.BuildRecord(
                "app", "v1", "succeeded", List.of(), "builds/shop/app/v1", false);
        EnvironmentRecord written = written("shop-pr-7", "PR-7").withBuilds(List.of(own,
                new io.jenkins.plugins.berth.environments.BuildRecord("other", "v1", "succeeded", List.of(),
                        "builds/shop/other/v1", false),
                new io.jenkins.plugins.berth.environments.BuildRecord("app/file.a", "v2", "succeeded", List.of(),
                        "builds/../../home", false)), NOW);
        RecordMerge merge = RecordMerge.of(Optional.empty(), written, trusted(Optional.of(file(yaml))));
        assertThat(merge.record().orElseThrow().builds()).containsExactly(own);
        assertThat(merge.refused()).containsExactly("build other at builds/shop/other/v1",
                "build app/file.a at builds/../../home");
    }

    @Test
    void theEnvironmentsOwnStacksAndTheFilesImagesAreKept() throws Exception {
        EnvironmentRecord written = written("shop-pr-7", "PR-7").withStacks(List.of(
                new StackRecord("app", false, "http", "shop/app/shop-pr-7", "terraform/work/shop/app/shop-pr-7"),
                new StackRecord("db", true, "http", "shop/db/_shared", "terraform/work/shop/db/_shared")), NOW)
                .withImages(Map.of("web", "127.0.0.1:5000/shop/web@sha256:" + "a".repeat(64)), NOW);
        RecordMerge merge = RecordMerge.of(Optional.empty(), written, trusted(Optional.of(file(SHOP))));
        assertThat(merge.refused()).isEmpty();
        EnvironmentRecord kept = merge.record().orElseThrow();
        assertThat(kept.stacks()).hasSize(2);
        assertThat(kept.images()).containsKey("web");
        assertThat(kept.status()).isEqualTo(EnvironmentStatus.READY);
        assertThat(kept.kind()).isEqualTo(EnvironmentKind.PULL_REQUEST);
    }

    /** Planted entries would have a teardown destroy main's stack, delete a release image, or never reap it. */
    @Test
    void stacksOfAnotherEnvironmentForeignImagesAndAnUnaskedPinAreLeftOut() throws Exception {
        EnvironmentRecord written = written("shop-pr-7", "main").withStacks(List.of(
                new StackRecord("app", false, "http", "shop/app/shop-main", "terraform/work/shop/app/shop-main"),
                new StackRecord("app", false, "http", "shop/app/shop-pr-7", "../../../elsewhere"),
                new StackRecord("evil", false, "http", "shop/evil/shop-pr-7", "terraform/work/shop/evil/shop-pr-7"),
                new StackRecord("db", false, "http", "shop/db/shop-pr-7", "terraform/work/shop/db/shop-pr-7")), NOW)
                .withImages(Map.of("api", "127.0.0.1:5000/shop/api@sha256:" + "b".repeat(64),
                        "web", "127.0.0.1:5000/shop/web:prod"), NOW)
                .withProtected(true, NOW);
        RecordMerge merge = RecordMerge.of(Optional.empty(), written, trusted(Optional.of(file(SHOP))));
        EnvironmentRecord kept = merge.record().orElseThrow();
        assertThat(kept.stacks()).isEmpty();
        assertThat(kept.images()).isEmpty();
        assertThat(kept.isProtected()).isFalse();
        // The branch is the build's, not the one the workspace wrote.
        assertThat(kept.branch()).isEqualTo("PR-7");
        // Three stacks (withStacks keeps the later of the two "app" entries), two images and the pin.
        assertThat(merge.refused()).hasSize(6);
    }

    /**
     * A declared image pinned in another registry or repository: a teardown would delete it there with the login it
     * has (a production image of the same registry, or another ECR account's).
     */
    @Test
    void aDeclaredImageOutsideItsOwnRepositoryIsLeftOut() throws Exception {
        String digest = "@sha256:" + "c".repeat(64);
        for (String foreign : List.of("registry.example.com/shop/web" + digest, "127.0.0.1:5000/prod/web" + digest,
                "127.0.0.1:5000/shop/web/extra" + digest, "not a reference")) {
            EnvironmentRecord written = written("shop-pr-7", "PR-7").withImages(Map.of("web", foreign), NOW);
            RecordMerge merge = RecordMerge.of(Optional.empty(), written, trusted(Optional.of(file(SHOP))));
            assertThat(merge.record().orElseThrow().images()).as(foreign).isEmpty();
            assertThat(merge.refused()).as(foreign).containsExactly("image web " + foreign);
        }
        EnvironmentRecord own = written("shop-pr-7", "PR-7").withImages(Map.of("web", "127.0.0.1:5000/shop/web" + digest),
                NOW);
        assertThat(RecordMerge.of(Optional.empty(), own, trusted(Optional.of(file(SHOP)))).record().orElseThrow()
                .images()).containsEntry("web", "127.0.0.1:5000/shop/web" + digest);
    }

    @Test
    void aRecordOfAnotherEnvironmentOrProjectIsRefusedWhole() {
        RecordMerge merge = RecordMerge.of(Optional.empty(), written("shop-main", "main"), trusted(Optional.empty()));
        assertThat(merge.record()).isEmpty();
        assertThat(merge.refused()).singleElement().asString().contains("names shop/shop-main, not shop/shop-pr-7");
    }

    /** Who the environment is and a pin set on the Environments page stay the controller's. */
    @Test
    void theControllersIdentityAndPinWin() throws Exception {
        EnvironmentRecord controller = EnvironmentRecord.create("shop-pr-7", "shop", "PR-7", EnvironmentKind.PULL_REQUEST,
                true, THEN).withRevision(5);
        EnvironmentRecord written = new EnvironmentRecord(1, 4, "shop-pr-7", "shop", "release", EnvironmentKind.RELEASE_STAGE,
                Optional.of("abc"), EnvironmentStatus.READY, false, Optional.of("http://pr7.example"), NOW, NOW,
                Optional.of(NOW), Optional.empty(), Optional.empty(), List.of(), Map.of(), Optional.empty(), Map.of(),
                Optional.empty(), List.of());
        EnvironmentRecord kept = RecordMerge.of(Optional.of(controller), written, trusted(Optional.of(file(SHOP))))
                .record().orElseThrow();
        assertThat(kept.kind()).isEqualTo(EnvironmentKind.PULL_REQUEST);
        assertThat(kept.branch()).isEqualTo("PR-7");
        assertThat(kept.createdAt()).isEqualTo(THEN);
        assertThat(kept.isProtected()).isTrue();
        assertThat(kept.revision()).isEqualTo(5);
        assertThat(kept.url()).contains("http://pr7.example");
    }

    @Test
    void aPinTheTrustedFileAsksForIsKept() throws Exception {
        EnvironmentRecord written = written("shop-pr-7", "PR-7").withProtected(true, NOW);
        DeployFile protecting = file("version: 1\nproject: shop\nenvironment: { protected: true }\n");
        assertThat(RecordMerge.of(Optional.empty(), written, trusted(Optional.of(protecting))).record().orElseThrow()
                .isProtected()).isTrue();
    }

    @Test
    void withoutATrustedFileOnlyStacksTheControllerAlreadyKnewStay() {
        StackRecord known = new StackRecord("app", false, "http", "shop/app/shop-pr-7", "terraform/work/shop/app/shop-pr-7");
        EnvironmentRecord controller = written("shop-pr-7", "PR-7").withStacks(List.of(known), THEN);
        EnvironmentRecord written = controller.withStacks(List.of(known, new StackRecord("other", false, "http",
                "shop/other/shop-pr-7", "terraform/work/shop/other/shop-pr-7")), NOW);
        assertThat(RecordMerge.of(Optional.of(controller), written, trusted(Optional.empty())).record().orElseThrow()
                .stacks()).containsExactly(known);
    }
}
