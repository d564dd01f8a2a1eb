package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProjectOwnerTest {
    private static final Set<String> FOLDERS = Set.of("team/shop", "team/shop-fork");

    private static ProjectOwner.Decision decide(Optional<String> noted, Optional<String> deploying) {
        return ProjectOwner.decide("shop", noted, deploying, FOLDERS::contains);
    }

    @Test
    void theFirstFolderToDeployAProjectOwnsIt() {
        assertThat(decide(Optional.empty(), Optional.of("team/shop"))).isEqualTo(new ProjectOwner.Take("team/shop"));
        assertThat(decide(Optional.of("team/shop"), Optional.of("team/shop"))).isEqualTo(new ProjectOwner.Keep());
    }

    @Test
    void anotherFolderCannotTakeAProjectWhoseOwnerExists() {
        assertThat(decide(Optional.of("team/shop"), Optional.of("team/shop-fork"))).isEqualTo(new ProjectOwner.Refuse(
                "project shop is deployed by the folder team/shop, not by team/shop-fork: deploy it from there, give"
                        + " this deploy file another project name, or delete or rename that folder first"));
    }

    @Test
    void whenTheOwnerIsGoneTheNextFolderTakesOver() {
        assertThat(decide(Optional.of("old/shop"), Optional.of("team/shop"))).isEqualTo(new ProjectOwner.Take("team/shop"));
    }

    @Test
    void aBuildOutsideAMultibranchFolderChangesNothing() {
        assertThat(decide(Optional.of("team/shop"), Optional.empty())).isEqualTo(new ProjectOwner.Keep());
        assertThat(decide(Optional.empty(), Optional.empty())).isEqualTo(new ProjectOwner.Keep());
    }
}
