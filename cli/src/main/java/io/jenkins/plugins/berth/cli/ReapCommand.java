package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.Reaper;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.run.SecretSource;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth reap [--dry-run]}: tear down expired, unprotected environments. */
@Command(name = "reap", mixinStandardHelpOptions = true,
        description = {"Tear down every environment whose ttl has run out since its last deploy, unless it is"
                + " protected or pinned (release stages are). Lists each environment and the verdict; with"
                + " --dry-run, changes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every expired environment torn down (or none expired)", "1:a teardown failed, or a record"
                + " cannot be read (the others went on)", "2:wrong usage or a bad secrets file"})
final class ReapCommand implements Callable<Integer> {

    @CommandLine.Mixin
    StateFolderOption stateFolder;

    @Option(names = "--dry-run", description = "Only say what would be torn down.")
    boolean dryRun;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunnerEnvironment environment = BerthCommand.environment(spec);
        Optional<SecretSource> secrets = secretsOption.read(err, environment);
        if (secrets.isEmpty()) {
            return ExitCodes.USAGE;
        }
        DirectoryStateStore state = new DirectoryStateStore(stateFolder.folder());
        StateStore.Records records = state.records();
        EnvsCommand.warnSkipped(records, err);
        List<Reaper.Decision> decisions = Reaper.decide(records.readable(), Instant.now());
        int failures = records.unreadable().size();
        for (Reaper.Decision decision : decisions) {
            String name = decision.environment().name();
            if (!decision.reap()) {
                out.println("==> keep " + name + ": " + decision.reason());
                continue;
            }
            out.println("==> " + (dryRun ? "would tear down " : "tear down ") + name + ": " + decision.reason());
            if (dryRun) {
                continue;
            }
            try {
                LocalEngine.teardown(stateFolder.folder(), out, environment).down(name, secrets.get());
            } catch (BerthException e) {
                failures++;
                err.println("berth: " + name + ": " + e.getMessage());
            }
        }
        return failures == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
