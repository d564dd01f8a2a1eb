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

    public BlueGreen(Target target, HealthCheck health, Log log, Clock clock) {
        this.target = target;
        this.health = health;
        this.log = log;
        this.clock = clock;
    }

    /**
     * What a deploy needs besides the target: the deploy block, the variables of each colour
     * ({@code BERTH_COLOR}, {@code BERTH_PORT} set), the health URL of each colour, and the URL that
     * serves live traffic (to verify after the switch), plus what to record.
     */
    public record Request(Deploy deploy, Function<Color, Map<String, String>> variables,
            Function<Color, String> healthUrl, Function<Color, String> liveUrl, String trigger,
            Map<String, String> images) {

        /** The variable every step of a deploy into a colour gets: that deploy's identity. */
        public static final String DEPLOY_ID = "BERTH_DEPLOY_ID";

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
            }, healthUrl, liveUrl, trigger, images);
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
     * @return the colours now
     * @throws DeployFailedException naming the step; traffic is on the previous colour
     */
    public BlueGreenRecord deploy(Optional<BlueGreenRecord> current, Request request)
            throws BerthException, IOException, InterruptedException {
        Instant started = clock.instant();
        Optional<Color> live = live(current);
        Color idle = live.map(Color::other).orElse(Color.BLUE);
        // This deploy's identity, for the app to show in its health answers: a process on the idle port that this
        // deploy did not start (a stray, an older build) then never passes for it.
        String deployId = idle.keyword() + "-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current()
                .nextLong() & Long.MAX_VALUE);
        request = request.withDeployId(idle, deployId);
        List<BlueGreenRecord.Deployment> history = new ArrayList<>(current.map(BlueGreenRecord::history).orElse(List.of()));
        // The idle colour may still run the version before last, kept for rollback, or the version the record
        // still calls live after a run stopped past its switch: it is replaced now.
        if (current.flatMap(BlueGreenRecord::previous).filter(p -> p.equals(idle.keyword())).isPresent()
                || current.flatMap(BlueGreenRecord::live).filter(l -> l.equals(idle.keyword())).isPresent()) {
            log.info("retiring " + idle.keyword() + " (kept for rollback) to deploy into it");
            target.retire(idle, request.variables().apply(idle));
        }
        String step = "deploy";
        try {
            log.info("deploying " + idle.keyword() + (live.map(l -> " (" + l.keyword() + " is live)").orElse(" (first deploy)")));
            target.deploy(idle, request.variables().apply(idle));
            step = "health check";
            Deploy.Health check = request.deploy().health();
            String url = request.healthUrl().apply(idle);
            log.info("health check of " + idle.keyword() + ": " + url);
            health.await(url, check.timeout(), check.interval(), check.successes(),
                    check.requireDeployId() ? Optional.of(deployId) : Optional.empty());
            // A switch that fails leaves traffic where it was: the targets only move it once all is well.
            step = "switch";
            log.info("switching traffic to " + idle.keyword());
            target.switchTo(idle, request.variables().apply(idle));
        } catch (BerthException | IOException e) {
            String where = "";
            if (step.equals("switch") && live.isPresent()) {
                // A switch that failed half-way (a script that moved traffic, then exited non-zero) may have moved
                // traffic: send it back to the live colour before the idle one is stopped.
                Optional<String> reasserted = switchBack(live.get(), request);
                if (reasserted.isPresent()) {
                    BlueGreenRecord colors = record(current, live, history, idle, request, started,
                            "failed at switch; switching back to " + live.get().keyword() + " failed too",
                            Optional.of(e.getMessage()));
                    throw new DeployFailedException("blue-green switch to " + idle.keyword() + " failed (" + e.getMessage()
                            + ") and switching back to " + live.get().keyword() + " failed too (" + reasserted.get()
                            + "): both colours are left running, as either may be serving; check the target", colors, e);
                }
                where = " (switched back to " + live.get().keyword() + " to be sure)";
                // It may have served: what it is still answering finishes first.
                drain(idle, request);
            }
            cleanUp(idle, request);
            BlueGreenRecord colors = record(current, live, history, idle, request, started, "failed at " + step,
                    Optional.of(e.getMessage()));
            throw new DeployFailedException("blue-green " + step + " of " + idle.keyword() + " failed: " + e.getMessage()
                    + "; traffic is untouched" + live.map(l -> " (still on " + l.keyword() + ")").orElse("") + where,
                    colors, e);
        }
        try {
            Deploy.Health check = request.deploy().health();
            String url = request.liveUrl().apply(idle);
            log.info("verifying through the live endpoint: " + url);
            health.verify(url, check.timeout(), check.interval(), check.successes(), check.failureLimit());
        } catch (BerthException e) {
            String outcome = "failed after the switch";
            if (live.isPresent()) {
                log.error("verification failed after the switch (" + e.getMessage() + "); switching back to "
                        + live.get().keyword());
                Optional<String> failedBack = switchBack(live.get(), request);
                if (failedBack.isPresent()) {
                    // Traffic stays on the new colour: it must not be stopped, and the record says it serves.
                    BlueGreenRecord colors = record(current, Optional.of(idle), history, idle, request, started,
                            outcome + "; switching back to " + live.get().keyword() + " failed", Optional.of(e.getMessage()));
                    throw new DeployFailedException("blue-green deploy of " + idle.keyword() + " " + outcome + " ("
                            + e.getMessage() + ") and switching back to " + live.get().keyword() + " failed ("
                            + failedBack.get() + "): " + idle.keyword() + " still serves; both colours are left running",
                            colors, e);
                }
                outcome += ", switched back to " + live.get().keyword();
                drain(idle, request);
            }
            cleanUp(idle, request);
            BlueGreenRecord colors = record(current, live, history, idle, request, started, outcome,
                    Optional.of(e.getMessage()));
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
        history.add(new BlueGreenRecord.Deployment(idle.keyword(), request.images(), request.trigger(), "succeeded",
                started, Duration.between(started, clock.instant()).toMillis(), Optional.empty()));
        log.info(idle.keyword() + " is live" + previous.map(p -> "; " + p + " kept until " + clock.instant().plus(keep)
                + " for rollback").orElse(""));
        return new BlueGreenRecord(Optional.of(idle.keyword()), previous, retireAt, history);
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
                Optional.of(clock.instant().plus(request.deploy().keep())), history);
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
        return new BlueGreenRecord(current.live(), Optional.empty(), Optional.empty(), current.history());
    }

    /** The longest a rollback waits for the kept colour to answer: it should be running already. */
    static final Duration ROLLBACK_CHECK = Duration.ofSeconds(10);

    /** How many times a switch back is tried before Berth gives up and says what serves. */
    static final int SWITCH_BACK_ATTEMPTS = 3;

    /**
     * The live colour: what the target really sends traffic to, when it can tell (the record may be behind it:
     * a run killed between the switch and the record), else the record's.
     */
    private Optional<Color> live(Optional<BlueGreenRecord> current) throws BerthException, IOException {
        Optional<Color> recorded = current.flatMap(BlueGreenRecord::live).map(Color::of);
        if (recorded.isEmpty()) {
            // A first deploy: what the target names (a file the user wrote, an earlier environment's) serves nothing.
            return recorded;
        }
        Optional<Color> actual = target.live();
        if (actual.isPresent() && !actual.equals(recorded)) {
            log.warning("the record says " + recorded.get().keyword() + " is live, but the target"
                    + " sends traffic to " + actual.get().keyword() + " (a run stopped after its switch): going on from "
                    + actual.get().keyword());
            return actual;
        }
        return recorded;
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

    private BlueGreenRecord record(Optional<BlueGreenRecord> current, Optional<Color> live,
            List<BlueGreenRecord.Deployment> history, Color idle, Request request, Instant started, String result,
            Optional<String> error) {
        history.add(new BlueGreenRecord.Deployment(idle.keyword(), request.images(), request.trigger(), result, started,
                Duration.between(started, clock.instant()).toMillis(), error));
        return new BlueGreenRecord(live.map(Color::keyword), current.flatMap(BlueGreenRecord::previous)
                .filter(p -> !p.equals(idle.keyword())), current.flatMap(BlueGreenRecord::retirePreviousAt), history);
    }
}
