package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The blue-green controller. A deploy: find the live colour; deploy the idle one; health-check it
 * through its own endpoint; switch traffic; verify through the live endpoint; keep the previous colour
 * for {@code keep} (0: retire it at once). Before the switch, any failure leaves traffic where it was
 * and cleans the idle colour up. After the switch, a failure switches back to the previous colour,
 * which is still running. {@link #rollback} switches back on demand while the previous colour runs.
 */
public final class BlueGreen {

    private final Target target;
    private final HealthCheck health;
    private final Log log;
    private final Clock clock;

    private final Gates gates;

    public BlueGreen(Target target, HealthCheck health, Log log, Clock clock) {
        this(target, health, log, clock, Gates.NONE);
    }

    public BlueGreen(Target target, HealthCheck health, Log log, Clock clock, Gates gates) {
        this.target = target;
        this.health = health;
        this.log = log;
        this.clock = clock;
        this.gates = gates;
    }

    /**
     * What a deploy needs around the target: what runs the hooks ({@code before_start}, {@code before_switch},
     * {@code after_switch}, in the repository root, as the stage's commands), who approves a gated switch, and where
     * the intent is written before a switch runs (the environment's record).
     */
    public record Gates(Scripts hooks, Approver approver, Journal journal) {
        /** No hook runner (a hook is an error), nobody to ask, nothing written. */
        public static final Gates NONE = new Gates((what, command) -> {
            throw new BerthException("no runner for " + what);
        }, Approver.UNATTENDED, colors -> { });
    }

    /** Writes the colours before the switch runs, so that a run killed during it leaves its intent. */
    @FunctionalInterface
    public interface Journal {
        void write(BlueGreenRecord colors) throws BerthException, IOException;
    }

    /** Given to the hooks: the preview endpoint of the colour deployed, when the deploy block names one. */
    public static final String PREVIEW_URL = "BERTH_PREVIEW_URL";
    /** Given to every step: the folder both colours share, kept across deploys ({@code shared_dir}). */
    public static final String SHARED_DIR = "BERTH_SHARED_DIR";

    /**
     * What a deploy needs besides the target: the deploy block, the variables of each colour
     * ({@code BERTH_COLOR}, {@code BERTH_PORT} set), the health URL of each colour, and the URL that
     * serves live traffic (to verify after the switch), plus what to record.
     */
    public record Request(Deploy deploy, Function<Color, Map<String, String>> variables,
            Function<Color, String> healthUrl, Function<Color, String> liveUrl, String trigger,
            Map<String, String> images, Function<Color, Optional<String>> previewUrl) {

        /** The variable every step of a deploy into a colour gets: that deploy's identity. */
        public static final String DEPLOY_ID = "BERTH_DEPLOY_ID";

        /** A request without a preview endpoint. */
        public Request(Deploy deploy, Function<Color, Map<String, String>> variables, Function<Color, String> healthUrl,
                Function<Color, String> liveUrl, String trigger, Map<String, String> images) {
            this(deploy, variables, healthUrl, liveUrl, trigger, images, color -> Optional.empty());
        }

        /** This request, {@code color}'s steps also given {@value #DEPLOY_ID}. */
        Request withDeployId(Color color, String id) {
            Function<Color, Map<String, String>> base = variables;
            return new Request(deploy, c -> {
                if (c != color) {
                    return base.apply(c);
                }
                Map<String, String> with = new java.util.LinkedHashMap<>(base.apply(c));
                with.put(DEPLOY_ID, id);
                return with;
            }, healthUrl, liveUrl, trigger, images, previewUrl);
        }
    }

    /** A deploy that stopped: the step, why, and the colours as they are now (to be recorded). */
    public static final class DeployFailedException extends BerthException {
        private static final long serialVersionUID = 1L;
        private final transient BlueGreenRecord colors;

        DeployFailedException(String message, BlueGreenRecord colors, Throwable cause) {
            super(message, cause);
            this.colors = colors;
        }

        /** The colours after the failure (the deployment is in the history); empty before any deploy. */
        public BlueGreenRecord colors() {
            return colors;
        }
    }

    /**
     * Deploys a new version into the idle colour and switches to it.
     *
     * @param current the colours so far (empty: the first deploy, blue goes live)
     * @return the colours now; with {@link BlueGreenRecord#pending} when the approval is asked elsewhere
     *     ({@link Approver#ELSEWHERE}): the new colour runs, healthy, and {@link #resume} goes on
     * @throws DeployFailedException naming the step; traffic is on the previous colour
     */
    public BlueGreenRecord deploy(Optional<BlueGreenRecord> current, Request request)
            throws BerthException, IOException, InterruptedException {
        Instant started = clock.instant();
        if (current.flatMap(BlueGreenRecord::pending).isPresent()) {
            // A gate nobody answered (a build aborted while it waited): the colour it started is replaced below.
            log.warning(current.get().pending().get().color() + " waited for an approval that never came: deploying"
                    + " again");
        }
        Optional<Color> live = live(current, request);
        Color idle = live.map(Color::other).orElse(Color.BLUE);
        // This deploy's identity, for the app to show in its health answers: a process on the idle port that this
        // deploy did not start (a stray, an older build) then never passes for it.
        String deployId = idle.keyword() + "-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current()
                .nextLong() & Long.MAX_VALUE);
        request = request.withDeployId(idle, deployId);
        Attempt attempt = new Attempt(current, live, idle, request, started,
                new ArrayList<>(current.map(BlueGreenRecord::history).orElse(List.of())));
        // The idle colour may still run the version before last, kept for rollback, or the version the record
        // still calls live after a run stopped past its switch: it is replaced now.
        if (current.flatMap(BlueGreenRecord::previous).filter(p -> p.equals(idle.keyword())).isPresent()
                || current.flatMap(BlueGreenRecord::live).filter(l -> l.equals(idle.keyword())).isPresent()) {
            log.info("retiring " + idle.keyword() + " (kept for rollback) to deploy into it");
            target.retire(idle, request.variables().apply(idle));
        } else if (target instanceof CommandTarget) {
            // Whatever still runs as the idle colour (an old build whose stop failed, a process of a killed run) must not
            // answer the health check for this deploy: it is stopped first. Usually nothing runs, and stop says so.
            try {
                target.retire(idle, request.variables().apply(idle));
            } catch (BerthException e) {
                log.info("stopping " + idle.keyword() + " before its start: " + e.getMessage() + " (expected when nothing runs as "
                        + idle.keyword() + ")");
            }
        }
        Deploy.Hooks hooks = request.deploy().hooks();
        Optional<String> preview = request.previewUrl().apply(idle);
        String step = "before_start";
        try {
            log.info("deploying " + idle.keyword() + (live.map(l -> " (" + l.keyword() + " is live)").orElse(" (first deploy)")));
            hook(step, hooks.beforeStart(), idle, request, Optional.empty());
            step = "deploy";
            target.deploy(idle, request.variables().apply(idle));
            step = "health check";
            Deploy.Health check = request.deploy().health();
            String url = request.healthUrl().apply(idle);
            log.info("health check of " + idle.keyword() + ": " + url);
            health.await(url, check.timeout(), check.interval(), check.successes(),
                    check.requireDeployId() ? Optional.of(deployId) : Optional.empty());
            if (preview.isPresent()) {
                step = "preview";
                if (target.preview(idle, request.variables().apply(idle))) {
                    // A reload returns before the old workers are gone: wait until the preview reaches the colour.
                    health.awaitAnswer(preview.get(), check.timeout());
                }
                log.info("preview of " + idle.keyword() + ": " + preview.get());
            }
            step = "before_switch";
            hook(step, hooks.beforeSwitch(), idle, request, preview);
            if (request.deploy().approval().isPresent()) {
                step = "approval";
                String question = "Switch traffic to " + idle.keyword() + live.map(l -> " (from " + l.keyword() + ")")
                        .orElse("") + preview.map(p -> "? Its preview: " + p + ".").orElse("?");
                Deploy.Decision decision;
                try {
                    decision = gates.approver().decide(question, request.deploy().approval().get(), log);
                } catch (Approver.AskedElsewhere elsewhere) {
                    log.info(idle.keyword() + " is healthy and waits for the approval of its switch; traffic stays"
                            + live.map(l -> " on " + l.keyword()).orElse(" where it is"));
                    return current.orElse(new BlueGreenRecord(Optional.empty(), Optional.empty(), Optional.empty(),
                            List.of())).withPending(Optional.of(new BlueGreenRecord.Pending(idle.keyword(), deployId,
                                    started, request.images())));
                }
                decided(idle, decision, request.deploy().approval().get());
            }
            step = "switch";
            switchTo(attempt);
        } catch (BerthException | IOException e) {
            throw failed(attempt, step, e);
        }
        return verifyAndKeep(attempt);
    }

    /**
     * Goes on with a deploy that waited at its approval gate ({@link BlueGreenRecord#pending}): the switch, the
     * verification and the rest when {@code decision} approves; the waiting colour stopped when it rejects.
     *
     * @throws DeployFailedException when rejected or when a later step fails; traffic is on the previous colour
     */
    public BlueGreenRecord resume(BlueGreenRecord current, Request request, Deploy.Decision decision)
            throws BerthException, IOException, InterruptedException {
        BlueGreenRecord.Pending pending = current.pending().orElseThrow(() -> new BerthException("no deploy waits for"
                + " an approval in this environment: nothing to approve or reject"));
        Color idle = Color.of(pending.color());
        Optional<Color> live = current.live().map(Color::of);
        request = request.withDeployId(idle, pending.deployId());
        BlueGreenRecord base = current.withPending(Optional.empty());
        Attempt attempt = new Attempt(Optional.of(base), live, idle, new Request(request.deploy(), request.variables(),
                request.healthUrl(), request.liveUrl(), request.trigger(), pending.images(), request.previewUrl()),
                pending.startedAt(), new ArrayList<>(base.history()));
        String step = "approval";
        try {
            decided(idle, decision, request.deploy().approval().orElse(Deploy.Approval.ASK));
            step = "switch";
            switchTo(attempt);
        } catch (BerthException | IOException e) {
            throw failed(attempt, step, e);
        }
        return verifyAndKeep(attempt);
    }

    /** One deploy into a colour: what it started from, the colour, and its request (with its deploy id). */
    private record Attempt(Optional<BlueGreenRecord> current, Optional<Color> live, Color idle, Request request,
            Instant started, List<BlueGreenRecord.Deployment> history) {}

    /** Writes the intent, then switches: a run killed during the switch leaves it for the next run to reconcile. */
    private void switchTo(Attempt attempt) throws BerthException, IOException, InterruptedException {
        gates.journal().write(attempt.current().orElse(new BlueGreenRecord(Optional.empty(), Optional.empty(),
                Optional.empty(), List.of())).withPending(Optional.empty())
                .switchingTo(Optional.of(attempt.idle().keyword())));
        log.info("switching traffic to " + attempt.idle().keyword());
        target.switchTo(attempt.idle(), attempt.request().variables().apply(attempt.idle()));
    }

    /**
     * A failure before traffic moved for sure: traffic goes back to the live colour if the switch had begun, the new
     * colour is cleaned up, and the exception to throw says what happened.
     */
    private DeployFailedException failed(Attempt attempt, String step, Exception e) throws InterruptedException {
        Optional<Color> live = attempt.live();
        Color idle = attempt.idle();
        Request request = attempt.request();
        String where = "";
        if (step.equals("switch") && live.isPresent()) {
            // A switch that failed half-way (a script that moved traffic, then exited non-zero) may have moved
            // traffic: send it back to the live colour before the idle one is stopped.
            Optional<String> reasserted = switchBack(live.get(), request);
            if (reasserted.isPresent()) {
                BlueGreenRecord colors = record(attempt, live, "failed at switch; switching back to "
                        + live.get().keyword() + " failed too", Optional.of(e.getMessage()));
                return new DeployFailedException("blue-green switch to " + idle.keyword() + " failed (" + e.getMessage()
                        + ") and switching back to " + live.get().keyword() + " failed too (" + reasserted.get()
                        + "): both colours are left running, as either may be serving; check the target", colors, e);
            }
            where = " (switched back to " + live.get().keyword() + " to be sure)";
            // It may have served: what it is still answering finishes first.
            drain(idle, request);
        }
        cleanUp(idle, request);
        BlueGreenRecord colors = record(attempt, live, "failed at " + step, Optional.of(e.getMessage()));
        return new DeployFailedException("blue-green " + step + " of " + idle.keyword() + " failed: " + e.getMessage()
                + "; traffic is untouched" + live.map(l -> " (still on " + l.keyword() + ")").orElse("") + where,
                colors, e);
    }

    /** After the switch: verify through the live endpoint, run after_switch, keep or retire the previous colour. */
    private BlueGreenRecord verifyAndKeep(Attempt attempt) throws BerthException, IOException, InterruptedException {
        Optional<Color> live = attempt.live();
        Color idle = attempt.idle();
        Request request = attempt.request();
        try {
            Deploy.Health check = request.deploy().health();
            String url = request.liveUrl().apply(idle);
            log.info("verifying through the live endpoint: " + url);
            health.verify(url, check.timeout(), check.interval(), check.successes(), check.failureLimit());
            // A failing after_switch is a failed verification: traffic goes back to the colour that still runs.
            hook("after_switch", request.deploy().hooks().afterSwitch(), idle, request, Optional.empty());
        } catch (BerthException e) {
            String outcome = "failed after the switch";
            if (live.isPresent()) {
                log.error("verification failed after the switch (" + e.getMessage() + "); switching back to "
                        + live.get().keyword());
                Optional<String> failedBack = switchBack(live.get(), request);
                if (failedBack.isPresent()) {
                    // Traffic stays on the new colour: it must not be stopped, and the record says it serves.
                    BlueGreenRecord colors = record(attempt, Optional.of(idle), outcome + "; switching back to "
                            + live.get().keyword() + " failed", Optional.of(e.getMessage()));
                    throw new DeployFailedException("blue-green deploy of " + idle.keyword() + " " + outcome + " ("
                            + e.getMessage() + ") and switching back to " + live.get().keyword() + " failed ("
                            + failedBack.get() + "): " + idle.keyword() + " still serves; both colours are left running",
                            colors, e);
                }
                outcome += ", switched back to " + live.get().keyword();
                drain(idle, request);
            }
            cleanUp(idle, request);
            BlueGreenRecord colors = record(attempt, live, outcome, Optional.of(e.getMessage()));
            throw new DeployFailedException("blue-green deploy of " + idle.keyword() + " " + outcome + ": "
                    + e.getMessage(), colors, e);
        }
        Duration keep = request.deploy().keep();
        Optional<String> previous = live.map(Color::keyword);
        Optional<Instant> retireAt = previous.map(p -> clock.instant().plus(keep));
        if (live.isPresent() && keep.isZero()) {
            drain(live.get(), request);
            log.info("retiring " + live.get().keyword() + " (keep: 0)");
            target.retire(live.get(), request.variables().apply(live.get()));
            previous = Optional.empty();
            retireAt = Optional.empty();
        }
        List<BlueGreenRecord.Deployment> history = attempt.history();
        history.add(new BlueGreenRecord.Deployment(idle.keyword(), request.images(), request.trigger(), "succeeded",
                attempt.started(), Duration.between(attempt.started(), clock.instant()).toMillis(), Optional.empty()));
        log.info(idle.keyword() + " is live" + previous.map(p -> "; " + p + " kept until " + clock.instant().plus(keep)
                + " for rollback").orElse(""));
        return new BlueGreenRecord(Optional.of(idle.keyword()), previous, retireAt, history, Optional.empty(),
                request.previewUrl().apply(idle.other()), Optional.empty(), Optional.empty());
    }

    /** Runs a hook of the deploy block for {@code color}, told its variables (and the preview endpoint, if any). */
    private void hook(String name, Optional<String> command, Color color, Request request, Optional<String> preview)
            throws BerthException, InterruptedException {
        if (command.isEmpty()) {
            return;
        }
        Map<String, String> variables = new java.util.LinkedHashMap<>(request.variables().apply(color));
        preview.ifPresent(url -> variables.put(PREVIEW_URL, url));
        log.info("running " + name + " for " + color.keyword());
        gates.hooks().run("'" + name + "' for " + color.keyword(),
                io.jenkins.plugins.berth.run.Command.inlineScript(command.get(), variables));
    }

    /** The gate's decision: returns when the switch is approved, throws when it is rejected. */
    private void decided(Color idle, Deploy.Decision decision, Deploy.Approval approval) throws BerthException {
        if (decision != Deploy.Decision.APPROVE) {
            throw new BerthException("the switch to " + idle.keyword() + " was rejected at the approval gate"
                    + approval.timeout().map(t -> " (or not approved within " + io.jenkins.plugins.berth.model.Durations
                            .format(t) + ", default: " + approval.byDefault().keyword() + ")").orElse(""));
        }
        log.info("approved: switching to " + idle.keyword());
    }

    /**
     * Switches traffic back to the previous colour while it still runs; the colour that was live
     * becomes the previous one, kept for {@code keep}.
     */
    public BlueGreenRecord rollback(BlueGreenRecord current, Request request)
            throws BerthException, IOException, InterruptedException {
        if (current.previous().isEmpty()) {
            throw new BerthException("there is nothing to roll back to: no previous colour is running (it is retired"
                    + " after 'keep', or this was the first deploy)");
        }
        Instant started = clock.instant();
        Color back = Color.of(current.previous().get());
        // Switching to a colour that crashed while it was kept would serve errors: it must answer first.
        Deploy.Health check = request.deploy().health();
        String url = request.healthUrl().apply(back);
        log.info("health check of " + back.keyword() + " before switching back to it: " + url);
        try {
            health.await(url, check.timeout().compareTo(ROLLBACK_CHECK) < 0 ? check.timeout() : ROLLBACK_CHECK,
                    check.interval(), 1);
        } catch (BerthException e) {
            throw new BerthException("cannot roll back to " + back.keyword() + ": it does not answer its health check ("
                    + e.getMessage() + "); traffic stays on " + current.live().orElse("the live colour"), e);
        }
        log.info("rolling back: switching traffic to " + back.keyword());
        target.switchTo(back, request.variables().apply(back));
        List<BlueGreenRecord.Deployment> history = new ArrayList<>(current.history());
        history.add(new BlueGreenRecord.Deployment(back.keyword(), Map.of(), "rollback", "succeeded", started,
                Duration.between(started, clock.instant()).toMillis(), Optional.empty()));
        return new BlueGreenRecord(Optional.of(back.keyword()), current.live(),
                Optional.of(clock.instant().plus(request.deploy().keep())), history).withPreview(current.preview());
    }

    /**
     * Retires the previous colour once its {@code keep} has run out (a later deploy, reap or teardown
     * calls this); returns the colours after.
     */
    public BlueGreenRecord retireExpired(BlueGreenRecord current, Function<Color, Map<String, String>> variables)
            throws BerthException, IOException, InterruptedException {
        if (current.previous().isEmpty() || current.retirePreviousAt().map(t -> t.isAfter(clock.instant())).orElse(false)) {
            return current;
        }
        Color previous = Color.of(current.previous().get());
        log.info("retiring " + previous.keyword() + " (kept for rollback until " + current.retirePreviousAt().orElse(null) + ")");
        target.retire(previous, variables.apply(previous));
        return new BlueGreenRecord(current.live(), Optional.empty(), Optional.empty(), current.history(),
                current.switching(), current.preview(), current.pending(), current.ports());
    }

    /** The longest a rollback waits for the kept colour to answer: it should be running already. */
    static final Duration ROLLBACK_CHECK = Duration.ofSeconds(10);

    /** How many times a switch back is tried before Berth gives up and says what serves. */
    static final int SWITCH_BACK_ATTEMPTS = 3;

    /**
     * The live colour: what the target really sends traffic to, when it can tell (the record may be behind it:
     * a run killed between the switch and the record), else the record's.
     */
    private Optional<Color> live(Optional<BlueGreenRecord> current, Request request)
            throws BerthException, IOException, InterruptedException {
        Optional<Color> recorded = current.flatMap(BlueGreenRecord::live).map(Color::of);
        Optional<Color> switching = current.flatMap(BlueGreenRecord::switching).map(Color::of);
        if (recorded.isEmpty() && switching.isEmpty()) {
            // A first deploy: what a file names (the user's, an earlier environment's) serves nothing; but a load
            // balancer that already sends traffic to a colour does.
            Optional<Color> serving = target.liveBeforeFirstDeploy();
            serving.ifPresent(c -> log.info("no deploy is recorded, but the target sends traffic to " + c.keyword()
                    + ": deploying " + c.other().keyword()));
            return serving;
        }
        Optional<Color> actual = target.live();
        if (actual.isPresent() && !actual.equals(recorded)) {
            log.warning("the record says " + recorded.map(Color::keyword).orElse("nothing") + " is live, but the target"
                    + " sends traffic to " + actual.get().keyword() + " (a run stopped after its switch): going on from "
                    + actual.get().keyword());
            return actual;
        }
        if (actual.isEmpty() && switching.isPresent()) {
            return reconcile(recorded, switching.get(), request);
        }
        return recorded;
    }

    /**
     * A run stopped while it switched to {@code intended}, and the target cannot say where traffic goes (a
     * {@code switch} script): traffic is sent, for sure, to the intended colour when it answers its health check
     * (it passed it before that switch), else back to the recorded one; the deploy goes on from there.
     */
    private Optional<Color> reconcile(Optional<Color> recorded, Color intended, Request request)
            throws BerthException, IOException, InterruptedException {
        Deploy.Health check = request.deploy().health();
        Optional<Color> to = Optional.of(intended);
        try {
            health.await(request.healthUrl().apply(intended), check.timeout().compareTo(ROLLBACK_CHECK) < 0
                    ? check.timeout() : ROLLBACK_CHECK, check.interval(), 1);
        } catch (BerthException e) {
            to = recorded;
        }
        if (to.isEmpty()) {
            log.warning("a run stopped while switching to " + intended.keyword() + ", which does not answer: a first"
                    + " deploy again");
            return to;
        }
        log.warning("a run stopped while switching to " + intended.keyword() + " (the record says "
                + recorded.map(Color::keyword).orElse("nothing") + " is live): switching to " + to.get().keyword()
                + " again, which answers, so that traffic is known to be there");
        target.switchTo(to.get(), request.variables().apply(to.get()));
        return to;
    }

    /** Switches traffic to {@code color}, a few times if need be; empty when it worked, else the last error. */
    private Optional<String> switchBack(Color color, Request request) throws InterruptedException {
        String error = "";
        for (int attempt = 1; attempt <= SWITCH_BACK_ATTEMPTS; attempt++) {
            try {
                target.switchTo(color, request.variables().apply(color));
                return Optional.empty();
            } catch (BerthException | IOException e) {
                error = e.getMessage();
                log.warning("switching traffic back to " + color.keyword() + " failed (attempt " + attempt + " of "
                        + SWITCH_BACK_ATTEMPTS + "): " + error);
                Thread.sleep(1000L * attempt);
            }
        }
        return Optional.of(error);
    }

    /** Lets the requests {@code color} is still answering finish before it is stopped ({@code drain}). */
    private void drain(Color color, Request request) throws InterruptedException {
        Duration drain = request.deploy().drain();
        if (!drain.isZero()) {
            log.info("draining " + color.keyword() + " for " + drain.toMillis() / 1000.0 + "s before it stops");
            Thread.sleep(drain.toMillis());
        }
    }

    /** Stops the idle colour after a failed deploy; a failure here is reported, not thrown over the first one. */
    private void cleanUp(Color idle, Request request) throws InterruptedException {
        try {
            target.retire(idle, request.variables().apply(idle));
        } catch (BerthException | IOException e) {
            log.warning("cleaning up " + idle.keyword() + " failed too: " + e.getMessage());
        }
    }

    private BlueGreenRecord record(Attempt attempt, Optional<Color> live, String result, Optional<String> error) {
        List<BlueGreenRecord.Deployment> history = attempt.history();
        Color idle = attempt.idle();
        history.add(new BlueGreenRecord.Deployment(idle.keyword(), attempt.request().images(), attempt.request().trigger(),
                result, attempt.started(), Duration.between(attempt.started(), clock.instant()).toMillis(), error));
        Optional<BlueGreenRecord> current = attempt.current();
        return new BlueGreenRecord(live.map(Color::keyword), current.flatMap(BlueGreenRecord::previous)
                .filter(p -> !p.equals(idle.keyword())), current.flatMap(BlueGreenRecord::retirePreviousAt), history)
                .withPreview(current.flatMap(BlueGreenRecord::preview));
    }
}
