package io.jenkins.plugins.berth.model;

import io.jenkins.plugins.berth.model.DockerfileArgs.DockerfileException;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Copy;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Instruction;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Onbuild;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Run;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Stage;
import io.jenkins.plugins.berth.model.DockerfileSyntax.SyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stages a build of a Dockerfile reaches and the images it pulls, as BuildKit's {@code dockerfile2llb}
 * resolves them. BuildKit builds only the target stage ({@code target:}, else the last) and the stages it depends
 * on: its base stage ({@code FROM stage}, an earlier one), {@code COPY --from=stage} (a name or an index),
 * {@code RUN --mount=from=stage}, and those of the ONBUILD triggers of its base stage; an image used only by
 * another stage is not one of the build's. {@code scratch} and stages are not images.
 *
 * <p>The instructions are read by {@link DockerfileSyntax} and the {@code FROM} names expanded by
 * {@link ShellLexer}, with the global scope BuildKit gives them: its platform ARGs, then the ARGs before the first
 * {@code FROM}, the build's arguments overriding their defaults. A name that needs a value only the builder knows
 * ({@code $TARGETARCH} without exactly one platform, {@code $BUILDPLATFORM}) is reported with the variables it
 * lacks. {@link DockerfileArgs} walks the same {@link Graph}.
 */
public final class DockerfileStages {

    /** BuildKit's {@code emptyImageName}: no image (compared with case, as BuildKit does). */
    private static final String SCRATCH = "scratch";

    /**
     * An image the build uses. {@code written} is the name as the line has it; {@code name} the name after the
     * expansion of ARGs, empty when it needs values only the builder knows ({@code unknown}).
     *
     * @param instruction {@code FROM}, {@code COPY --from} or {@code RUN --mount}
     * @param line where the instruction starts (1-based)
     */
    public record ImageUse(String instruction, int line, String written, Optional<String> name, Set<String> unknown) {
        public ImageUse {
            unknown = Set.copyOf(unknown);
        }
    }

    private DockerfileStages() {}

    /**
     * The images a build of {@code target} (empty: the last stage) takes, in the order the Dockerfile names them.
     *
     * @param buildArgs the build's arguments: they override the defaults of declared global ARGs and BuildKit's
     *     platform ARGs
     * @param platforms the build's platforms: with one, the {@code TARGET*} platform ARGs are known
     * @throws DockerfileException where BuildKit refuses the Dockerfile or the target (with the line)
     */
    public static List<ImageUse> imagesUsed(String dockerfile, Optional<String> target, Map<String, String> buildArgs,
            List<String> platforms) throws DockerfileException {
        DockerfileSyntax.Dockerfile file = DockerfileArgs.read(dockerfile);
        List<Stage> stages = file.stages();
        Globals globals = Globals.of(file, target, buildArgs, platforms);
        // Every stage's FROM is expanded, reached or not, as BuildKit does.
        List<Value> bases = new ArrayList<>();
        for (Stage stage : stages) {
            Value base = globals.expand(stage.from().baseName(), stage.from().line());
            if (base.known() && base.text().isEmpty()) {
                throw new DockerfileException(stage.from().line(), "base name (" + stage.from().baseName()
                        + ") should not be blank");
            }
            bases.add(base);
        }
        Graph graph = Graph.of(file, bases.stream().map(b -> b.known() ? Optional.of(b.text()) : Optional.<String>empty())
                .toList());
        refuseFroms(graph, globals.lex);
        refuseCircles(graph);
        Set<Integer> reached = graph.reach(graph.target(target));
        refuseFroms(graph, globals.lex); // the triggers' too
        List<ImageUse> uses = new ArrayList<>();
        for (int index : reached) {
            Value base = bases.get(index);
            if (graph.base(index).isEmpty() && !(base.known() && base.text().equals(SCRATCH))) {
                Stage stage = stages.get(index);
                uses.add(new ImageUse("FROM", stage.from().line(), stage.from().baseName(),
                        base.known() ? Optional.of(base.text()) : Optional.empty(), base.needs()));
            }
            for (Source source : graph.sources(index)) {
                if (source.stage().isEmpty() && !source.from().equals(SCRATCH)) {
                    uses.add(new ImageUse(source.instruction(), source.line(), source.from(),
                            Optional.of(source.from()), Set.of()));
                }
            }
        }
        uses.sort(Comparator.comparingInt(ImageUse::line));
        return List.copyOf(uses);
    }

    /**
     * What {@code dockerfile2llb} refuses in a {@code COPY --from}: a variable (the name is taken as written) and a
     * stage index that does not exist.
     */
    private static void refuseFroms(Graph graph, ShellLexer lex) throws DockerfileException {
        for (int index = 0; index < graph.size(); index++) {
            for (Source source : graph.sources(index)) {
                if (!source.copy()) {
                    continue;
                }
                String expanded;
                try {
                    expanded = lex.processWord(source.from(), name -> Optional.empty());
                } catch (ShellLexer.LexException e) {
                    throw new DockerfileException(source.line(), e.getMessage());
                }
                if (!expanded.equals(source.from())) {
                    throw new DockerfileException(source.line(), "variable expansion is not supported for --from,"
                            + " define a new stage with FROM using ARG from global scope as a workaround");
                }
                if (source.index() && source.stage().isEmpty()) {
                    throw new DockerfileException(source.line(), "invalid stage index " + source.from());
                }
            }
        }
    }

    /** BuildKit's {@code validateCircularDependency}: stages that need each other through their {@code --from}. */
    private static void refuseCircles(Graph graph) throws DockerfileException {
        Set<Integer> done = new HashSet<>();
        for (int index = 0; index < graph.size(); index++) {
            Optional<Source> circle = circle(graph, index, new HashSet<>(), done);
            if (circle.isPresent()) {
                throw new DockerfileException(circle.get().line(), "circular dependency detected on stage: "
                        + graph.label(index));
            }
        }
    }

    /** The {@code --from} that closes a circle through {@code index}, if one does. */
    private static Optional<Source> circle(Graph graph, int index, Set<Integer> path, Set<Integer> done) {
        if (!done.add(index)) {
            return Optional.empty();
        }
        path.add(index);
        for (Source source : graph.sources(index)) {
            if (source.stage().isPresent()) {
                int dep = source.stage().get();
                if (path.contains(dep)) {
                    return Optional.of(source);
                }
                Optional<Source> deeper = circle(graph, dep, path, done);
                if (deeper.isPresent()) {
                    return deeper;
                }
            }
        }
        path.remove(index);
        return Optional.empty();
    }

    /** A value of the global scope: known, or needing the builder's values of {@code needs}. */
    private record Value(String text, Set<String> needs) {
        static Value known(String text) {
            return new Value(text, Set.of());
        }

        boolean known() {
            return needs.isEmpty();
        }
    }

    /** The global scope ({@code FROM} lines and the defaults of global ARGs see it), answering the lexer. */
    private static final class Globals implements ShellLexer.Env {
        final ShellLexer lex;
        final Map<String, Value> values = new HashMap<>();
        /** The builder's values the expansion under way has read. */
        private final Set<String> needs = new TreeSet<>();

        private Globals(ShellLexer lex) {
            this.lex = lex;
        }

        /** BuildKit's global scope: {@code defaultArgs}, then {@code buildMetaArgs} (the ARGs before the first FROM). */
        static Globals of(DockerfileSyntax.Dockerfile file, Optional<String> target, Map<String, String> buildArgs,
                List<String> platforms) throws DockerfileException {
            Globals globals = new Globals(new ShellLexer(file.escapeToken()));
            List<Stage> stages = file.stages();
            globals.platform(buildArgs, platforms, target.orElse(stages.get(stages.size() - 1).from().name()));
            for (DockerfileSyntax.Arg arg : file.metaArgs()) {
                for (Map.Entry<String, Optional<String>> kp : arg.args()) {
                    if (buildArgs.containsKey(kp.getKey())) {
                        globals.values.put(kp.getKey(), Value.known(buildArgs.get(kp.getKey())));
                    } else if (kp.getValue().isPresent()) {
                        globals.values.put(kp.getKey(), globals.expand(kp.getValue().get(), arg.line()));
                    }
                }
            }
            return globals;
        }

        /**
         * BuildKit's {@code defaultArgs}: the builder's platform (unknown here), the target platform (known with
         * exactly one platform), the target stage; a build argument of the same name overrides each.
         */
        private void platform(Map<String, String> buildArgs, List<String> platforms, String targetStage) {
            for (String name : List.of("BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT")) {
                values.put(name, new Value("", Set.of(name)));
            }
            if (platforms.size() == 1) {
                String[] parts = platforms.get(0).split("/");
                values.put("TARGETPLATFORM", Value.known(platforms.get(0)));
                values.put("TARGETOS", Value.known(parts[0]));
                values.put("TARGETOSVERSION", Value.known(""));
                values.put("TARGETARCH", Value.known(parts.length > 1 ? parts[1] : ""));
                values.put("TARGETVARIANT", Value.known(parts.length > 2 ? parts[2] : ""));
            } else {
                for (String name : List.of("TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH",
                        "TARGETVARIANT")) {
                    values.put(name, new Value("", Set.of(name)));
                }
            }
            values.put("TARGETSTAGE", Value.known(targetStage.isEmpty() ? "default" : targetStage));
            for (String name : List.copyOf(values.keySet())) {
                if (buildArgs.containsKey(name)) {
                    values.put(name, Value.known(buildArgs.get(name)));
                }
            }
        }

        @Override
        public Optional<String> get(String name) {
            Value value = values.get(name);
            if (value == null) {
                return Optional.empty();
            }
            needs.addAll(value.needs());
            return Optional.of(value.text());
        }

        /** {@code word} expanded as BuildKit expands it in the global scope; refused as BuildKit refuses it. */
        Value expand(String word, int line) throws DockerfileException {
            needs.clear();
            try {
                String result = lex.processWord(word, this);
                return needs.isEmpty() ? Value.known(result) : new Value("", Set.copyOf(needs));
            } catch (ShellLexer.LexException e) {
                if (!needs.isEmpty()) {
                    return new Value("", Set.copyOf(needs)); // the builder's values might not fail it
                }
                throw new DockerfileException(line, e.getMessage());
            }
        }
    }

    /**
     * A {@code COPY --from} or {@code RUN --mount from=} ({@code instruction}): a stage ({@code stage}), else an
     * image named as written. {@code index}: a {@code COPY --from} by number.
     */
    record Source(String instruction, String from, boolean index, Optional<Integer> stage, int line) {
        boolean copy() {
            return instruction.equals("COPY --from");
        }
    }

    /**
     * The stages of a Dockerfile and what each depends on, as {@code dockerfile2llb} links them: a stage's base is
     * the earlier stage its expanded {@code FROM} names (case counts); a {@code --from} names any stage, without
     * case, or by index for {@code COPY}. The ONBUILD triggers of a base stage are read for the stages the build
     * reaches, and their {@code --from} followed too.
     */
    static final class Graph {
        private final List<Stage> stages;
        private final Map<String, Integer> byName = new HashMap<>();
        private final List<Optional<Integer>> bases = new ArrayList<>();
        private final List<List<Source>> sources = new ArrayList<>();
        /** The triggers each stage takes from its base stage; null until a build reaches the stage. */
        private final List<List<Instruction>> onbuild = new ArrayList<>();

        private Graph(List<Stage> stages) {
            this.stages = stages;
        }

        /** @param baseNames each stage's {@code FROM} name expanded; empty when it needs the builder's values */
        static Graph of(DockerfileSyntax.Dockerfile file, List<Optional<String>> baseNames) {
            Graph graph = new Graph(file.stages());
            for (int i = 0; i < graph.stages.size(); i++) {
                graph.bases.add(baseNames.get(i).map(graph.byName::get));
                graph.onbuild.add(null);
                String name = graph.stages.get(i).from().name();
                if (!name.isEmpty()) {
                    graph.byName.put(name, i); // a later stage of the same name wins, as in BuildKit
                }
            }
            for (Stage stage : graph.stages) {
                graph.sources.add(graph.sourcesOf(stage.commands()));
            }
            return graph;
        }

        int size() {
            return stages.size();
        }

        /** The stage's name, or BuildKit's for an unnamed one. */
        String label(int index) {
            String name = stages.get(index).from().name();
            return name.isEmpty() ? "stage-" + index : name;
        }

        Optional<Integer> base(int index) {
            return bases.get(index);
        }

        /** The stage's {@code --from}s: its triggers' (once reached), then its own. */
        List<Source> sources(int index) {
            return sources.get(index);
        }

        /** The ONBUILD triggers a stage the build reaches runs first (none for a stage not reached). */
        List<Instruction> onbuild(int index) {
            return onbuild.get(index) == null ? List.of() : onbuild.get(index);
        }

        /** The stage a build of {@code target} builds: by name without case; empty, the last. */
        int target(Optional<String> target) throws DockerfileException {
            if (target.isEmpty()) {
                return stages.size() - 1;
            }
            Integer index = byName.get(target.get().toLowerCase(Locale.ROOT));
            if (index == null) {
                throw new DockerfileException(0, "target stage \"" + target.get() + "\" could not be found");
            }
            return index;
        }

        /** The stages a build of {@code target} reaches, in file order; reads their base stages' triggers. */
        Set<Integer> reach(int target) throws DockerfileException {
            while (true) {
                Set<Integer> reached = walk(target);
                boolean added = false;
                for (int index : reached) {
                    if (onbuild.get(index) != null) {
                        continue;
                    }
                    List<Instruction> triggers = new ArrayList<>();
                    onbuild.set(index, triggers);
                    if (bases.get(index).isEmpty()) {
                        continue;
                    }
                    int line = stages.get(index).from().line();
                    for (Instruction c : stages.get(bases.get(index).get()).commands()) {
                        if (c instanceof Onbuild trigger) {
                            try {
                                triggers.add(DockerfileSyntax.trigger(trigger, line));
                            } catch (SyntaxException e) {
                                throw new DockerfileException(e.line(), e.getMessage());
                            }
                        }
                    }
                    List<Source> fromTriggers = sourcesOf(triggers);
                    if (!fromTriggers.isEmpty()) {
                        List<Source> all = new ArrayList<>(fromTriggers);
                        all.addAll(sources.get(index));
                        sources.set(index, List.copyOf(all));
                        added = true;
                    }
                }
                if (!added) {
                    return reached;
                }
            }
        }

        private Set<Integer> walk(int target) {
            Set<Integer> reached = new TreeSet<>();
            Deque<Integer> todo = new ArrayDeque<>(List.of(target));
            while (!todo.isEmpty()) {
                int index = todo.pop();
                if (reached.add(index)) {
                    bases.get(index).ifPresent(todo::push);
                    sources.get(index).forEach(s -> s.stage().ifPresent(todo::push));
                }
            }
            return reached;
        }

        private List<Source> sourcesOf(List<Instruction> commands) {
            List<Source> found = new ArrayList<>();
            for (Instruction c : commands) {
                if (c instanceof Copy copy && copy.from().isPresent()) {
                    String from = copy.from().get();
                    Optional<Integer> index = index(from);
                    Optional<Integer> stage = index.isPresent()
                            ? index.filter(i -> i >= 0 && i < stages.size())
                            : Optional.ofNullable(byName.get(from.toLowerCase(Locale.ROOT)));
                    found.add(new Source("COPY --from", from, index.isPresent(), stage, copy.line()));
                } else if (c instanceof Run run) {
                    for (String from : run.mountFroms()) {
                        found.add(new Source("RUN --mount", from, false,
                                Optional.ofNullable(byName.get(from.toLowerCase(Locale.ROOT))), run.line()));
                    }
                }
            }
            return List.copyOf(found);
        }

        /** Go's {@code strconv.Atoi}, which BuildKit tries first on a {@code COPY --from}. */
        private static Optional<Integer> index(String from) {
            if (!from.matches("[+-]?[0-9]+")) {
                return Optional.empty();
            }
            try {
                return Optional.of(Integer.parseInt(from));
            } catch (NumberFormatException e) {
                return Optional.empty(); // out of range: Atoi fails, the name is looked up
            }
        }
    }
}
