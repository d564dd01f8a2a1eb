package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeAccessTest {

    private static final ChangePolicy DEFAULT = ChangePolicy.NONE;
    private static final ChangePolicy APPROVAL = ChangePolicy.of("", "approval");
    private static final ChangePolicy SOURCE = ChangePolicy.of("source", "");

    @Test
    void aBranchIsTrustedAndWritesSharedStacks() {
        ChangeAccess access = ChangeAccess.decide("branch main", false, true, DEFAULT, Optional.empty());
        assertThat(access.trusted()).isTrue();
        assertThat(access.credentials()).isTrue();
        assertThat(access.writesSharedStacks()).isTrue();
        assertThat(access.summary()).isEqualTo("branch main is trusted: deployed with its credentials");
    }

    @Test
    void everyPullRequestIsUntrustedByDefaultAndGetsNoCredentials() {
        ChangeAccess access = ChangeAccess.decide("pull request PR-7", true, true, DEFAULT, Optional.empty());
        assertThat(access.trusted()).isFalse();
        assertThat(access.credentials()).isFalse();
        assertThat(access.waitsForApproval()).isFalse();
        assertThat(access.writesSharedStacks()).isFalse();
        assertThat(access.summary()).contains("every pull request is untrusted in this folder")
                .endsWith("deployed without credentials");
    }

    @Test
    void underTheSourcesTrustOnlyWhatTheSourceDistrustsIsUntrusted() {
        assertThat(ChangeAccess.decide("pull request PR-7", true, true, SOURCE, Optional.empty()).credentials())
                .isTrue();
        ChangeAccess fork = ChangeAccess.decide("pull request PR-8", true, false, SOURCE, Optional.empty());
        assertThat(fork.credentials()).isFalse();
        assertThat(fork.summary()).contains("the branch source does not trust it");
        // A trusted pull request still only reads shared stacks.
        assertThat(ChangeAccess.decide("pull request PR-7", true, true, SOURCE, Optional.empty()).writesSharedStacks())
                .isFalse();
    }

    @Test
    void underApprovalAnUntrustedChangeWaitsThenGetsCredentialsOnceApproved() {
        ChangeAccess waiting = ChangeAccess.decide("pull request PR-7", true, true, APPROVAL, Optional.empty());
        assertThat(waiting.waitsForApproval()).isTrue();
        assertThat(waiting.credentials()).isFalse();
        ChangeAccess approved = ChangeAccess.decide("pull request PR-7", true, true, APPROVAL, Optional.of("alice"));
        assertThat(approved.waitsForApproval()).isFalse();
        assertThat(approved.credentials()).isTrue();
        assertThat(approved.trusted()).isFalse();
        assertThat(approved.summary()).contains("approved by alice");
    }

    @Test
    void anApprovalIsIgnoredWhereTheFolderDeploysUntrustedChangesWithoutCredentials() {
        assertThat(ChangeAccess.decide("pull request PR-7", true, true, DEFAULT, Optional.of("alice")).credentials())
                .isFalse();
    }

    @Test
    void aNearerFoldersPolicyWinsAndBadWordsAreRefused() {
        ChangePolicy folder = ChangePolicy.of("", "approval");
        ChangePolicy outer = ChangePolicy.of("source", "without-credentials");
        ChangePolicy merged = folder.over(outer);
        assertThat(merged.pullRequestsInForce()).isEqualTo(ChangePolicy.PullRequests.AS_THE_SOURCE_SAYS);
        assertThat(merged.untrustedInForce()).isEqualTo(ChangePolicy.Untrusted.APPROVAL);
        assertThatThrownBy(() -> ChangePolicy.of("trusted", "")).hasMessageContaining("write untrusted or source");
        assertThatThrownBy(() -> ChangePolicy.of("", "yes"))
                .hasMessageContaining("write without-credentials or approval");
    }

    @Test
    void theDefaultsCarryThePolicyAndDropCredentialsForAnUntrustedDeploy() {
        DeployDefaults defaults = DeployDefaults.of("linux", "registry.example.com", "ci-registry", "aws ci-aws", "", "")
                .withChanges(APPROVAL);
        assertThat(defaults.over(DeployDefaults.NONE).changes()).isEqualTo(APPROVAL);
        DeployDefaults without = defaults.withoutCredentials();
        assertThat(without.cloudCredentials()).isEmpty();
        assertThat(without.registryCredentialsId()).isEmpty();
        assertThat(without.registry()).contains("registry.example.com");
    }
}
