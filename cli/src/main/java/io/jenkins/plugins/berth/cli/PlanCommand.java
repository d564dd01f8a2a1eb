package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.model.Problem;
import io.jenkins.plugins.berth.plan.Plan;
import io.jenkins.plugins.berth.plan.PlanJson;
import io.jenkins.plugins.berth.plan.Planner;
import io.jenkins.plugins.berth.run.Feature;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth plan [FILE] --branch BRANCH}: what a deploy of that branch would do. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what a deploy of a branch would do: the environment, each phase in order (parallel"
                + " groups included) and the variables each stage sees. Secrets are shown by name, never by value."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the plan was printed", "1:the deploy file has problems (all are listed)",
            "2:wrong usage, or the file cannot be read"})
final class PlanCommand implements Callable<Integer> {

    @CommandLine.Mixin
    DeployFileArgument file;

    @Option(names = "--branch", required = true, paramLabel = "BRANCH", description = "The branch to plan for.")
    String branch;

    @Option(names = "--commit", paramLabel = "SHA",
            description = "The commit (default: HEAD of the git repository the file is in, if any).")
    Optional<String> commit = Optional.empty();

    @Option(names = "--json", description = "Print the plan as one JSON object.")
    boolean json;

    @Option(names = "--save-plan", paramLabel = "PLAN",
            description = "Also write the plan a walk's steps run (up --step --plan PLAN --plan-digest SHA256) and print"
                    + " its digest: the deploy file as validated here, for this branch and commit. Keep the digest where"
                    + " the steps' own code cannot change it.")
    Optional<java.nio.file.Path> savePlan = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Each build's version as {@code up} computes it, when Packer is on the search path (its version is part of
     * it); without Packer the plan says the version is known at run time.
     */
    private static Planner.BuildVersions buildVersions(DeployFileArgument.Valid valid) {
        if (valid.deployFile().builds().isEmpty()) {
            return Planner.BuildVersions.UNKNOWN;
        }
        Optional<String> packer;
        try {
            java.nio.file.Path binary = io.jenkins.plugins.berth.builds.PackerBinary.find(LocalEngine.searchPath());
            StringBuilder out = new StringBuilder();
            int code = new io.jenkins.plugins.berth.run.LocalCommandRunner(valid.folder()).run(
                    io.jenkins.plugins.berth.run.Command.packer(java.util.List.of(binary.toString(), "version"), "",
                            java.util.Map.of("CHECKPOINT_DISABLE", "1")), line -> out.append(line).append('\n'));
            packer = code == 0 ? io.jenkins.plugins.berth.builds.PackerBinary.parseVersion(out.toString())
                    : Optional.empty();
        } catch (io.jenkins.plugins.berth.BerthException | java.io.IOException e) {
            packer = Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            packer = Optional.empty();
        }
        if (packer.isEmpty()) {
            return Planner.BuildVersions.UNKNOWN;
        }
        String version = packer.get();
        return (build, only, vars) -> {
            try {
                return Optional.of(io.jenkins.plugins.berth.builds.BuildVersion.of(valid.folder(), build.dir().path(),
                        only, vars, version));
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        };
    }

    @Override
    public Integer call() {
        if (branch.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--branch must not be empty");
        }
        DeployFileArgument.Loaded loaded = file.load(spec.commandLine().getErr());
        if (loaded instanceof DeployFileArgument.Failed failed) {
            return failed.exitCode();
        }
        DeployFileArgument.Valid valid = (DeployFileArgument.Valid) loaded;
        Plan plan = Planner.plan(valid.deployFile(),
                new Planner.Request(branch, valid.commit(commit), valid.defaultProject()),
                buildVersions(valid));
        for (Problem unsupported : Feature.unsupported(valid.deployFile(), LocalEngine.features())) {
            spec.commandLine().getErr().println("berth: note: " + unsupported);
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        Optional<io.jenkins.plugins.berth.plan.PlanFile> saved = Optional.empty();
        if (savePlan.isPresent()) {
            try {
                io.jenkins.plugins.berth.plan.PlanFile walkPlan = new io.jenkins.plugins.berth.plan.PlanFile(
                        valid.file().toString(), branch, valid.commit(commit), plan.project(),
                        java.nio.file.Files.readString(valid.file()));
                PlanOption.write(savePlan.get(), walkPlan);
                saved = Optional.of(walkPlan);
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().println("berth: cannot write the plan " + savePlan.get() + ": "
                        + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        if (json && saved.isPresent()) {
            com.fasterxml.jackson.databind.node.ObjectNode tree = io.jenkins.plugins.berth.Json.mapper().valueToTree(plan);
            tree.put("plan_file", savePlan.get().toString()).put("plan_digest", saved.get().digest());
            out.print(tree.toPrettyString() + System.lineSeparator());
        } else if (json) {
            out.print(PlanJson.write(plan) + System.lineSeparator());
        } else {
            out.print(PlanText.render(plan));
            saved.ifPresent(p -> out.println("Plan saved to " + savePlan.get() + ": " + p.digest()));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
