package io.jenkins.plugins.berth.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plan a walk's steps run: the same bytes for the same plan, and nothing read from bytes another digest names. */
class PlanFileTest {

    private static final String TEXT = "version: 1\nproject: shop\nstages:\n  - name: caf\u00e9 \u2603\n    run: echo ok\n";

    private static PlanFile plan() {
        return new PlanFile("deploy/berth.yml", "feature/x", Optional.of("0123abc"), "shop", TEXT);
    }

    @Test
    void theSamePlanHasTheSameBytesAndDigestAndReadsBack() throws Exception {
        PlanFile plan = plan();
        assertThat(plan.bytes()).isEqualTo(plan().bytes());
        assertThat(plan.digest()).matches("sha256:[0-9a-f]{64}").isEqualTo(plan().digest());
        assertThat(plan.path()).isEqualTo(".berth/plans/" + plan.digest().substring(7, 23) + ".json");
        assertThat(PlanFile.verified(plan.bytes(), plan.digest(), "p.json")).isEqualTo(plan);
        assertThat(plan.deployFile().stages().get(0).name()).isEqualTo("caf\u00e9 \u2603");
        // ASCII only: an agent's charset cannot change the bytes.
        for (byte b : plan.bytes()) {
            assertThat(b).isNotNegative();
        }
    }

    @Test
    void everyInputIsPartOfTheDigest() {
        List<PlanFile> others = List.of(
                new PlanFile("berth.yml", "feature/x", Optional.of("0123abc"), "shop", TEXT),
                new PlanFile("deploy/berth.yml", "main", Optional.of("0123abc"), "shop", TEXT),
                new PlanFile("deploy/berth.yml", "feature/x", Optional.empty(), "shop", TEXT),
                new PlanFile("deploy/berth.yml", "feature/x", Optional.of("0123abc"), "other", TEXT),
                new PlanFile("deploy/berth.yml", "feature/x", Optional.of("0123abc"), "shop", TEXT + " "));
        assertThat(others).extracting(PlanFile::digest).doesNotHaveDuplicates().doesNotContain(plan().digest());
        // A blank commit is no commit, as on the command line.
        assertThat(new PlanFile("f", "b", Optional.of(" "), "p", "x").digest())
                .isEqualTo(new PlanFile("f", "b", Optional.empty(), "p", "x").digest());
    }

    /** The digest refusal: a plan changed in any byte is not read at all, whatever it says. */
    @Test
    void bytesOfAnotherDigestAreRefused() {
        PlanFile plan = plan();
        String text = new String(plan.bytes(), StandardCharsets.US_ASCII);
        for (String changed : List.of(text.replace("echo ok", "echo no"), text.replace("\"shop\"", "\"evil\""),
                text + " ", "{}", "")) {
            assertThatThrownBy(() -> PlanFile.verified(changed.getBytes(StandardCharsets.US_ASCII), plan.digest(),
                    ".berth/plans/x.json")).as(changed).isInstanceOf(PlanFile.ChangedException.class)
                    .hasMessageContaining(".berth/plans/x.json is not the plan this build made")
                    .hasMessageContaining(plan.digest()).hasMessageContaining("Nothing ran");
        }
        // Bytes that are no plan are refused by their digest too, before anyone parses them.
        byte[] garbage = "not json at all".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PlanFile.verified(garbage, plan.digest(), "g")).isInstanceOf(PlanFile.ChangedException.class)
                .hasMessageContaining("is not the plan this build made");
    }

    @Test
    void aMalformedDigestIsRefused() {
        for (String bad : List.of("", "sha256:", "sha256:" + "A".repeat(64), "md5:" + "a".repeat(64), "a".repeat(64))) {
            assertThatThrownBy(() -> PlanFile.checkedDigest(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
