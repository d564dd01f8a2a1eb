package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a deploy file against the repository it names: script files exist, stack folders hold
 * Terraform code that declares the outputs the file publishes, image folders and Dockerfiles exist.
 * Run when the repository is at hand (the CLI, a Jenkins workspace), so a typo shows before a run.
 */
final class RepositoryChecks {

    private RepositoryChecks() {}

    static void check(DeployFile file, RepositoryFiles repository, Problems problems) {
        check(file, repository, problems, new ArrayList<>());
    }

    /** {@code missing} gets each build argument nothing gives a value for (also reported in {@code problems}). */
    static void check(DeployFile file, RepositoryFiles repository, Problems problems, List<MissingBuildArg> missing) {
        List<Stage> stages = new ArrayList<>(file.initStages());
        stages.addAll(file.stages());
        stages.addAll(file.teardown());
        for (Stage stage : stages) {
            if (stage.action() instanceof Stage.Script script && inside(repository, script.file(),
                    "script file of stage '" + stage.name() + "'", problems)
                    && !repository.isFile(script.file().path())) {
                problems.add(script.file().position(), "script file '" + script.file().path() + "' of stage '"
                        + stage.name() + "' does not exist in the repository (paths are relative to the deploy file's folder)");
            }
            if (stage.action() instanceof Stage.DeployAction deploy) {
                // A teardown keeps the script 'stop' runs: it must not be a way to copy a file from outside.
                deploy.deploy().stopScript().filter(Names::isRepositoryPath).ifPresent(stop -> inside(repository,
                        new FileRef(stop, stage.position()), "the script 'stop' of stage '" + stage.name() + "' runs",
                        problems));
            }
        }
        for (ImageSpec image : file.images().values()) {
            if (inside(repository, image.context(), "build context of image '" + image.name() + "'", problems)) {
                if (!repository.isDirectory(image.context().path())) {
                    problems.add(image.context().position(), "build context '" + image.context().path() + "' of image '"
                            + image.name() + "' is not a folder in the repository");
                } else {
                    checkTree(image.context(), "build context of image '" + image.name() + "'", problems,
                            () -> BuildContext.files(repository, image.context().path(),
                                    image.dockerfile().path()));
                }
            }
            if (!inside(repository, image.dockerfile(), "Dockerfile of image '" + image.name() + "'", problems)) {
                continue;
            }
            if (!repository.isFile(image.dockerfile().path())) {
                problems.add(image.dockerfile().position(), "Dockerfile '" + image.dockerfile().path() + "' of image '"
                        + image.name() + "' does not exist in the repository");
            } else {
                checkBuildArgs(image, repository, problems, missing);
            }
        }
        for (Stack stack : file.infrastructure()) {
            if (inside(repository, stack.dir(), "folder of stack '" + stack.name() + "'", problems)) {
                checkStack(stack, repository, problems);
            }
        }
        for (Build build : file.builds()) {
            if (inside(repository, build.dir(), "template folder of build '" + build.name() + "'", problems)) {
                checkBuild(build, repository, problems);
            }
        }
    }

    /** The folder holds a Packer template that declares the sources, builds and variables the entry names. */
    private static void checkBuild(Build build, RepositoryFiles repository, Problems problems) {
        String dir = build.dir().path();
        String label = "build '" + build.name() + "'";
        if (!repository.isDirectory(dir)) {
            problems.add(build.dir().position(), "template folder '" + dir + "' of " + label
                    + " does not exist in the repository");
            return;
        }
        PackerDeclarations template;
        try {
            template = PackerDeclarations.read(repository, dir);
        } catch (IOException | UncheckedIOException e) {
            problems.add(build.dir().position(), "cannot read template folder '" + dir + "' of " + label + ": "
                    + e.getMessage());
            return;
        }
        if (!template.hasTemplate()) {
            problems.add(build.dir().position(), "template folder '" + dir + "' of " + label
                    + " holds no *.pkr.hcl or *.pkr.json file");
            return;
        }
        for (Build.SourceRef source : build.only()) {
            if (!template.sources().contains(source.source())) {
                problems.add(source.position(), label + " builds only '" + source.source() + "', which " + dir
                        + " does not declare" + declared(template.sources(), "sources", source.source()));
            }
        }
        for (Build.Output output : build.outputs()) {
            if (!template.built().contains(output.source())) {
                problems.add(output.position(), label + " publishes an artifact of '" + output.source() + "', which no"
                        + " build block of " + dir + " builds" + declared(template.built(), "builds", output.source()));
            } else if (!build.only().isEmpty() && build.only().stream().noneMatch(s -> s.source().equals(output.source()))) {
                problems.add(output.position(), label + " publishes an artifact of '" + output.source() + "', which its"
                        + " 'only' leaves out; add it to 'only' or remove the output");
            }
        }
        for (var variable : build.vars().entrySet()) {
            if (!template.variables().contains(variable.getKey())) {
                problems.add(variable.getValue().position(), label + " gives variable '" + variable.getKey()
                        + "', which " + dir + " does not declare" + declared(template.variables(), "variables",
                                variable.getKey()));
            }
        }
    }

    private static String declared(java.util.SortedSet<String> names, String what, String wanted) {
        return names.isEmpty() ? " (it declares no " + what + ")"
                : " (it declares " + what + ": " + String.join(", ", names) + ")" + Suggestions.hint(wanted, names);
    }

    /** Whether {@code ref} stays inside the repository, links followed; a problem at it when not. */
    private static boolean inside(RepositoryFiles repository, FileRef ref, String what, Problems problems) {
        try {
            RepositoryPaths.real(repository, ref.path());
            return true;
        } catch (IOException e) {
            problems.add(ref.position(), what + ": " + e.getMessage());
            return false;
        }
    }

    /** A walk of a folder's files (what a copy or a build takes), as validation's problem when it fails. */
    @FunctionalInterface
    private interface Walk {
        void files() throws IOException;
    }

    private static boolean checkTree(FileRef folder, String what, Problems problems, Walk walk) {
        try {
            walk.files();
            return true;
        } catch (IOException | UncheckedIOException e) {
            problems.add(folder.position(), what + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Every ARG the build of the image's target needs (see {@link DockerfileArgs}: declared without a value,
     * read by an instruction BuildKit evaluates) must get a value in the image's args.
     */
    private static void checkBuildArgs(ImageSpec image, RepositoryFiles repository, Problems problems,
            List<MissingBuildArg> missing) {
        String dockerfile = image.dockerfile().path();
        String text;
        try {
            text = repository.read(dockerfile);
        } catch (IOException | UncheckedIOException e) {
            problems.add(image.dockerfile().position(), "cannot read Dockerfile '" + dockerfile + "' of image '"
                    + image.name() + "': " + e.getMessage());
            return;
        }
        List<String> stages;
        try {
            stages = DockerfileArgs.stageNames(text);
        } catch (DockerfileArgs.DockerfileException e) {
            problems.add(image.dockerfile().position(), "Dockerfile " + dockerfile + (e.line() > 0 ? ":" + e.line() : "")
                    + " of image '" + image.name() + "' cannot be read as BuildKit reads it: " + e.getMessage()
                    + "; fix the Dockerfile");
            return;
        }
        if (image.target().isPresent()) {
            var target = image.target().get();
            // BuildKit compares stage names without case.
            if (stages.stream().noneMatch(stage -> stage.equalsIgnoreCase(target.value()))) {
                problems.add(target.position(), "image '" + image.name() + "' has no build stage '" + target.value()
                        + "': " + dockerfile + (stages.isEmpty() ? " names no stage (FROM ... AS NAME)"
                                : " names " + String.join(", ", stages)));
                return;
            }
        }
        DockerfileArgs.Scan scan;
        try {
            scan = DockerfileArgs.scan(text, image.target().map(t -> t.value()));
        } catch (DockerfileArgs.DockerfileException e) {
            problems.add(image.dockerfile().position(), "Dockerfile " + dockerfile + (e.line() > 0 ? ":" + e.line() : "")
                    + " of image '" + image.name() + "': " + e.getMessage());
            return;
        }
        for (DockerfileArgs.Arg arg : scan.requiredArgs()) {
            if (!image.args().containsKey(arg.name())) {
                MissingBuildArg needed = new MissingBuildArg(image.name(), arg.name(), dockerfile, arg.line(), arg.stage());
                missing.add(needed);
                problems.add(image.position(), "image '" + image.name() + "' needs build argument " + arg.name()
                        + ": " + needed.declaredAt() + " declares it without a default and the build"
                        + image.target().map(t -> " of target " + t.value()).orElse("") + " uses it; add it to images."
                        + image.name() + ".args (a Jenkins build asks for it, and remembers it for the environment)");
            }
        }
    }

    private static void checkStack(Stack stack, RepositoryFiles repository, Problems problems) {
        String dir = stack.dir().path();
        if (!repository.isDirectory(dir)) {
            problems.add(stack.dir().position(), "folder '" + dir + "' of stack '" + stack.name()
                    + "' does not exist in the repository");
            return;
        }
        if (!checkTree(stack.dir(), "folder of stack '" + stack.name() + "'", problems,
                () -> TerraformDeclarations.sources(repository, dir))) {
            return;
        }
        TerraformDeclarations module;
        try {
            module = TerraformDeclarations.read(repository, dir);
        } catch (MalformedInputException e) {
            problems.add(stack.dir().position(), "folder '" + dir + "' of stack '" + stack.name()
                    + "' holds a .tf file that is not UTF-8 text");
            return;
        } catch (IOException | UncheckedIOException e) {
            problems.add(stack.dir().position(), "cannot read folder '" + dir + "' of stack '" + stack.name() + "': "
                    + e.getMessage());
            return;
        }
        boolean hasCode = module.hasCode();
        java.util.SortedSet<String> declared = module.outputs();
        if (!hasCode) {
            problems.add(stack.dir().position(), "folder '" + dir + "' of stack '" + stack.name()
                    + "' holds no .tf or .tofu files");
            return;
        }
        for (Stack.Output output : stack.outputs()) {
            if (!declared.contains(output.terraformOutput())) {
                problems.add(output.position(), "stack '" + stack.name() + "' publishes Terraform output '"
                        + output.terraformOutput() + "', which " + dir + " does not declare"
                        + (declared.isEmpty() ? " (it declares no outputs)" : " (it declares: " + String.join(", ", declared)
                                + ")" + Suggestions.hint(output.terraformOutput(), declared)));
            }
        }
        if (stack.shared()) {
            checkSharedStackVariables(stack, repository, problems);
        }
        for (var variable : stack.vars().entrySet()) {
            if (!module.variables().contains(variable.getKey())) {
                problems.add(variable.getValue().position(), "stack '" + stack.name() + "' gives variable '"
                        + variable.getKey() + "', which " + dir + " does not declare" + (module.variables().isEmpty()
                                ? " (it declares no variables)"
                                : " (it declares: " + String.join(", ", module.variables()) + ")"
                                        + Suggestions.hint(variable.getKey(), module.variables())));
            }
        }
    }

    /**
     * A shared stack's module must not declare the {@code berth_*} variables that differ from one environment to
     * another: Berth gives a shared stack only the project-level ones ({@link BuiltinVariables#PROJECT_LEVEL}), since
     * it is applied once for the project. Without a default Terraform would stop asking for the value; with one
     * the module would quietly get the default where its author expected the environment's.
     */
    private static void checkSharedStackVariables(Stack stack, RepositoryFiles repository, Problems problems) {
        List<TerraformDeclarations.Declaration> blocks;
        try {
            blocks = TerraformDeclarations.variableBlocks(repository, stack.dir().path());
        } catch (IOException | UncheckedIOException e) {
            return; // reported by the read of the module's declarations
        }
        List<String> given = BuiltinVariables.PROJECT_LEVEL.stream().map(BuiltinVariables::terraformVariable).toList();
        for (TerraformDeclarations.Declaration block : blocks) {
            String builtin = block.name().toUpperCase(java.util.Locale.ROOT);
            if (!block.name().equals(BuiltinVariables.terraformVariable(builtin))
                    || !BuiltinVariables.isEnvironmentLevel(builtin)) {
                continue;
            }
            problems.add(stack.position(), "stack '" + stack.name() + "' is shared, but " + block.where()
                    + " declares variable '" + block.name() + "', which differs from one environment to another: a"
                    + " shared stack is applied once for the whole project and is given only " + String.join(" and ",
                            given) + ". Remove the variable from the module, or make '" + stack.name()
                    + "' an environment's own stack (remove 'shared: true')");
        }
    }
}
