package io.jenkins.plugins.berth.plan;

import io.jenkins.plugins.berth.model.PhaseName;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Durations;
import io.jenkins.plugins.berth.model.ImageSpec;
import io.jenkins.plugins.berth.model.ReleaseStage;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Stack;
import io.jenkins.plugins.berth.model.StackGraph;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.model.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Resolves a valid deploy file for one branch into a {@link Plan}. */
public final class Planner {

    /** What the plan is for: the branch, its commit when known, and the project name to use when the file has none. */
    public record Request(String branch, Optional<String> commit, String defaultProject) {}

    /**
     * The version of a build's configuration, where the plan can compute it (the template folder and Packer at
     * hand): {@code vars} are the build's variables, empty for a sensitive one. Empty when it cannot be known.
     */
    @FunctionalInterface
    public interface BuildVersions {
        BuildVersions UNKNOWN = (build, only, vars) -> Optional.empty();

        Optional<String> version(io.jenkins.plugins.berth.model.Build build, List<String> only,
                Map<String, Optional<String>> vars);
    }

    private final DeployFile file;
    private final Request request;
    private final Scope scope;
    private final String project;
    private final String environment;
    private final String branchSlug;
    private final Map<String, String> knownValues = new HashMap<>();
    private final BuildVersions versions;

    private Planner(DeployFile file, Request request, BuildVersions versions) {
        this.file = file;
        this.request = request;
        this.versions = versions;
        this.scope = Scope.of(file);
        BranchEnvironments.Target target = BranchEnvironments.of(file, request.defaultProject(), request.branch());
        this.project = target.project();
        this.environment = target.environment();
        this.branchSlug = EnvironmentNames.branchSlug(request.branch());
        knownValues.put(BuiltinVariables.PROJECT, project);
        knownValues.put(BuiltinVariables.ENVIRONMENT, environment);
        knownValues.put(BuiltinVariables.BRANCH, request.branch());
        knownValues.put(BuiltinVariables.BRANCH_SLUG, branchSlug);
        request.commit().ifPresent(c -> knownValues.put(BuiltinVariables.COMMIT, c));
        file.registry().ifPresent(r -> knownValues.put(BuiltinVariables.REGISTRY, r.toString()));
    }

    public static Plan plan(DeployFile file, Request request) {
        return plan(file, request, BuildVersions.UNKNOWN);
    }

    /** The plan, with each build's version where {@code versions} knows it. */
    public static Plan plan(DeployFile file, Request request, BuildVersions versions) {
        return new Planner(file, request, versions).plan();
    }

    private Plan plan() {
        Plan.EnvironmentPlan env = new Plan.EnvironmentPlan(environment, branchSlug,
                file.environment().ttl().map(Durations::format), file.environment().isProtected());
        List<Plan.Phase> phases = List.of(
                new Plan.Phase(PhaseName.INIT_STAGES.key(), sequential(file.initStages().stream()
                        .map(s -> stage(s, Scope.Kind.INIT)).toList())),
                new Plan.Phase(PhaseName.IMAGES.key(), file.images().isEmpty() ? List.of()
                        : List.of(file.images().values().stream().map(this::image).toList())),
                new Plan.Phase(PhaseName.BUILDS.key(), file.builds().isEmpty() ? List.of()
                        : List.of(file.builds().stream().flatMap(b -> builds(b).stream()).toList())),
                new Plan.Phase(PhaseName.INFRASTRUCTURE.key(), stackGroups()),
                new Plan.Phase(PhaseName.STAGES.key(), sequential(file.stages().stream().map(s -> stage(s, Scope.Kind.STAGES)).toList())),
                new Plan.Phase(PhaseName.RELEASE.key(), sequential(releaseSteps())),
                new Plan.Phase(PhaseName.TEARDOWN.key(), sequential(file.teardown().stream()
                        .map(s -> stage(s, Scope.Kind.TEARDOWN)).toList())));
        return new Plan(file.file(), project, request.branch(), request.commit(), env, phases);
    }

    private static List<List<Plan.Step>> sequential(List<Plan.Step> steps) {
        return steps.stream().map(List::of).toList();
    }

    private Plan.Step stage(Stage stage, Scope.Kind kind) {
        Map<String, Object> settings = new LinkedHashMap<>();
        Scope.Kind site = kind;
        if (stage.action() instanceof Stage.Run run) {
            settings.put("run", run.script());
        } else if (stage.action() instanceof Stage.Script script) {
            settings.put("script", script.file().path());
        } else if (stage.action() instanceof Stage.DeployAction deploy) {
            settings.put("deploy", deploySettings(deploy.deploy()));
            site = Scope.Kind.DEPLOY;
        }
        if (!(stage.action() instanceof Stage.DeployAction)) {
            // A deploy stage is the runner's (blue-green): it never runs as a shell inside an image.
            stage.image().or(file::image).ifPresent(i -> settings.put("image", i));
        }
        // Only a stage's own agent, when it differs from the file's: the deploy already runs on the file's agent,
        // and a node inside that node would wait for a second executor (a deadlock on a one-executor label).
        stage.agent().filter(a -> !file.agent().equals(Optional.of(a))).ifPresent(a -> settings.put("agent", a));
        settings.put("on_failure", stage.onFailure().keyword());
        settings.put("always", stage.always());
        // The Pipeline enforces it on a stage it runs itself (in a container image), as the runner does on the rest.
        stage.timeout().ifPresent(t -> settings.put("timeout_seconds", t.toSeconds()));
        return new Plan.Step(stage.name(), "stage", settings, variables(Scope.Site.of(site)));
    }

    private Map<String, Object> deploySettings(Deploy deploy) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("strategy", deploy.strategy().keyword());
        settings.put("target", deploy.target().keyword());
        deploy.colors().ifPresent(c -> settings.put("colors", ordered("blue", c.blue(), "green", c.green())));
        deploy.colorPorts().ifPresent(p -> settings.put("colors", p.auto() ? "auto"
                : ordered("blue", render(p.blue().get()), "green", render(p.green().get()))));
        deploy.start().ifPresent(s -> settings.put("start", s));
        deploy.stop().ifPresent(s -> settings.put("stop", s));
        deploy.switchCommand().ifPresent(s -> settings.put("switch", s));
        deploy.nginx().ifPresent(n -> settings.put("nginx", ordered("upstream", render(n.upstream()),
                "upstream_file", render(n.upstreamFile()), "test", n.test(), "reload", n.reload())));
        deploy.ecs().ifPresent(e -> settings.put("ecs", ordered("region", e.region(), "cluster", e.cluster(),
                "listener", e.listener(),
                "services", ordered("blue", e.services().blue(), "green", e.services().green()),
                "target_groups", ordered("blue", e.targetGroups().blue(), "green", e.targetGroups().green()))));
        Deploy.Health health = deploy.health();
        settings.put("health", ordered("url", render(health.url()), "timeout", Durations.format(health.timeout()),
                "interval", Durations.format(health.interval()), "successes", health.successes(),
                "failure_limit", health.failureLimit()));
        settings.put("keep", Durations.format(deploy.keep()));
        settings.put("drain", Durations.format(deploy.drain()));
        deploy.hooks().beforeStart().ifPresent(h -> settings.put("before_start", h));
        deploy.hooks().beforeSwitch().ifPresent(h -> settings.put("before_switch", h));
        deploy.hooks().afterSwitch().ifPresent(h -> settings.put("after_switch", h));
        deploy.sharedDir().ifPresent(d -> settings.put("shared_dir", render(d)));
        deploy.previewUrl().ifPresent(u -> settings.put("preview_url", render(u)));
        // The Pipeline asks at this gate (input, with its timeout and default), between the runner's two parts.
        deploy.approval().ifPresent(a -> {
            Map<String, Object> approval = ordered("default", a.byDefault().keyword(), "timed", a.timed());
            a.timeout().ifPresent(t -> approval.put("timeout_seconds", t.toSeconds()));
            settings.put("approval", approval);
        });
        return settings;
    }

    /** A map that keeps the order its keys are given in, for output people read. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private Plan.Step image(ImageSpec image) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dockerfile", image.dockerfile().path());
        settings.put("context", image.context().path());
        image.target().ifPresent(t -> settings.put("target", t.value()));
        if (!image.platforms().isEmpty()) {
            settings.put("platforms", image.platforms().stream().map(ImageSpec.Setting::value).toList());
        }
        file.registry().ifPresent(r -> settings.put("repository", r.host() + "/"
                + io.jenkins.plugins.berth.model.ImageRepositories.of(r, image, project, environment)));
        // Every tag the deploy moves to the built image: latest and the extra tags only on a release branch.
        settings.put("tags", io.jenkins.plugins.berth.model.ImageTags.of(file, image, request.branch(), environment,
                request.commit().orElse("${" + BuiltinVariables.COMMIT + "}")));
        settings.put("release_branch", file.releaseBranches().includes(request.branch()));
        Map<String, String> args = new LinkedHashMap<>();
        image.args().forEach((name, value) -> args.put(name, render(value)));
        settings.put("args", args);
        settings.put("variable", BuiltinVariables.imageVariable(image.name()));
        return new Plan.Step(image.name(), "image", settings, List.of());
    }

    /**
     * A build's steps: one, or one per source of its {@code only} (each then runs on its own, on its own agent in
     * Jenkins). The version is shown where it is known now: with Packer at hand and every variable known
     * (one that uses an image or an output is known at run time).
     */
    private List<Plan.Step> builds(io.jenkins.plugins.berth.model.Build build) {
        List<Plan.Step> steps = new ArrayList<>();
        for (io.jenkins.plugins.berth.model.Build.Part part : build.parts()) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("build", build.name());
            settings.put("dir", build.dir().path());
            settings.put("only", part.only());
            // As for stages: only an agent other than the deploy's own (a node inside that node could wait forever).
            build.agent().filter(a -> !file.agent().equals(Optional.of(a))).ifPresent(a -> settings.put("agent", a));
            settings.put("timeout_seconds", build.timeoutOrDefault().toSeconds());
            Map<String, String> vars = new LinkedHashMap<>();
            Map<String, Optional<String>> versioned = new LinkedHashMap<>();
            boolean known = true;
            for (Map.Entry<String, Template> var : build.vars().entrySet()) {
                String rendered = render(var.getValue());
                vars.put(var.getKey(), rendered);
                boolean secret = var.getValue().references().stream().anyMatch(r -> usesSecret(r.name()));
                known &= secret || !rendered.contains("${");
                versioned.put(var.getKey(), secret ? Optional.empty() : Optional.of(rendered));
            }
            settings.put("vars", vars);
            Map<String, String> outputs = new LinkedHashMap<>();
            build.outputs().stream().filter(o -> part.only().isEmpty() || part.only().contains(o.source()))
                    .forEach(o -> outputs.put(o.variable(), o.artifact()));
            settings.put("outputs", outputs);
            Optional<String> version = known ? versions.version(build, part.only(), versioned) : Optional.empty();
            settings.put("version", version.orElse("(known at run time)"));
            steps.add(new Plan.Step(part.name(), "build", settings, variables(Scope.Site.of(Scope.Kind.BUILDS))));
        }
        return steps;
    }

    /** Whether {@code name} is a secret, or a variable made with one. */
    private boolean usesSecret(String name) {
        if (file.secrets().containsKey(name)) {
            return true;
        }
        io.jenkins.plugins.berth.model.Variable variable = file.variables().get(name);
        return variable != null && variable.value().references().stream().anyMatch(r -> usesSecret(r.name()));
    }

    private List<List<Plan.Step>> stackGroups() {
        StackGraph graph = new StackGraph(file.infrastructure());
        List<List<Plan.Step>> groups = new ArrayList<>();
        for (List<Stack> group : graph.groups()) {
            groups.add(group.stream().map(s -> stack(s, graph)).toList());
        }
        return groups;
    }

    private Plan.Step stack(Stack stack, StackGraph graph) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dir", stack.dir().path());
        settings.put("shared", stack.shared());
        settings.put("after", List.copyOf(graph.dependencies(stack.name())));
        Map<String, String> vars = new LinkedHashMap<>();
        stack.vars().forEach((name, value) -> vars.put(name, render(value)));
        settings.put("vars", vars);
        Map<String, String> outputs = new LinkedHashMap<>();
        stack.outputs().forEach(o -> outputs.put(o.variable(), o.terraformOutput()));
        settings.put("outputs", outputs);
        stack.url().ifPresent(u -> settings.put("url", u));
        return new Plan.Step(stack.name(), "stack", settings, variables(Scope.Site.stack(stack.name())));
    }

    private List<Plan.Step> releaseSteps() {
        List<Plan.Step> steps = new ArrayList<>();
        String previous = "latest";
        // The first stage promotes what a release branch's environment runs (berth promote --from may name another).
        String built = String.join(" or ", file.releaseBranches().names().stream()
                .map(branch -> BranchEnvironments.of(file, request.defaultProject(), branch).environment()).toList());
        for (ReleaseStage stage : file.release()) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("approval", stage.approval());
            settings.put("promotes_from", previous.equals("latest") ? built : previous);
            stage.registry().ifPresent(registry -> settings.put("registry", registry.toString()));
            Map<String, String> release = Map.of(BuiltinVariables.STAGE, stage.name(),
                    BuiltinVariables.PREVIOUS_STAGE, previous);
            steps.add(new Plan.Step(stage.name(), "release", settings,
                    variables(Scope.Site.of(Scope.Kind.RELEASE), release)));
            previous = stage.name();
        }
        return steps;
    }

    private List<Plan.PlannedVariable> variables(Scope.Site site) {
        return variables(site, Map.of());
    }

    /** The variables a step sees; {@code stepValues} are built-ins whose value this step fixes. */
    private List<Plan.PlannedVariable> variables(Scope.Site site, Map<String, String> stepValues) {
        List<Plan.PlannedVariable> variables = new ArrayList<>();
        for (Scope.Definition definition : scope.visibleAt(site)) {
            String name = definition.name();
            variables.add(switch (definition.origin()) {
                case BUILTIN -> new Plan.PlannedVariable(name, "builtin",
                        Optional.ofNullable(stepValues.getOrDefault(name, knownValues.get(name))), Optional.empty());
                case VARIABLE -> new Plan.PlannedVariable(name, "variable",
                        Optional.of(render(file.variables().get(name).value())), Optional.empty());
                case SECRET -> new Plan.PlannedVariable(name, "secret", Optional.empty(),
                        Optional.of("credential " + definition.detail()));
                case OUTPUT -> new Plan.PlannedVariable(name, "output", Optional.empty(),
                        Optional.of("stack " + definition.stack().orElseThrow() + ", output " + definition.detail()));
                case IMAGE -> new Plan.PlannedVariable(name, "image", Optional.empty(),
                        Optional.of("image " + definition.detail()));
                case BUILD -> new Plan.PlannedVariable(name, "build", Optional.empty(),
                        Optional.of(definition.detail()));
            });
        }
        return variables;
    }

    /**
     * A template with what is known at plan time filled in: the built-ins known from the start and the
     * file's variables (recursively). Secrets, outputs and images stay as {@code ${NAME}}.
     */
    private String render(Template template) {
        return template.render(this::planValue);
    }

    private Optional<String> planValue(String name) {
        if (knownValues.containsKey(name)) {
            return Optional.of(knownValues.get(name));
        }
        return Optional.ofNullable(file.variables().get(name)).map(v -> render(v.value()));
    }
}
