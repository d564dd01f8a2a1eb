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
        List<Stage> stages = new ArrayList<>(file.initStages());
        stages.addAll(file.stages());
        stages.addAll(file.teardown());
        for (Stage stage : stages) {
            if (stage.action() instanceof Stage.Script script && !repository.isFile(script.file().path())) {
                problems.add(script.file().position(), "script file '" + script.file().path() + "' of stage '"
                        + stage.name() + "' does not exist in the repository (paths are relative to the deploy file's folder)");
            }
        }
        for (ImageSpec image : file.images().values()) {
            if (!repository.isDirectory(image.context().path())) {
                problems.add(image.context().position(), "build context '" + image.context().path() + "' of image '"
                        + image.name() + "' is not a folder in the repository");
            }
            if (!repository.isFile(image.dockerfile().path())) {
                problems.add(image.dockerfile().position(), "Dockerfile '" + image.dockerfile().path() + "' of image '"
                        + image.name() + "' does not exist in the repository");
            } else {
                checkBuildArgs(image, repository, problems);
            }
        }
        for (Stack stack : file.infrastructure()) {
            checkStack(stack, repository, problems);
        }
    }

    /** Every ARG the build needs (no default, used) must get a value in the image's args. */
    private static void checkBuildArgs(ImageSpec image, RepositoryFiles repository, Problems problems) {
        String dockerfile = image.dockerfile().path();
        List<DockerfileArgs.Arg> args;
        try {
            args = DockerfileArgs.scan(repository.read(dockerfile));
        } catch (IOException | UncheckedIOException e) {
            problems.add(image.dockerfile().position(), "cannot read Dockerfile '" + dockerfile + "' of image '"
                    + image.name() + "': " + e.getMessage());
            return;
        }
        for (DockerfileArgs.Arg arg : DockerfileArgs.required(args)) {
            if (!image.args().containsKey(arg.name())) {
                problems.add(image.position(), "image '" + image.name() + "' needs build argument " + arg.name()
                        + ": " + dockerfile + ":" + arg.line() + " declares it without a default and uses it; add it to"
                        + " images." + image.name() + ".args");
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
}
