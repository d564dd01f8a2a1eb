package io.jenkins.plugins.berth.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks, the approval gate, the preview and the intent of a blue-green deploy, for real: nginx in front of two
 * colours (and a preview server on the colour that serves no traffic), a load loop through nginx the whole time,
 * failed requests counted. Every path that stops leaves traffic where it was, with no request lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NginxGatesTest {

    @TempDir
    Path dir;

    private TestNginx nginx;
    private final List<String> log = new CopyOnWriteArrayList<>();
    /** What the journal was given before each switch. */
    private final List<BlueGreenRecord> intents = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startNginx() throws Exception {
        nginx = TestNginx.startWithPreview(dir);
    }

    @AfterEach
    void stop() throws Exception {
        nginx.close();
    }

    /** A deploy block with {@code keys} added (hooks, approval), its preview on the preview server. */
    private Deploy deploy(String... keys) {
        String[] all = new String[keys.length + 3];
        all[0] = "keep: 10m";
        all[1] = "drain: 1s";
        all[2] = "preview_url: \"http://127.0.0.1:" + nginx.previewPort + "\"";
        System.arraycopy(keys, 0, all, 3, keys.length);
        return nginx.deploy("timeout: 10s, interval: 1s, successes: 2", all);
    }

    private BlueGreen controller(Approver approver) {
        Scripts hooks = Scripts.of(new LocalCommandRunner(dir), LogLines.into(log), "publish");
        return new BlueGreen(nginx.target(LogLines.into(log), Optional.of(new Deploy.Colors(nginx.bluePort,
                nginx.greenPort))), new HealthCheck(Clock.systemUTC()), LogLines.into(log), Clock.systemUTC(),
                new BlueGreen.Gates(hooks, approver, intents::add));
    }

    private BlueGreen.Request request(Deploy deploy) {
        BlueGreen.Request base = nginx.request(deploy, "/health");
        return new BlueGreen.Request(deploy, base.variables(), base.healthUrl(), base.liveUrl(), base.trigger(),
                base.images(), color -> Optional.of("http://127.0.0.1:" + nginx.previewPort));
    }

    private BlueGreenRecord blueServingV1(Deploy deploy) throws Exception {
        nginx.release(Color.BLUE, "v1", true);
        return controller(Approver.APPROVE).deploy(Optional.empty(), request(deploy));
    }

    @Test
    void beforeStartRunsJustBeforeTheColoursStartAndItsFailureLeavesTheColourUnstarted() throws Exception {
        Deploy recording = deploy("before_start: 'env | grep -E \"^BERTH_(COLOR|PORT|DEPLOY_ID)=\" | sort >"
                + " \"before-start-$BERTH_COLOR\"; test ! -e \"$BERTH_COLOR.pid\"'");
        BlueGreenRecord first = blueServingV1(recording);
        assertThat(Files.readString(dir.resolve("before-start-blue"))).contains("BERTH_COLOR=blue",
                "BERTH_PORT=" + nginx.bluePort, "BERTH_DEPLOY_ID=blue-");

        Deploy failing = deploy("before_start: 'echo migration failed >&2; exit 3'");
        nginx.release(Color.GREEN, "v2", true);
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            assertThatThrownBy(() -> controller(Approver.APPROVE).deploy(Optional.of(first), request(failing)))
                    .isInstanceOf(BlueGreen.DeployFailedException.class)
                    .hasMessageContaining("blue-green before_start of green failed: 'before_start' for green exited"
                            + " with code 3; traffic is untouched (still on blue)");
            Thread.sleep(300);
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.answers).containsOnlyKeys("v1");
        }
        assertThat(dir.resolve("green.pid")).as("green was never started").doesNotExist();
    }

    @Test
    void beforeSwitchSeesTheNewVersionOnThePreviewWhileTrafficStaysAndItsFailureStopsIt() throws Exception {
        Deploy smoke = deploy("before_switch: 'curl -fsS \"$BERTH_PREVIEW_URL/version\" > preview-seen'");
        BlueGreenRecord first = blueServingV1(smoke);
        assertThat(first.preview()).hasValue("http://127.0.0.1:" + nginx.previewPort);
        assertThat(Files.readString(dir.resolve("upstream.conf"))).contains("upstream app_preview {\n    server"
                + " 127.0.0.1:" + nginx.greenPort + ";");

        nginx.release(Color.GREEN, "v2", true);
        BlueGreenRecord second;
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            second = controller(Approver.APPROVE).deploy(Optional.of(first), request(smoke));
            Thread.sleep(300);
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.lastAnswer).isEqualTo("v2");
        }
        // The hook saw v2 through nginx's preview server before any client did.
        assertThat(Files.readString(dir.resolve("preview-seen"))).isEqualTo("v2");
        assertThat(log).anyMatch(line -> line.contains("preview of green: http://127.0.0.1:" + nginx.previewPort));

        Deploy failingSmoke = deploy("before_switch: 'test \"$(curl -fsS \"$BERTH_PREVIEW_URL/version\")\" = v9'");
        nginx.release(Color.BLUE, "v3", true);
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            assertThatThrownBy(() -> controller(Approver.APPROVE).deploy(Optional.of(second), request(failingSmoke)))
                    .hasMessageContaining("blue-green before_switch of blue failed")
                    .hasMessageContaining("traffic is untouched (still on green)");
            Thread.sleep(300);
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.answers).containsOnlyKeys("v2");
        }
        assertThat(dir.resolve("blue.pid")).as("blue was stopped").doesNotExist();
    }

    @Test
    void aFailingAfterSwitchSwitchesBackLikeAFailedVerification() throws Exception {
        Deploy notify = deploy("after_switch: 'echo \"$BERTH_COLOR\" > after-switch; exit 1'");
        BlueGreenRecord first = blueServingV1(deploy());
        nginx.release(Color.GREEN, "v2", true);
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            assertThatThrownBy(() -> controller(Approver.APPROVE).deploy(Optional.of(first), request(notify)))
                    .hasMessageContaining("blue-green deploy of green failed after the switch, switched back to blue:"
                            + " 'after_switch' for green exited with code 1");
            Thread.sleep(300);
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.lastAnswer).isEqualTo("v1");
        }
        assertThat(Files.readString(dir.resolve("after-switch")).strip()).isEqualTo("green");
        assertThat(nginx.target(LogLines.into(log)).live()).hasValue(Color.BLUE);
    }

    @Test
    void aRejectedApprovalStopsTheNewColourAndTrafficStays() throws Exception {
        Deploy gated = deploy("approval: { timeout: 1s, default: reject }");
        BlueGreenRecord first = blueServingV1(deploy());
        nginx.release(Color.GREEN, "v2", true);
        List<String> asked = new CopyOnWriteArrayList<>();
        Approver rejecting = (question, approval, out) -> {
            asked.add(question);
            return Deploy.Decision.REJECT;
        };
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            assertThatThrownBy(() -> controller(rejecting).deploy(Optional.of(first), request(gated)))
                    .hasMessageContaining("blue-green approval of green failed: the switch to green was rejected at"
                            + " the approval gate (or not approved within 1s, default: reject); traffic is untouched"
                            + " (still on blue)");
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.answers).containsOnlyKeys("v1");
        }
        assertThat(asked).containsExactly("Switch traffic to green (from blue)? Its preview: http://127.0.0.1:"
                + nginx.previewPort + ".");
        assertThat(dir.resolve("green.pid")).doesNotExist();
        assertThat(intents).as("no switch was begun").hasSize(1);
    }

    @Test
    void aGateAskedElsewhereWaitsWithTheNewColourRunningAndResumesWithTheDecision() throws Exception {
        Deploy gated = deploy("approval: true");
        BlueGreenRecord first = blueServingV1(deploy());
        nginx.release(Color.GREEN, "v2", true);
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            BlueGreenRecord waiting = controller(Approver.ELSEWHERE).deploy(Optional.of(first), request(gated));
            assertThat(waiting.live()).hasValue("blue");
            assertThat(waiting.pending()).hasValueSatisfying(p -> assertThat(p.color()).isEqualTo("green"));
            // Between the two runs (Jenkins' input), green runs, clients see blue only.
            Thread.sleep(500);
            assertThat(load.answers).containsOnlyKeys("v1");
            BlueGreenRecord after = controller(Approver.UNATTENDED).resume(waiting, request(gated), Deploy.Decision.APPROVE);
            assertThat(after.live()).hasValue("green");
            assertThat(after.pending()).isEmpty();
            assertThat(after.history()).last().satisfies(d -> assertThat(d.result()).isEqualTo("succeeded"));
            Thread.sleep(300);
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.lastAnswer).isEqualTo("v2");
        }

        // And rejected: the waiting colour is stopped, traffic stays.
        BlueGreenRecord second = new BlueGreenRecord(Optional.of("green"), Optional.of("blue"), Optional.empty(),
                List.of());
        nginx.release(Color.BLUE, "v3", true);
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            BlueGreenRecord waiting = controller(Approver.ELSEWHERE).deploy(Optional.of(second), request(gated));
            assertThatThrownBy(() -> controller(Approver.UNATTENDED).resume(waiting, request(gated),
                    Deploy.Decision.REJECT)).hasMessageContaining("blue-green approval of blue failed: the switch to"
                            + " blue was rejected at the approval gate; traffic is untouched (still on green)");
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.answers).containsOnlyKeys("v2");
        }
        assertThat(dir.resolve("blue.pid")).doesNotExist();
    }

    @Test
    void anOldProcessOfTheIdleColourIsStoppedBeforeItsStartSoTheNewOneServes() throws Exception {
        Deploy strict = nginx.deploy("timeout: 6s, interval: 1s, successes: 2, require_deploy_id: true", "keep: 10m",
                "drain: 1s");
        BlueGreenRecord first = blueServingV1(strict);
        // An older green, started by an earlier deploy whose stop never ran: it holds green's port.
        nginx.release(Color.GREEN, "v0", true);
        nginx.target(LogLines.into(log)).deploy(Color.GREEN, Map.of("BERTH_COLOR", "green", "BERTH_PORT",
                String.valueOf(nginx.greenPort), "BERTH_DEPLOY_ID", "green-old"));
        TestNginx.awaitPort(nginx.greenPort);
        BlueGreenRecord forgotten = new BlueGreenRecord(first.live(), Optional.empty(), Optional.empty(),
                first.history());
        nginx.release(Color.GREEN, "v2", true);
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            BlueGreenRecord second = controller(Approver.APPROVE).deploy(Optional.of(forgotten), request(strict));
            assertThat(second.live()).hasValue("green");
            Thread.sleep(300);
            load.close();
            // Left running, the old green kept the port: the new one could not bind and the check never passed.
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.lastAnswer).isEqualTo("v2");
        }
    }

    @Test
    void aScriptSwitchKilledMidwayIsReconciledFromTheIntent() throws Exception {
        // The script target: its switch rewrites the upstream file and reloads nginx, so Berth cannot read where
        // traffic goes and relies on the intent it wrote before the switch.
        String nginxArgs = "/usr/sbin/nginx -p \"" + dir + "\" -c \"" + dir.resolve("nginx.conf") + "\"";
        String switchScript = "printf 'upstream app {\\n    server 127.0.0.1:%s;\\n}\\nupstream app_preview {\\n"
                + "    server 127.0.0.1:%s;\\n}\\n' \"$BERTH_PORT\" \"$OTHER_PORT\" > upstream.conf && " + nginxArgs
                + " -t && " + nginxArgs + " -s reload";
        NginxTarget processes = nginx.target(LogLines.into(log));
        Scripts scripts = Scripts.of(new LocalCommandRunner(dir), LogLines.into(log), "publish");
        ScriptTarget target = new ScriptTarget(scripts, "python3 server.py \"$BERTH_PORT\" \"$BERTH_COLOR\""
                + " >\"$BERTH_COLOR.log\" 2>&1 </dev/null & echo $! > \"$BERTH_COLOR.pid\"",
                Optional.of("kill \"$(cat \"$BERTH_COLOR.pid\")\"; rm \"$BERTH_COLOR.pid\""), switchScript);
        Deploy deploy = nginx.deploy("timeout: 10s, interval: 1s, successes: 2", "keep: 10m", "drain: 1s");
        BlueGreen.Request base = nginx.request(deploy, "/health");
        BlueGreen.Request request = new BlueGreen.Request(deploy, color -> {
            Map<String, String> with = new java.util.HashMap<>(base.variables().apply(color));
            with.put("OTHER_PORT", String.valueOf(color.other().port(deploy.colors().orElseThrow())));
            return with;
        }, base.healthUrl(), base.liveUrl(), "up", Map.of());
        BlueGreen controller = new BlueGreen(target, new HealthCheck(Clock.systemUTC()), LogLines.into(log),
                Clock.systemUTC(), new BlueGreen.Gates(scripts, Approver.APPROVE, intents::add));
        nginx.release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller.deploy(Optional.empty(), request);

        // The killed run: green started, the intent written, traffic switched, the record never written after.
        nginx.release(Color.GREEN, "v2", true);
        processes.deploy(Color.GREEN, Map.of("BERTH_COLOR", "green", "BERTH_PORT", String.valueOf(nginx.greenPort)));
        TestNginx.awaitPort(nginx.greenPort);
        target.switchTo(Color.GREEN, request.variables().apply(Color.GREEN));
        BlueGreenRecord killed = first.switchingTo(Optional.of("green"));

        nginx.release(Color.BLUE, "v3", true);
        BlueGreenRecord third;
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            third = controller.deploy(Optional.of(killed), request);
            Thread.sleep(300);
            load.close();
            // Going on from the record alone would have deployed into green, the colour serving.
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.lastAnswer).isEqualTo("v3");
        }
        assertThat(third.live()).hasValue("blue");
        assertThat(third.previous()).hasValue("green");
        assertThat(third.switching()).isEmpty();
        assertThat(log).anyMatch(line -> line.contains("a run stopped while switching to green (the record says blue is"
                + " live): switching to green again"));
        assertThat(intents).last().satisfies(r -> assertThat(r.switching()).hasValue("blue"));
    }
}
