package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which variables exist and where each can be used. Validation asks it about every {@code ${NAME}};
 * the plan asks it which variables each stage sees. The rules follow when a value becomes known:
 * outputs after their stack, image references after the images phase, the colour inside a deploy.
 */
public final class Scope {

    /** Where a value is used. */
    public enum Kind { INIT, IMAGES, BUILDS, INFRASTRUCTURE, STAGES, DEPLOY, RELEASE, TEARDOWN }

    /** A place values are used; {@code stack} is set for {@link Kind#INFRASTRUCTURE}. */
    public record Site(Kind kind, Optional<String> stack) {
        public static Site of(Kind kind) {
            return new Site(kind, Optional.empty());
        }

        public static Site stack(String stack) {
            return new Site(Kind.INFRASTRUCTURE, Optional.of(stack));
        }
    }

    /** Where a variable comes from. */
    public enum Origin { BUILTIN, VARIABLE, SECRET, OUTPUT, IMAGE, BUILD }

    /**
     * A variable a deploy file can use: its name, origin and the detail that goes with the origin (the
     * credential id of a secret, the stack and Terraform output of an output, the image of an image
     * reference, the template of a variable).
     */
    public record Definition(String name, Origin origin, String detail, Optional<String> stack) {}

    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private final Map<String, Template> variableValues = new LinkedHashMap<>();
    private final StackGraph stacks;
    private final Set<String> sharedStacks = new HashSet<>();

    /** The scope of a deploy file (validation builds it from a file still being checked). */
    public static Scope of(DeployFile file) {
        return new Scope(file);
    }

    private Scope(DeployFile file) {
        this.stacks = new StackGraph(file.infrastructure());
        file.infrastructure().stream().filter(Stack::shared).forEach(stack -> sharedStacks.add(stack.name()));
        for (String name : BuiltinVariables.FROM_START) {
            if (!name.equals(BuiltinVariables.REGISTRY) || file.registry().isPresent()) {
                builtin(name, "set by Berth");
            }
        }
        builtin(BuiltinVariables.ENV_URL, "the environment's URL, known after the infrastructure phase");
        builtin(BuiltinVariables.STAGE, "the release stage being deployed (empty outside a release)");
        builtin(BuiltinVariables.PREVIOUS_STAGE, "the release stage promoted from (empty outside a release)");
        builtin(BuiltinVariables.COLOR, "the colour being deployed (blue-green)");
        builtin(BuiltinVariables.PORT, "the local port of that colour (blue-green)");
        for (ImageSpec image : file.images().values()) {
            String name = BuiltinVariables.imageVariable(image.name());
            definitions.putIfAbsent(name, new Definition(name, Origin.IMAGE, image.name(), Optional.empty()));
        }
        for (Variable variable : file.variables().values()) {
            definitions.putIfAbsent(variable.name(), new Definition(variable.name(), Origin.VARIABLE,
                    variable.value().toString(), Optional.empty()));
            variableValues.putIfAbsent(variable.name(), variable.value());
        }
        for (Secret secret : file.secrets().values()) {
            definitions.putIfAbsent(secret.name(), new Definition(secret.name(), Origin.SECRET, secret.credentialId(),
                    Optional.empty()));
        }
        for (Build build : file.builds()) {
            for (Build.Output output : build.outputs()) {
                definitions.putIfAbsent(output.variable(), new Definition(output.variable(), Origin.BUILD,
                        "build " + build.name() + ", artifact " + output.artifact(), Optional.empty()));
            }
        }
        for (Stack stack : file.infrastructure()) {
            for (Stack.Output output : stack.outputs()) {
                definitions.putIfAbsent(output.variable(), new Definition(output.variable(), Origin.OUTPUT,
                        output.terraformOutput(), Optional.of(stack.name())));
            }
        }
    }

    private void builtin(String name, String detail) {
        definitions.put(name, new Definition(name, Origin.BUILTIN, detail, Optional.empty()));
    }

    public Optional<Definition> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    public Set<String> names() {
        return definitions.keySet();
    }

    /** The variables usable at {@code site}, in definition order. */
    public List<Definition> visibleAt(Site site) {
        List<Definition> visible = new ArrayList<>();
        for (Definition definition : definitions.values()) {
            if (whyNotVisible(definition.name(), site).isEmpty()) {
                visible.add(definition);
            }
        }
        return visible;
    }

    /**
     * Empty when {@code name} can be used at {@code site}; otherwise why not, as the end of a sentence
     * that starts with the name.
     */
    public Optional<String> whyNotVisible(String name, Site site) {
        return whyNotVisible(name, site, new HashSet<>());
    }

    private Optional<String> whyNotVisible(String name, Site site, Set<String> visiting) {
        Definition definition = definitions.get(name);
        if (definition == null) {
            return Optional.of("is not defined");
        }
        Kind kind = site.kind();
        Optional<String> why = switch (definition.origin()) {
            case BUILTIN -> builtinVisibility(name, kind);
            case SECRET -> kind == Kind.IMAGES
                    ? Optional.of("is a secret, and secrets are not passed as build arguments: they would stay in the"
                            + " image's history")
                    : Optional.empty();
            case IMAGE -> kind == Kind.INIT || kind == Kind.IMAGES
                    ? Optional.of("is known once the images are built, after the init stages and the images phase")
                    : Optional.empty();
            case BUILD -> kind == Kind.INIT || kind == Kind.IMAGES || kind == Kind.BUILDS
                    ? Optional.of("is an artifact of a build (" + definition.detail() + "), known after the builds"
                            + " phase")
                    : Optional.empty();
            case OUTPUT -> outputVisibility(definition, site);
            case VARIABLE -> variableVisibility(name, site, visiting);
        };
        return why.isPresent() ? why : sharedStackVisibility(definition, site);
    }

    /**
     * A shared stack is applied once for the whole project: it can use only what is the same for every environment
     * ({@link BuiltinVariables#PROJECT_LEVEL}, secrets, variables made of those, outputs of shared stacks). A
     * variable's references are checked at the same site, so one that uses the branch is refused too.
     */
    private Optional<String> sharedStackVisibility(Definition definition, Site site) {
        Optional<String> shared = site.stack().filter(sharedStacks::contains);
        boolean perEnvironment = definition.origin() == Origin.BUILD
                || (definition.origin() == Origin.BUILTIN || definition.origin() == Origin.IMAGE)
                && BuiltinVariables.isEnvironmentLevel(definition.name());
        if (site.kind() != Kind.INFRASTRUCTURE || shared.isEmpty() || !perEnvironment) {
            return Optional.empty();
        }
        return Optional.of((definition.origin() == Origin.IMAGE ? "is an image built from the branch's content, which "
                : "") + "differs from one environment to another, and stack '" + shared.get() + "' is shared: it is"
                + " applied once for the whole project, and every environment's deploy would change it again. A shared"
                + " stack can use what is the same for every environment (" + String.join(", ",
                        BuiltinVariables.PROJECT_LEVEL) + ", secrets, variables made of those, outputs of shared"
                + " stacks); use one of those, or make '" + shared.get() + "' an environment's own stack (remove"
                + " 'shared: true')");
    }

    private static Optional<String> builtinVisibility(String name, Kind kind) {
        if (BuiltinVariables.FROM_START.contains(name)) {
            return Optional.empty();
        }
        if (name.equals(BuiltinVariables.ENV_URL)) {
            return kind == Kind.INIT || kind == Kind.IMAGES || kind == Kind.BUILDS || kind == Kind.INFRASTRUCTURE
                    ? Optional.of("is known after the infrastructure phase") : Optional.empty();
        }
        if (name.equals(BuiltinVariables.COLOR) || name.equals(BuiltinVariables.PORT)) {
            return kind == Kind.DEPLOY ? Optional.empty() : Optional.of("is only set inside a blue-green 'deploy'");
        }
        // BERTH_STAGE and BERTH_PREVIOUS_STAGE: the stages a release re-runs.
        return kind == Kind.STAGES || kind == Kind.DEPLOY || kind == Kind.RELEASE ? Optional.empty()
                : Optional.of("is only set for the post-infrastructure stages and releases");
    }

    private Optional<String> outputVisibility(Definition output, Site site) {
        String stack = output.stack().orElseThrow();
        return switch (site.kind()) {
            case INIT, IMAGES -> Optional.of("is an output of stack '" + stack + "', which is applied after the init"
                    + " stages and the images");
            case BUILDS -> Optional.of("is an output of stack '" + stack + "', which is applied after the builds");
            case INFRASTRUCTURE -> {
                String user = site.stack().orElseThrow();
                if (user.equals(stack)) {
                    yield Optional.of("is an output of this same stack");
                }
                yield stacks.ancestors(user).contains(stack) ? Optional.empty()
                        : Optional.of("is an output of stack '" + stack + "', which stack '" + user + "' does not come"
                                + " after; add '" + stack + "' to its needs");
            }
            default -> Optional.empty();
        };
    }

    private Optional<String> variableVisibility(String name, Site site, Set<String> visiting) {
        if (!visiting.add(name)) {
            return Optional.of("refers to itself through other variables");
        }
        try {
            for (Template.Reference reference : variableValues.get(name).references()) {
                Optional<String> why = whyNotVisible(reference.name(), site, visiting);
                if (why.isPresent()) {
                    return Optional.of("uses ${" + reference.name() + "}, which " + why.get());
                }
            }
            return Optional.empty();
        } finally {
            visiting.remove(name);
        }
    }

    /** A cycle among variables that refer to each other, if there is one. */
    Optional<List<String>> variableCycle(String start) {
        return variableCycle(start, new ArrayList<>(), new HashMap<>());
    }

    private Optional<List<String>> variableCycle(String name, List<String> path, Map<String, Boolean> done) {
        if (path.contains(name)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            return Optional.of(cycle);
        }
        Template value = variableValues.get(name);
        if (value == null || done.containsKey(name)) {
            return Optional.empty();
        }
        path.add(name);
        for (Template.Reference reference : value.references()) {
            Optional<List<String>> cycle = variableCycle(reference.name(), path, done);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        done.put(name, true);
        return Optional.empty();
    }
}
