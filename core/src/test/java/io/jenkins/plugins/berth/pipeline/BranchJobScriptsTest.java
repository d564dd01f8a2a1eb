package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BranchJobScriptsTest {

    @Test
    void aBranchJobDeploysTheNamedFileOrBerthYml() {
        assertThat(BranchJobScripts.branchJob("deploy/berth.yml")).isEqualTo("berth.branchJob(file: 'deploy/berth.yml')\n");
        assertThat(BranchJobScripts.branchJob("")).isEqualTo("berth.branchJob(file: 'berth.yml')\n");
        assertThat(BranchJobScripts.branchJob(null)).isEqualTo("berth.branchJob(file: 'berth.yml')\n");
        assertThat(BranchJobScripts.branchJob(" .berth.yml ")).isEqualTo("berth.branchJob(file: '.berth.yml')\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/berth.yml", "../berth.yml", "a/../../b.yml", "a//b.yml", "berth.yml')\nevil('",
            "it's.yml", "a\\b.yml", "$HOME/b.yml", "./berth.yml", "dir/"})
    void refusesPathsThatCouldLeaveTheStringOrTheCheckout(String path) {
        assertThatThrownBy(() -> BranchJobScripts.branchJob(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use a relative path inside the repository");
    }

    @Test
    void teardownJobsAreNamedAfterTheirFolder() {
        assertThat(BranchJobScripts.teardownJobName("team/shop")).isEqualTo("team-shop-teardown");
        assertThat(BranchJobScripts.teardownJobName("shop")).isEqualTo("shop-teardown");
        assertThat(BranchJobScripts.TEARDOWN).contains("params.BERTH_PROJECT").contains("params.BERTH_ENVIRONMENT")
                .contains("skipStages: params.BERTH_SKIP_STAGES").contains("reason: params.BERTH_SKIP_REASON");
    }

    @Test
    void theTeardownScriptOfAnEarlierBerthIsStillBerthsAndNoOtherIs() {
        assertThat(BranchJobScripts.isTeardownScript(BranchJobScripts.TEARDOWN)).isTrue();
        assertThat(BranchJobScripts.isTeardownScript(" " + BranchJobScripts.TEARDOWN.strip() + "\n\n")).isTrue();
        assertThat(BranchJobScripts.isTeardownScript(
                "berth.teardownKept(project: params.BERTH_PROJECT, environment: params.BERTH_ENVIRONMENT)\n")).isTrue();
        assertThat(BranchJobScripts.isTeardownScript("sh 'env'\n" + BranchJobScripts.TEARDOWN)).isFalse();
    }
}
