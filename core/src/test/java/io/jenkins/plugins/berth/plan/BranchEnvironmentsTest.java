package io.jenkins.plugins.berth.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.model.DeployFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BranchEnvironmentsTest {
    private static final DeployFile NAMED = TestFiles.valid("""
            version: 1
            project: shop
            stages: [{ name: hello, run: echo hello }]
            """);
    private static final DeployFile UNNAMED = TestFiles.valid("""
            version: 1
            environment: { name: "review-${BRANCH_SLUG}" }
            stages: [{ name: hello, run: echo hello }]
            """);

    @Test
    void branchesAndPullRequestsMapToTheirEnvironments() {
        assertThat(BranchEnvironments.of(NAMED, "Shop-Repo", "feature/JIRA-12_login"))
                .isEqualTo(new BranchEnvironments.Target("feature/JIRA-12_login", "shop", "shop-feature-jira-12-login",
                        EnvironmentKind.BRANCH));
        assertThat(BranchEnvironments.of(NAMED, "Shop-Repo", "PR-12"))
                .isEqualTo(new BranchEnvironments.Target("PR-12", "shop", "shop-pr-12", EnvironmentKind.PULL_REQUEST));
        // The file's own name template; the folder gives the project when the file names none.
        BranchEnvironments.Target review = BranchEnvironments.of(UNNAMED, "blog", "main");
        assertThat(review.project()).isEqualTo("blog");
        assertThat(review.environment()).isEqualTo("review-main");
    }

    @Test
    void branchesThatWouldShareAnEnvironmentAreNamed() {
        List<BranchEnvironments.Target> targets = List.of("main", "feature/a", "feature-a", "Feature_A", "PR-3")
                .stream().map(branch -> BranchEnvironments.of(NAMED, "shop", branch)).toList();
        assertThat(BranchEnvironments.clashes(targets))
                .isEqualTo(Map.of("shop-feature-a", List.of("Feature_A", "feature-a", "feature/a")));
        assertThat(BranchEnvironments.clashes(targets.subList(0, 2))).isEmpty();
    }
}
