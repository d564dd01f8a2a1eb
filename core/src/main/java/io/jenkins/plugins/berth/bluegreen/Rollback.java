package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.NoSuchEnvironmentException;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.SecretSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * {@code berth rollback --env NAME}: switches an environment's traffic back to its previous colour
 * while that colour still runs, with the deploy block of the deploy file and the facts of the record.
 * Holds the environment like a deploy, so it never overlaps one.
 */
public final class Rollback {

    private final Path repositoryRoot;
    private final StateStore state;
    private final CommandRunner commands;
    private final Log log;
    private final Clock clock;

    public Rollback(Path repositoryRoot, StateStore state, CommandRunner commands, Log log, Clock clock) {
        this.repositoryRoot = repositoryRoot;
        this.state = state;
        this.commands = commands;
        this.log = log;
        this.clock = clock;
    }

    public BlueGreenRecord rollback(DeployFile file, String environment, SecretSource source)
            throws BerthException, IOException, InterruptedException {
        Stage stage = file.stages().stream().filter(s -> s.action() instanceof Stage.DeployAction).findFirst()
                .orElseThrow(() -> new BerthException("the deploy file has no deploy stage: nothing to roll back"));
        Deploy declared = ((Stage.DeployAction) stage.action()).deploy();
        StateStore.Attempt attempt = state.tryLock(environment, "berth rollback since " + clock.instant());
        if (attempt instanceof StateStore.Busy busy) {
            throw new BerthException("environment " + environment + " is busy: " + busy.holder() + " is running on it");
        }
        try (StateStore.Lock lock = ((StateStore.Acquired) attempt).lock()) {
            EnvironmentRecord record = state.read(environment)
                    .orElseThrow(() -> new NoSuchEnvironmentException(environment, ""));
            BlueGreenRecord colors = record.blueGreen().orElseThrow(() -> new BerthException(
                    "environment " + environment + " has no blue-green deployment to roll back"));
            SecretMasker masker = SecretMasker.of(commands.environmentSecrets());
            Log masked = Log.masked(log, masker);
            RunVariables variables = RunVariables.forRecord(file, record, source, masker);
            Deploy deploy = EnvironmentPorts.known(declared, variables, Optional.of(colors));
            Scope.Site site = Scope.Site.of(Scope.Kind.DEPLOY);
            BlueGreen.Request base = BlueGreenDeployer.request(deploy, variables, "rollback", Map.of());
            Optional<Path> shared = SharedFolder.of(deploy, variables, SharedFolder.root(state, repositoryRoot,
                    environment));
            BlueGreen.Request request = new BlueGreen.Request(deploy, color -> {
                Map<String, String> values = new java.util.LinkedHashMap<>(variables.knownEnvironment(site,
                        BlueGreenDeployer.colorValues(deploy, color)));
                shared.ifPresent(dir -> values.put(BlueGreen.SHARED_DIR, dir.toString()));
                return values;
            }, base.healthUrl(), base.liveUrl(), "rollback", Map.of());
            Target target = BlueGreenDeployer.target(deploy, variables, Scripts.of(commands, masked, stage.name()),
                    repositoryRoot);
            BlueGreen controller = new BlueGreen(target, new HealthCheck(clock), masked, clock);
            // A colour whose keep ran out is retired now, whoever was to do it: it is no rollback target any more.
            BlueGreenRecord kept = controller.retireExpired(colors, request.variables());
            if (!kept.equals(colors)) {
                state.update(environment, stored -> stored.orElseThrow().withBlueGreen(kept, clock.instant()));
            }
            BlueGreenRecord after = controller.rollback(kept, request).withPorts(colors.ports());
            state.update(environment, stored -> stored.orElseThrow().withBlueGreen(after, clock.instant()));
            masked.info(after.live().orElseThrow() + " is live again; " + after.previous().orElseThrow()
                    + " is kept for " + io.jenkins.plugins.berth.model.Durations.format(deploy.keep()) + ", until "
                    + after.retirePreviousAt().orElseThrow());
            return after;
        }
    }
}
