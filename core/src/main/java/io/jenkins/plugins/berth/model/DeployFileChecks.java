package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that look across blocks: unique names, name clashes between variables, secrets and outputs,
 * stack dependencies, tags against release stages, and every {@code ${NAME}} against the {@link Scope}
 * of the place it is used.
 */
final class DeployFileChecks {
    private final DeployFile file;
    private final Problems problems;

    private DeployFileChecks(DeployFile file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    static void check(DeployFile file, Problems problems) {
        DeployFileChecks checks = new DeployFileChecks(file, problems);
        checks.uniqueStageNames();
        checks.variableNameClashes();
        checks.stacks();
        checks.builds();
        checks.imagesAndRelease();
        checks.imageRepositories();
        checks.references();
    }

    private void uniqueStageNames() {
        Map<String, Stage> seen = new HashMap<>();
        List<Stage> all = new ArrayList<>(file.initStages());
        all.addAll(file.stages());
        all.addAll(file.teardown());
        for (Stage stage : all) {
            if (stage.name().isEmpty()) {
                continue;
            }
            Stage earlier = seen.putIfAbsent(stage.name(), stage);
            if (earlier != null) {
                problems.add(stage.position(), "a stage named '" + stage.name() + "' already exists (line "
                        + earlier.position().line() + "); stage names are unique across init_stages, stages and teardown");
            }
        }
    }

    /** Variables, secrets and outputs share one namespace: each name has one source. */
    private void variableNameClashes() {
        Map<String, String> owners = new LinkedHashMap<>();
        Map<String, Position> firstAt = new HashMap<>();
        file.variables().values().forEach(v -> claim(owners, firstAt, v.name(), "a variable", v.position()));
        file.secrets().values().forEach(s -> claim(owners, firstAt, s.name(), "a secret", s.position()));
        for (Build build : file.builds()) {
            for (Build.Output output : build.outputs()) {
                claim(owners, firstAt, output.variable(), "an output of build '" + build.name() + "'", output.position());
            }
        }
        for (Stack stack : file.infrastructure()) {
            for (Stack.Output output : stack.outputs()) {
                claim(owners, firstAt, output.variable(), "an output of stack '" + stack.name() + "'", output.position());
            }
        }
    }

    private void claim(Map<String, String> owners, Map<String, Position> firstAt, String name, String what, Position at) {
        String owner = owners.putIfAbsent(name, what);
        if (owner != null) {
            problems.add(at, name + " is already defined as " + owner + " (line " + firstAt.get(name).line()
                    + "); each name has one source: rename one of them");
        } else {
            firstAt.put(name, at);
        }
    }

    private void stacks() {
        Map<String, Stack> byName = new LinkedHashMap<>();
        for (Stack stack : file.infrastructure()) {
            if (!stack.name().isEmpty() && byName.putIfAbsent(stack.name(), stack) != null) {
                problems.add(stack.position(), "a stack named '" + stack.name() + "' already exists (line "
                        + byName.get(stack.name()).position().line() + "); stack names are unique");
            }
        }
        boolean needsOk = true;
        for (Stack stack : file.infrastructure()) {
            for (Stack.Need need : stack.needs().orElse(List.of())) {
                Stack target = byName.get(need.stack());
                if (target == null) {
                    problems.add(need.position(), "stack '" + stack.name() + "' needs '" + need.stack()
                            + "', which is not a stack in this file" + Suggestions.hint(need.stack(), byName.keySet()));
                    needsOk = false;
                } else if (target == stack) {
                    problems.add(need.position(), "stack '" + stack.name() + "' cannot need itself");
                    needsOk = false;
                } else if (stack.shared() && !target.shared()) {
                    problems.add(need.position(), "shared stack '" + stack.name() + "' cannot need '" + need.stack()
                            + "': shared stacks are applied once per project, before any environment's own stacks");
                    needsOk = false;
                }
            }
        }
        if (needsOk) {
            StackGraph.findCycle(file.infrastructure()).ifPresent(cycle -> {
                Stack first = byName.get(cycle.get(0));
                Position at = first.needs().orElseThrow().stream().filter(n -> n.stack().equals(cycle.get(1)))
                        .findFirst().map(Stack.Need::position).orElse(first.position());
                problems.add(at, "stack needs form a cycle: " + String.join(" -> ", cycle) + "; remove one of these needs");
            });
        }
        List<Stack> withUrl = file.infrastructure().stream().filter(s -> s.url().isPresent()).toList();
        for (Stack extra : withUrl.subList(Math.min(1, withUrl.size()), withUrl.size())) {
            problems.add(extra.position(), "stack '" + extra.name() + "' sets 'url' but stack '" + withUrl.get(0).name()
                    + "' already does; an environment has one URL");
        }
    }

    private void builds() {
        Map<String, Build> byName = new LinkedHashMap<>();
        for (Build build : file.builds()) {
            if (!build.name().isEmpty() && byName.putIfAbsent(build.name(), build) != null) {
                problems.add(build.position(), "a build named '" + build.name() + "' already exists (line "
                        + byName.get(build.name()).position().line() + "); build names are unique");
            }
            Set<String> seen = new java.util.HashSet<>();
            for (Build.SourceRef source : build.only()) {
                if (!seen.add(source.source())) {
                    problems.add(source.position(), "build '" + build.name() + "' lists source '" + source.source()
                            + "' twice in 'only'");
                }
            }
        }
    }

    private void imagesAndRelease() {
        if (!file.images().isEmpty() && file.registry().isEmpty()) {
            ImageSpec first = file.images().values().iterator().next();
            problems.add(first.position(), "images need a registry to be pushed to: add 'registry: host:port/"
                    + file.project().orElse("project") + "' (or 'registry: { ecr: ... }')");
        }
        Map<String, String> imageVariables = new HashMap<>();
        for (ImageSpec image : file.images().values()) {
            if (image.platforms().size() > 1 && file.builder() != ImageBuilder.BUILDX) {
                // buildah would need a manifest list and kaniko builds one platform per run.
                problems.add(image.platforms().get(1).position(), "image '" + image.name() + "' lists "
                        + image.platforms().size() + " platforms, but builder '" + file.builder().keyword()
                        + "' builds one platform per image in Berth; list one, or use 'builder: buildx' for an image"
                        + " index of several");
            }
            String variable = BuiltinVariables.imageVariable(image.name());
            String other = imageVariables.putIfAbsent(variable, image.name());
            if (other != null) {
                problems.add(image.position(), "images '" + other + "' and '" + image.name() + "' would both be "
                        + variable + "; rename one");
            }
        }
        Map<String, ReleaseStage> stages = new LinkedHashMap<>();
        for (ReleaseStage stage : file.release()) {
            if (stages.putIfAbsent(stage.name(), stage) != null) {
                problems.add(stage.position(), "release stage '" + stage.name() + "' is listed twice; each stage is"
                        + " promoted to once, in order");
            }
            if (stage.name().equals("latest")) {
                problems.add(stage.position(), "a release stage cannot be called 'latest': promotion starts from the"
                        + " 'latest' tag");
            }
            if (stage.registry().isPresent() && file.registry().orElse(null) instanceof Registry.Ecr) {
                problems.add(stage.position(), "release stage '" + stage.name() + "' names a registry, but the images"
                        + " are in ECR, which Berth promotes only within each image's ECR repository: remove"
                        + " 'registry' from the stage");
            }
        }
        for (ImageSpec image : file.images().values()) {
            for (ImageSpec.Tag tag : image.tags()) {
                if (stages.containsKey(tag.value())) {
                    problems.add(tag.position(), "tag '" + tag.value() + "' of image '" + image.name() + "' is also a"
                            + " release stage; promotion moves that tag, so a build must not set it: remove the tag");
                }
            }
        }
    }

    /**
     * Each {@code repository:} template: only its own variables, a repository name whatever the environment, one
     * repository per image (two images in one would move each other's tags), and none per environment while release
     * stages promote within one repository.
     */
    private void imageRepositories() {
        if (file.registry().isEmpty()) {
            return;
        }
        Set<String> known = Set.copyOf(ImageRepositories.VARIABLES);
        String project = file.project().orElse("project");
        // The longest environment name: a template that fits it fits every environment.
        String environment = "e".repeat(EnvironmentNames.MAX_LENGTH);
        Map<String, ImageSpec> byRepository = new HashMap<>();
        for (ImageSpec image : file.images().values()) {
            if (image.repository().isEmpty()) {
                byRepository.putIfAbsent(ImageRepositories.of(file.registry().get(), image, project, environment),
                        image);
            }
        }
        for (ImageSpec image : file.images().values()) {
            if (image.repository().isEmpty()) {
                continue;
            }
            boolean valid = true;
            for (Template.Reference reference : image.repository().map(Template::references).orElse(List.of())) {
                if (!known.contains(reference.name())) {
                    valid = false;
                    problems.add(reference.position(), "images." + image.name() + ".repository can use ${PROJECT},"
                            + " ${BERTH_PROJECT}, ${BERTH_ENVIRONMENT} and ${IMAGE}, not ${" + reference.name() + "}"
                            + Suggestions.hint(reference.name(), known));
                }
            }
            if (!valid) {
                continue;
            }
            Position at = image.repository().get().position();
            String repository = ImageRepositories.of(file.registry().get(), image, project, environment);
            Optional<String> problem = ImageRepositories.problem(repository);
            if (problem.isPresent()) {
                problems.add(at, "images." + image.name() + ".repository gives " + problem.get());
                continue;
            }
            ImageSpec other = byRepository.putIfAbsent(repository, image);
            if (other != null) {
                problems.add(at, "images '" + other.name() + "' and '" + image.name() + "' would share the repository "
                        + repository + " (and move each other's tags); use ${IMAGE} in images." + image.name()
                        + ".repository");
            }
            // A registry address promotes into another repository by blob mount; ECR's API retags only within one.
            if (ImageRepositories.perEnvironment(image) && !file.release().isEmpty()
                    && file.registry().orElseThrow() instanceof Registry.Ecr) {
                problems.add(at, "images." + image.name() + ".repository uses ${BERTH_ENVIRONMENT}, so every"
                        + " environment has its own repository, but 'release' stages in ECR promote by retagging within"
                        + " one repository: leave ${BERTH_ENVIRONMENT} out, or use a registry address");
            }
        }
    }

    private void references() {
        Scope scope = Scope.of(file);
        Set<String> environmentNames = Set.copyOf(EnvironmentSpec.NAME_VARIABLES);
        for (Template.Reference reference : file.environment().name().references()) {
            if (!environmentNames.contains(reference.name())) {
                problems.add(reference.position(), "environment.name can use ${PROJECT}, ${BRANCH} and ${BRANCH_SLUG},"
                        + " not ${" + reference.name() + "}" + Suggestions.hint(reference.name(), environmentNames));
            }
        }
        Set<String> reportedCycles = new java.util.HashSet<>();
        for (Variable variable : file.variables().values()) {
            Optional<List<String>> cycle = scope.variableCycle(variable.name());
            if (cycle.isPresent() && reportedCycles.add(Set.copyOf(cycle.get()).stream().sorted().collect(Collectors.joining(",")))) {
                problems.add(variable.position(), "variables refer to each other in a circle: "
                        + String.join(" -> ", cycle.get()) + "; one of them needs a plain value");
            }
        }
        // A variable is checked where it is defined only for unknown names; where it may be used
        // depends on its references, and Scope answers that at each use.
        for (Variable variable : file.variables().values()) {
            for (Template.Reference reference : variable.value().references()) {
                if (scope.definition(reference.name()).isEmpty()) {
                    unknown(reference, scope);
                }
            }
        }
        for (ImageSpec image : file.images().values()) {
            image.args().values().forEach(t -> use(t, Scope.Site.of(Scope.Kind.IMAGES), scope));
        }
        for (Build build : file.builds()) {
            build.vars().values().forEach(t -> use(t, Scope.Site.of(Scope.Kind.BUILDS), scope));
        }
        for (Stack stack : file.infrastructure()) {
            stack.vars().values().forEach(t -> use(t, Scope.Site.stack(stack.name()), scope));
        }
        for (Stage stage : file.stages()) {
            if (stage.action() instanceof Stage.DeployAction deploy) {
                use(deploy.deploy().health().url(), Scope.Site.of(Scope.Kind.DEPLOY), scope);
                deploy.deploy().nginx().ifPresent(n -> {
                    use(n.upstream(), Scope.Site.of(Scope.Kind.DEPLOY), scope);
                    use(n.upstreamFile(), Scope.Site.of(Scope.Kind.DEPLOY), scope);
                });
                deploy.deploy().sharedDir().ifPresent(d -> use(d, Scope.Site.of(Scope.Kind.DEPLOY), scope));
                deploy.deploy().colorPorts().ifPresent(p -> {
                    p.blue().ifPresent(t -> use(t, Scope.Site.of(Scope.Kind.DEPLOY), scope));
                    p.green().ifPresent(t -> use(t, Scope.Site.of(Scope.Kind.DEPLOY), scope));
                });
                deploy.deploy().previewUrl().ifPresent(u -> use(u, Scope.Site.of(Scope.Kind.DEPLOY), scope));
            }
        }
    }

    private void use(Template template, Scope.Site site, Scope scope) {
        for (Template.Reference reference : template.references()) {
            if (scope.definition(reference.name()).isEmpty()) {
                unknown(reference, scope);
                continue;
            }
            scope.whyNotVisible(reference.name(), site).ifPresent(why ->
                    problems.add(reference.position(), "${" + reference.name() + "} cannot be used here: "
                            + reference.name() + " " + why));
        }
    }

    private void unknown(Template.Reference reference, Scope scope) {
        problems.add(reference.position(), "unknown variable ${" + reference.name() + "}"
                + Suggestions.hint(reference.name(), scope.names())
                + "; define it under 'variables' or 'secrets', or publish it as a stack output");
    }
}
