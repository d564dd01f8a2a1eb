package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.Who;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.deploy.EnvironmentBusyException;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.terraform.StackLockedException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth up [FILE] --branch BRANCH}: deploy a branch to its environment on this machine. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Deploy a branch to its environment on this machine: the init stages, the images, the Packer"
                + " builds, the infrastructure"
                + " (OpenTofu/Terraform stacks), then the stages, each stage run by bash in the folder of the deploy"
                + " file. Output lines carry the stage name; secret"
                + " values are shown as ****. The environment's record is kept in the state folder."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every stage succeeded (failures of on_failure: continue stages allowed)",
            "1:a stage failed and stopped the run, or the deploy file has problems (all are listed)",
            "2:wrong usage, a file that cannot be read, or a missing secret (nothing ran)",
            "3:(--step in a --walk) skipped: an earlier step's failure stopped the deploy",
            "4:(--step) the step failed and has on_failure: continue: the deploy goes on"})
final class UpCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--branch", required = true, paramLabel = "BRANCH", description = "The branch to deploy.")
    String branch;

    @Option(names = "--commit", paramLabel = "SHA",
            description = "The commit (default: HEAD of the git repository the file is in, if any): its tag and label"
                    + " on the images, BERTH_COMMIT. A commit other than the one checked out has its images built from"
                    + " its own files (git archive), the rest of the deploy runs from the working folder.")
    Optional<String> commit = Optional.empty();

    @CommandLine.Mixin
    StateOption stateFolder;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    @CommandLine.Mixin
    DefaultTtlOption defaultTtl;

    @CommandLine.Mixin
    ParallelOption parallel;

    @CommandLine.Mixin
    ApprovalOption approval;

    @Option(names = "--step", paramLabel = "PHASE:NAME",
            description = "Run one step of the deploy only (init_stages, images, builds, infrastructure or stages,"
                    + " and the step's name), going on from the images and outputs earlier steps recorded. Takes no lock:"
                    + " whoever walks the deploy step by step (the Jenkins berth variable) serializes deploys.")
    Optional<String> step = Optional.empty();

    @Option(names = "--walk", paramLabel = "ID",
            description = "With --step: the deploy this step belongs to. Once one of its steps fails (without"
                    + " on_failure: continue), its later steps are skipped, always steps excepted: the runner decides,"
                    + " from the environment's record.")
    Optional<String> walk = Optional.empty();

    @Option(names = "--report", paramLabel = "OUTCOME",
            description = "With --step and --walk: the step ran elsewhere (a Jenkins stage in a container image)"
                    + " and ended so (succeeded or failed); record it and judge it by the step's on_failure.")
    Optional<String> report = Optional.empty();

    @Option(names = "--report-build", paramLabel = "RECORD",
            description = "With --step builds:NAME and --walk: the build ran on another agent (berth up --step there,"
                    + " with a state folder of its own) and RECORD is the environment record that run wrote; record"
                    + " the build, publish its outputs and judge it by the step's rules.")
    Optional<java.nio.file.Path> reportBuild = Optional.empty();

    @CommandLine.Mixin
    PlanOption plan;

    @Option(names = "--rebuild",
            description = "Build every image and run every Packer build, even an image whose content tag is in the"
                    + " registry or a build whose version (template, variables, Packer version) made artifacts before;"
                    + " without it those are reused.")
    boolean rebuild;

    @Option(names = "--offline",
            description = "Ask no registry for the digests of the images' base images (FROM): the content tag then"
                    + " covers the Dockerfile's text only, so a new base image under the same tag does not rebuild."
                    + " Without it, a registry that cannot be reached stops the build, naming the Dockerfile line.")
    boolean offline;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        if (branch.isBlank()) {
            throw new CommandLine.ParameterException(commandLine, "--branch must not be empty");
        }
        int tasks = parallel.parallel(commandLine);
        Optional<UpRequest.Step> only;
        try {
            only = step.map(UpRequest.Step::parse);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--step: " + e.getMessage());
        }
        if ((walk.isPresent() || report.isPresent()) && only.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "--walk and --report go with --step");
        }
        if (walk.isPresent()) {
            only = only.map(s -> s.inWalk(walk.get()));
        }
        if (report.isPresent()) {
            if (walk.isEmpty()) {
                throw new CommandLine.ParameterException(commandLine, "--report goes with --walk");
            }
            UpRequest.Report outcome = switch (report.get()) {
                case "succeeded" -> UpRequest.Report.SUCCEEDED;
                case "failed" -> UpRequest.Report.FAILED;
                default -> throw new CommandLine.ParameterException(commandLine,
                        "--report is succeeded or failed, not '" + report.get() + "'");
            };
            only = only.map(s -> s.reported(outcome));
        }
        if (reportBuild.isPresent()) {
            only = Optional.of(builtElsewhere(commandLine, only, walk, reportBuild.get()));
        }
        boolean planned = plan.given(commandLine);
        if (planned && only.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "--plan goes with --step");
        }
        Optional<java.time.Duration> ttl = defaultTtl.ttl(commandLine);
        PrintWriter err = commandLine.getErr();
        Preamble.Ready ready = planned
                ? Preamble.of(plan.load(commandLine, file, branch, commit, err), secretsOption, stateFolder, err,
                        BerthCommand.environment(spec))
                : Preamble.of(file, Preamble.Use.RUN, secretsOption, stateFolder, err, BerthCommand.environment(spec));
        UpRequest request = new UpRequest(branch, ready.file().commit(commit), ready.file().defaultProject(),
                ready.secrets(), tasks, Who.runBy(), ready.deployFileName(),
                only.<UpRequest.Mode>map(s -> s).orElseGet(UpRequest.Up::new), ttl);
        try {
            RunResult result = ready.engine(commandLine.getOut(), BerthCommand.stops(spec), rebuild, offline,
                    approval.approver(commandLine)).up(ready.file().deployFile(), ready.repository(),
                    request);
            commandLine.getOut().println("==> State: " + ready.state().file(result.environment()));
            if (BerthCommand.stops(spec).requested()) {
                return ExitCodes.stopped(BerthCommand.stops(spec));
            }
            return only.isPresent() ? stepExitCode(result, only.get()) : result.succeeded() ? ExitCodes.OK
                    : ExitCodes.FAILED;
        } catch (MissingSecretsException e) {
            return secretsOption.reportMissing(err, e);
        } catch (StateException | EnvironmentBusyException | StackLockedException e) {
            err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (io.jenkins.plugins.berth.BerthException e) {
            // A --step the file does not have; nothing ran.
            err.println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    /** The step as a build reported from another agent's record of it. */
    private static UpRequest.Step builtElsewhere(CommandLine commandLine, Optional<UpRequest.Step> only,
            Optional<String> walk, java.nio.file.Path record) {
        UpRequest.Step step = only.filter(s -> s.phase() == io.jenkins.plugins.berth.model.PhaseName.BUILDS
                && walk.isPresent() && s.report().isEmpty()).orElseThrow(() -> new CommandLine.ParameterException(
                        commandLine, "--report-build goes with --step builds:NAME and --walk, without --report"));
        io.jenkins.plugins.berth.environments.EnvironmentRecord written;
        try {
            written = io.jenkins.plugins.berth.environments.DirectoryStateStore.parse(record.toString(),
                    java.nio.file.Files.readAllBytes(record));
        } catch (java.io.IOException | io.jenkins.plugins.berth.environments.StateException e) {
            throw new CommandLine.ParameterException(commandLine, "--report-build: cannot read " + record + ": "
                    + e.getMessage());
        }
        // Only a record of this walk counts: an earlier deploy's, left on the agent, must not pass for this one's.
        boolean thisWalk = written.walk().map(io.jenkins.plugins.berth.environments.EnvironmentRecord.Walk::id)
                .equals(walk);
        io.jenkins.plugins.berth.environments.BuildRecord build = written.builds().stream()
                .filter(b -> thisWalk && b.name().equals(step.name())).findFirst()
                // No record of the build: it never started there (Packer missing, a bad template copy).
                .orElse(new io.jenkins.plugins.berth.environments.BuildRecord(step.name(), "", "failed",
                        java.util.List.of(), "", false));
        return step.builtElsewhere(build);
    }

    /** How one step ended, as the walker maps it to a stage result: 0, 1, or 3 skipped, 4 failed but continued. */
    private static int stepExitCode(RunResult result, UpRequest.Step step) {
        return result.steps().stream().filter(s -> s.name().equals(step.name()) && s.phase().equals(step.phase().key()))
                .reduce((first, second) -> second).map(s -> switch (s.status()) {
                    case SUCCEEDED -> ExitCodes.OK;
                    case SKIPPED -> ExitCodes.SKIPPED;
                    case FAILED_CONTINUED -> ExitCodes.CONTINUED;
                    default -> ExitCodes.FAILED;
                }).orElse(ExitCodes.FAILED);
    }
}
