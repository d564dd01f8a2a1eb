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
        // The records index: the decision needs no whole record; a teardown reads its own.
        StateStore.Summaries summaries = state.summaries();
        EnvsCommand.warnSkipped(summaries.unreadable(), err);
        List<Reaper.Decision> decisions = Reaper.decide(summaries.readable(), Instant.now());
        int failures = summaries.unreadable().size();
        // Verdicts are written in large pieces (a flush per line costs more than the decision at 100,000), and
        // before each teardown, whose own output follows its verdict.
        StringBuilder verdicts = new StringBuilder(64 * 1024);
        for (Reaper.Decision decision : decisions) {
            String name = decision.environment().name();
            if (!decision.reap()) {
                verdicts.append("==> keep ").append(name).append(": ").append(decision.reason()).append('\n');
            } else {
                verdicts.append("==> ").append(dryRun ? "would tear down " : "tear down ").append(name).append(": ")
                        .append(decision.reason()).append('\n');
            }
            if (verdicts.length() > 60 * 1024 || decision.reap() && !dryRun) {
                out.write(verdicts.toString());
                out.flush();
                verdicts.setLength(0);
            }
            if (!decision.reap() || dryRun) {
                continue;
            }
            try {
                LocalEngine.teardown(stateFolder.folder(), out, environment).down(name, secrets.get());
            } catch (BerthException e) {
                failures++;
                err.println("berth: " + name + ": " + e.getMessage());
            }
        }
        out.write(verdicts.toString());
        out.flush();
        return failures == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
