package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.TestFiles;
import org.junit.jupiter.api.Test;

class EnvironmentNamesTest {
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    private static Template defaultTemplate() {
        return TestFiles.valid("version: 1\n").environment().name();
    }

    @Test
    void branchSlugs() {
        assertThat(EnvironmentNames.branchSlug("feature/JIRA-12_login")).isEqualTo("feature-jira-12-login");
        assertThat(EnvironmentNames.branchSlug("--Main--")).isEqualTo("main");
        assertThat(EnvironmentNames.branchSlug("PR-42")).isEqualTo("pr-42");
        assertThat(EnvironmentNames.branchSlug("日本")).matches("b-[0-9a-f]{8}");
    }

    /** Slugging drops what is not ASCII, so such branches get a hash: they never share an environment. */
    @Test
    void branchesOutsideAsciiNeverCollapseIntoOneEnvironment() {
        Template template = TestFiles.valid("version: 1\nenvironment:\n  name: \"br-${BRANCH_SLUG}\"\n").environment().name();
        Template raw = TestFiles.valid("version: 1\nenvironment:\n  name: \"br-${BRANCH}\"\n").environment().name();
        java.util.List<String> branches = java.util.List.of("фича/ünï", "задача/ünï", "фича/uni", "uni", "ünï", "日本", "中文");
        for (Template t : java.util.List.of(template, raw, defaultTemplate())) {
            java.util.List<String> names = branches.stream().map(b -> EnvironmentNames.environmentName(t, "shop", b)).toList();
            assertThat(names).as(t.toString()).doesNotHaveDuplicates().allMatch(n -> n.matches(DNS_LABEL) && n.length() <= 63);
            assertThat(EnvironmentNames.environmentName(t, "shop", "фича/ünï")).isEqualTo(names.get(0));
        }
        assertThat(EnvironmentNames.branchSlug("фича/ünï")).matches("uni-[0-9a-f]{8}");
        assertThat(EnvironmentNames.branchSlug("uni")).isEqualTo("uni");
        assertThat(EnvironmentNames.environmentName(template, "shop", "фича/ünï")).matches("br-uni-[0-9a-f]{8}");
        String longBranch = "ветка/" + "ü".repeat(80);
        assertThat(EnvironmentNames.environmentName(raw, "shop", longBranch)).hasSize(63).matches(DNS_LABEL)
                .isNotEqualTo(EnvironmentNames.environmentName(raw, "shop", longBranch + "ü"));
    }

    @Test
    void defaultNameIsProjectAndBranchSlug() {
        assertThat(EnvironmentNames.environmentName(defaultTemplate(), "shop", "feature/Login")).isEqualTo("shop-feature-login");
    }

    @Test
    void customTemplate() {
        Template template = TestFiles.valid("version: 1\nenvironment:\n  name: \"pr-${BRANCH_SLUG}\"\n").environment().name();
        assertThat(EnvironmentNames.environmentName(template, "shop", "PR-7")).isEqualTo("pr-pr-7");
    }

    @Test
    void longNamesAreShortenedToValidDistinctStableLabels() {
        String common = "feature/" + "a-very-long-branch-name-that-goes-on-and-on-".repeat(3);
        String first = EnvironmentNames.environmentName(defaultTemplate(), "shop", common + "one");
        String second = EnvironmentNames.environmentName(defaultTemplate(), "shop", common + "two");
        assertThat(first).hasSizeLessThanOrEqualTo(63).matches(DNS_LABEL);
        assertThat(second).hasSizeLessThanOrEqualTo(63).matches(DNS_LABEL);
        assertThat(first).isNotEqualTo(second);
        assertThat(first.substring(0, 40)).isEqualTo(second.substring(0, 40));
        assertThat(EnvironmentNames.environmentName(defaultTemplate(), "shop", common + "one")).isEqualTo(first);
    }

    @Test
    void nameOfExactly63CharactersIsKept() {
        String branch = "b".repeat(58);
        assertThat(EnvironmentNames.environmentName(defaultTemplate(), "shop", branch)).isEqualTo("shop-" + branch);
        assertThat(EnvironmentNames.environmentName(defaultTemplate(), "shop", branch + "b")).hasSize(63)
                .isNotEqualTo("shop-" + branch + "b").matches(DNS_LABEL);
    }

    @Test
    void projectNamesFromFolders() {
        assertThat(EnvironmentNames.projectName("My App")).isEqualTo("my-app");
        assertThat(EnvironmentNames.projectName("shop")).isEqualTo("shop");
    }

    /** Step arguments that become file names and Ant patterns on the controller. */
    @Test
    void hostileStepNamesAreRefused() {
        for (String hostile : java.util.List.of("..", "*", "shop/../main", "**", "a b", "", "UPPER", "-x", "x".repeat(64))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvironmentNames.requireLabel("environment", hostile))
                    .as(hostile).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a DNS label");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvironmentNames.requireLabel("project", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(EnvironmentNames.requireLabel("environment", "shop-pr-7")).isEqualTo("shop-pr-7");
    }
}
