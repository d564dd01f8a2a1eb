package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.TestFiles;
import org.junit.jupiter.api.Test;

class ImageTagsTest {
    private static final String FILE = """
            version: 1
            project: shop
            registry: 127.0.0.1:5000/shop
            images:
              web: { context: web, tags: [stable] }
            release:
              - stage: staging
            """;

    private static DeployFile file(String extra) {
        return TestFiles.valid(FILE + extra);
    }

    @Test
    void aFeatureBranchGetsItsCommitAndEnvironmentTagsOnly() {
        DeployFile file = file("");
        assertThat(ImageTags.of(file, file.images().get("web"), "feature/x", "shop-feature-x", "c1"))
                .containsExactly("c1", "shop-feature-x");
    }

    @Test
    void withoutReleaseBranchesMainAndMasterRelease() {
        DeployFile file = file("");
        assertThat(ImageTags.of(file, file.images().get("web"), "main", "shop-main", "c1"))
                .containsExactly("c1", "shop-main", "latest", "stable");
        assertThat(ImageTags.of(file, file.images().get("web"), "master", "shop-master", ""))
                .containsExactly("shop-master", "latest", "stable");
    }

    @Test
    void releaseBranchesReplaceTheDefault() {
        DeployFile file = file("release_branches: [trunk]\n");
        assertThat(ImageTags.of(file, file.images().get("web"), "main", "shop-main", "c1"))
                .containsExactly("c1", "shop-main");
        assertThat(ImageTags.of(file, file.images().get("web"), "trunk", "shop-trunk", "c1"))
                .containsExactly("c1", "shop-trunk", "latest", "stable");
    }

    @Test
    void anEnvironmentNamedLikeLatestOrAReleaseStageCannotTagImages() {
        DeployFile file = file("");
        assertThat(ImageTags.environmentTagConflict(file, "shop-main")).isEmpty();
        assertThat(ImageTags.environmentTagConflict(file, "staging")).hasValueSatisfying(m -> assertThat(m)
                .startsWith("environment 'staging' cannot tag its images: 'staging' is a release stage's tag"));
        assertThat(ImageTags.environmentTagConflict(file, "latest")).hasValueSatisfying(m -> assertThat(m)
                .contains("'latest' is a tag only a release branch moves"));
        assertThat(ImageTags.environmentTagConflict(file, "stable")).hasValueSatisfying(m -> assertThat(m)
                .contains("'stable' is a tag only a release branch moves"));
    }
}
