package io.jenkins.plugins.berth.model;

import io.jenkins.plugins.berth.model.DockerfileSyntax.Copy;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Heredoc;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Instruction;
import io.jenkins.plugins.berth.model.DockerfileSyntax.KeyValues;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Run;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Stage;
import io.jenkins.plugins.berth.model.DockerfileSyntax.Words;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The build arguments of a Dockerfile as BuildKit sees them when it builds a target: the ARGs declared,
 * those the instructions it evaluates read, and those that need a value. The reading is BuildKit's
 * ({@link DockerfileSyntax}, {@link ShellLexer}); the walk follows its {@code dockerfile2llb}: every stage's
 * FROM line with the global ARGs, then each stage the target reaches (its base stage, {@code COPY --from},
 * {@code RUN --mount from=}, the base stage's ONBUILD triggers: {@link DockerfileStages.Graph}) in file order,
 * each instruction with the variables it sees there (ARGs, ENV, what a base stage left).
 *
 * <p>An ARG is required when it is declared without a value (no default, none inherited from the global
 * ARG of that name, not set by an ENV or an earlier ARG), is no built-in ({@link #builtIn}), and a word that
 * BuildKit evaluates there (or the shell of a shell-form RUN) reads it in a way that, unset, gives nothing
 * or fails: {@code $X}, {@code ${X}}, {@code ${X#p}}, {@code ${X%p}}, {@code ${X/p/r}}, {@code ${X:?}}, and a
 * fallback that itself gives nothing; not {@code ${X:-word}}, {@code ${X-word}}, {@code ${X:+word}} or
 * {@code ${X+word}}. Each reference is probed: with that one look-up given a sentinel value, the word must
 * show the sentinel, and without it, come out as if the reference were not there. docs/images.md says the
 * same for users; {@code tools/buildkit-args} computes it with BuildKit's own code, and
 * {@code DockerfileArgsBuildKitTest} holds the two equal.
 */
public final class DockerfileArgs {

    /** BuildKit's {@code defaultArgs}: set by BuildKit for every build. */
    private static final List<String> PLATFORM_ARGS = List.of("BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION",
            "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH",
            "TARGETVARIANT", "TARGETSTAGE");
    /** Read by BuildKit itself, unset unless given: the proxy ARGs and SOURCE_DATE_EPOCH. */
    private static final Set<String> OTHER_BUILT_INS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY",
            "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
            "SOURCE_DATE_EPOCH");

    /**
     * One declaration. {@code stage} is empty for a global ARG, else the stage's name or its index
     * ("1"); {@code line} is the ARG instruction's. {@code used}: an evaluated instruction of the
     * built target reads the name; {@code required}: it needs a value there, declared by this line;
     * {@code built}: the target reaches the declaration (global ARGs always).
     */
    public record Arg(String name, Optional<String> defaultValue, int line, Optional<String> stage, boolean used,
            boolean required, boolean built) {}

    /**
     * What a build of {@code target} (empty: the last stage) sees. {@code required}: name to the lines of
     * the ARG instructions that leave it without a value where it is needed; {@code reached}: the stages
     * built (name, or index for an unnamed one), in file order.
     */
    public record Scan(Optional<String> target, List<Arg> args, SortedSet<String> used,
            Map<String, SortedSet<Integer>> required, List<String> reached, List<String> stageNames) {

        /** The ARGs that need a value, each once, at its first declaration that leaves it without one. */
        public List<Arg> requiredArgs() {
            Map<String, Arg> byName = new LinkedHashMap<>();
            for (Arg arg : args) {
                if (arg.required()) {
                    byName.putIfAbsent(arg.name(), arg);
                }
            }
            return List.copyOf(byName.values());
        }
    }

    /** A Dockerfile BuildKit would refuse to read, or a target it does not name. */
    public static final class DockerfileException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        DockerfileException(int line, String message) {
            super(message);
            this.line = line;
        }

        /** The line of the problem (1-based), or 0 when it has none. */
        public int line() {
            return line;
        }
    }

    private DockerfileArgs() {}

    /** Whether BuildKit sets or reads {@code name} itself, so that it never needs a value from the file. */
    public static boolean builtIn(String name) {
        return PLATFORM_ARGS.contains(name) || OTHER_BUILT_INS.contains(name) || name.startsWith("BUILDKIT_");
    }

    /** The names of the build stages ({@code FROM ... AS name}), in order, lower case as BuildKit keeps them. */
    public static List<String> stageNames(String dockerfile) throws DockerfileException {
        return read(dockerfile).stages().stream().map(s -> s.from().name()).filter(n -> !n.isEmpty()).toList();
    }

    /** The scan of a build of the last stage. */
    public static Scan scan(String dockerfile) throws DockerfileException {
        return scan(dockerfile, Optional.empty());
    }

    public static Scan scan(String dockerfile, Optional<String> target) throws DockerfileException {
        DockerfileSyntax.Dockerfile file = read(dockerfile);
        return new Walk(file, target).run();
    }

    /** The Dockerfile as BuildKit reads it, refused where BuildKit refuses it; one stage at least. */
    static DockerfileSyntax.Dockerfile read(String dockerfile) throws DockerfileException {
        try {
            DockerfileSyntax.Dockerfile file = DockerfileSyntax.parse(dockerfile);
            if (file.stages().isEmpty()) {
                throw new DockerfileException(0, "the Dockerfile has no FROM: no stage to build");
            }
            return file;
        } catch (DockerfileSyntax.SyntaxException e) {
            throw new DockerfileException(e.line(), e.getMessage());
        }
    }

    /** The variables one instruction sees. */
    private static final class Env {
        final Map<String, String> values = new HashMap<>();
        /** ARGs declared without a value and not set since: name to that ARG's line. */
        final Map<String, Integer> unset = new HashMap<>();
        /** Names an ARG declared (set or not) that no ENV replaced since. */
        final Set<String> args = new java.util.HashSet<>();

        Env copy() {
            Env c = new Env();
            c.values.putAll(values);
            c.unset.putAll(unset);
            c.args.addAll(args);
            return c;
        }

        void set(String name, String value) {
            values.put(name, value);
            unset.remove(name);
        }
    }

    /** Answers the lexer's look-ups; look-up number {@code give} gets a sentinel. Records every look-up. */
    private static final class ProbeEnv implements ShellLexer.Env {
        final Env env;
        final int give;
        final List<String> calls = new ArrayList<>();

        ProbeEnv(Env env, int give) {
            this.env = env;
            this.give = give;
        }

        @Override
        public Optional<String> get(String name) {
            int i = calls.size();
            calls.add(name);
            if (i == give) {
                return Optional.of(sentinel(i));
            }
            return Optional.ofNullable(env.values.get(name));
        }
    }

    private static String sentinel(int i) {
        return "\u0000" + i + "\u0000";
    }

    @FunctionalInterface
    private interface Eval {
        String apply(ShellLexer.Env env) throws ShellLexer.LexException;
    }

    private static final class StageState {
        final Stage stage;
        final int index;
        StageState base;
        Env env;

        StageState(Stage stage, int index) {
            this.stage = stage;
            this.index = index;
        }

        String label() {
            return stage.from().name().isEmpty() ? Integer.toString(index) : stage.from().name();
        }
    }

    private static final class Walk {
        final DockerfileSyntax.Dockerfile file;
        final Optional<String> target;
        final ShellLexer lex;
        final Set<String> used = new TreeSet<>();
        final Map<String, SortedSet<Integer>> required = new TreeMap<>();
        /** The global ARGs' defaults as written: what a stage's ARG of the same name inherits, for listings. */
        final Map<String, String> globalDefaults = new HashMap<>();

        Walk(DockerfileSyntax.Dockerfile file, Optional<String> target) {
            this.file = file;
            this.target = target;
            this.lex = new ShellLexer(file.escapeToken());
        }

        Eval word(ShellLexer lexer, String w) {
            return env -> lexer.processWord(w, env);
        }

        /** Evaluates one word, then probes each look-up of an ARG without a value (see the class comment). */
        String probe(Env env, Eval eval) {
            ProbeEnv base = new ProbeEnv(env, -1);
            String r0 = null;
            boolean failed = false;
            try {
                r0 = eval.apply(base);
            } catch (ShellLexer.LexException e) {
                failed = true;
            }
            for (int i = 0; i < base.calls.size(); i++) {
                String name = base.calls.get(i);
                Integer line = env.unset.get(name);
                if (env.args.contains(name) || line != null) {
                    used.add(name);
                }
                if (line == null || builtIn(name)) {
                    continue;
                }
                String ra;
                try {
                    ra = eval.apply(new ProbeEnv(env, i));
                } catch (ShellLexer.LexException e) {
                    continue;
                }
                String s = sentinel(i);
                if (failed || (ra.contains(s) && ra.replace(s, "").equals(r0))) {
                    required.computeIfAbsent(name, k -> new TreeSet<>()).add(line);
                }
            }
            return r0 == null ? "" : r0;
        }

        Scan run() throws DockerfileException {
            List<Stage> stages = file.stages();
            String targetName = target.orElse(stages.get(stages.size() - 1).from().name());
            Env global = new Env();
            // What BuildKit's defaultArgs gives on a linux/amd64 builder building for linux/amd64 (the values choose
            // stages named like "build-$TARGETOS").
            global.values.putAll(Map.of("BUILDPLATFORM", "linux/amd64", "BUILDOS", "linux", "BUILDOSVERSION", "",
                    "BUILDARCH", "amd64", "BUILDVARIANT", "", "TARGETPLATFORM", "linux/amd64", "TARGETOS", "linux",
                    "TARGETOSVERSION", "", "TARGETARCH", "amd64", "TARGETVARIANT", ""));
            global.values.put("TARGETSTAGE", targetName.isEmpty() ? "default" : targetName);
            List<Arg> declarations = new ArrayList<>();
            for (DockerfileSyntax.Arg arg : file.metaArgs()) {
                arg.args().forEach(kp -> kp.getValue().ifPresent(v -> globalDefaults.put(kp.getKey(), v)));
                for (Map.Entry<String, Optional<String>> kp : arg.args()) {
                    String name = kp.getKey();
                    global.args.add(name);
                    if (kp.getValue().isPresent()) {
                        global.set(name, probe(global, word(lex, kp.getValue().get())));
                    } else if (!global.values.containsKey(name)) {
                        global.unset.put(name, arg.line());
                    }
                    declarations.add(new Arg(name, kp.getValue(), arg.line(), Optional.empty(), false, false, true));
                }
            }
            // Every stage's FROM is evaluated, whether the target reaches the stage or not.
            List<Optional<String>> baseNames = new ArrayList<>();
            for (Stage stage : stages) {
                baseNames.add(Optional.of(probe(global, word(lex, stage.from().baseName()))));
                stage.from().platform().ifPresent(p -> probe(global, word(lex, p)));
            }
            DockerfileStages.Graph graph = DockerfileStages.Graph.of(file, baseNames);
            List<StageState> all = new ArrayList<>();
            for (int i = 0; i < stages.size(); i++) {
                all.add(new StageState(stages.get(i), i));
            }
            for (StageState state : all) {
                state.base = graph.base(state.index).map(all::get).orElse(null);
            }
            Set<Integer> reached = graph.reach(graph.target(target));
            for (StageState state : all) {
                if (!reached.contains(state.index)) {
                    continue;
                }
                state.env = state.base != null ? state.base.env.copy() : new Env();
                List<Instruction> commands = new ArrayList<>(graph.onbuild(state.index));
                commands.addAll(state.stage.commands());
                for (Instruction instruction : commands) {
                    dispatch(state, instruction, global, declarations);
                }
            }
            List<Arg> args = new ArrayList<>();
            for (Arg a : declarations) {
                boolean req = required.getOrDefault(a.name(), new TreeSet<>()).contains(a.line());
                args.add(new Arg(a.name(), a.defaultValue(), a.line(), a.stage(), used.contains(a.name()), req,
                        a.built()));
            }
            // Declarations in stages the target does not reach: listed, never used or required.
            for (StageState state : all) {
                if (reached.contains(state.index)) {
                    continue;
                }
                for (Instruction instruction : state.stage.commands()) {
                    if (instruction instanceof DockerfileSyntax.Arg arg) {
                        for (Map.Entry<String, Optional<String>> kp : arg.args()) {
                            args.add(new Arg(kp.getKey(), kp.getValue(), arg.line(), Optional.of(state.label()), false,
                                    false, false));
                        }
                    }
                }
            }
            args.sort(java.util.Comparator.comparingInt(Arg::line));
            List<String> reachedNames = all.stream().filter(s -> reached.contains(s.index))
                    .map(s -> s.stage.from().name().isEmpty() ? Integer.toString(s.index) : s.stage.from().name())
                    .toList();
            Map<String, SortedSet<Integer>> req = new TreeMap<>();
            required.forEach((k, v) -> req.put(k, java.util.Collections.unmodifiableSortedSet(v)));
            return new Scan(target, List.copyOf(args), java.util.Collections.unmodifiableSortedSet(new TreeSet<>(used)),
                    java.util.Collections.unmodifiableMap(req), reachedNames,
                    stages.stream().map(s -> s.from().name()).filter(n -> !n.isEmpty()).toList());
        }

        private void dispatch(StageState state, Instruction instruction, Env global, List<Arg> declarations) {
            Env env = state.env;
            if (instruction instanceof DockerfileSyntax.Arg arg) {
                    for (Map.Entry<String, Optional<String>> kp : arg.args()) {
                        String name = kp.getKey();
                        if (kp.getValue().isPresent()) {
                            env.set(name, probe(env, word(lex, kp.getValue().get())));
                        } else if (global.values.containsKey(name)) {
                            env.set(name, global.values.get(name));
                        } else if (!env.values.containsKey(name)) {
                            env.unset.put(name, arg.line());
                        }
                        env.args.add(name);
                        declarations.add(new Arg(name, kp.getValue().or(() -> Optional.ofNullable(
                                globalDefaults.get(name))), arg.line(), Optional.of(state.label()), false, false, true));
                    }
            } else if (instruction instanceof KeyValues kv) {
                    List<Map.Entry<String, String>> expanded = new ArrayList<>();
                    for (Map.Entry<String, String> pair : kv.pairs()) {
                        String key = probe(env, word(lex, pair.getKey()));
                        String value = probe(env, word(lex, pair.getValue()));
                        expanded.add(Map.entry(key, value));
                    }
                    if (kv.env()) {
                        for (Map.Entry<String, String> pair : expanded) {
                            env.set(pair.getKey(), pair.getValue());
                            env.args.remove(pair.getKey());
                        }
                    }
            } else if (instruction instanceof Copy copy) {
                    copy.expandedFlags().forEach(f -> probe(env, word(lex, f)));
                    copy.sources().forEach(s -> probe(env, word(lex, s)));
                    probe(env, word(lex, copy.dest()));
                    ShellLexer raw = new ShellLexer('\\');
                    raw.skipProcessQuotes = true;
                    for (Heredoc content : copy.contents()) {
                        if (content.expand()) {
                            probe(env, word(raw, content.content()));
                        }
                    }
            } else if (instruction instanceof Words words) {
                    for (String w : words.words()) {
                        if (words.split()) {
                            probe(env, e -> String.join("\u0001", lex.processWords(w, e)));
                        } else {
                            probe(env, word(lex, w));
                        }
                    }
            } else if (instruction instanceof Run run) {
                dispatchRun(env, run);
            }
            // FROM is read above; ONBUILD, CMD, ENTRYPOINT, HEALTHCHECK, SHELL, MAINTAINER: not evaluated
        }

        private void dispatchRun(Env env, Run run) {
            // --mount values are expanded field by field (key=value); fields without a value are not.
            for (String mount : run.mounts()) {
                for (String field : DockerfileSyntax.mountFields(mount)) {
                    int eq = field.indexOf('=');
                    if (eq >= 0) {
                        probe(env, word(lex, field.substring(eq + 1)));
                    }
                }
            }
            if (!run.shell()) {
                return; // exec form: no shell reads the variables
            }
            ShellLexer sh = lex.copy();
            sh.rawQuotes = true;
            sh.rawEscapes = true;
            String text = String.join(" ", run.cmdLine());
            boolean heredocOnly;
            try {
                heredocOnly = DockerfileSyntax.parseHeredoc(text, run.line()).isPresent();
            } catch (DockerfileSyntax.SyntaxException e) {
                heredocOnly = false;
            }
            if (!run.files().isEmpty() && heredocOnly) {
                probe(env, word(sh, run.files().get(0).content())); // RUN <<EOF: the document is the script
                return;
            }
            probe(env, word(sh, text));
            ShellLexer doc = new ShellLexer('\\');
            doc.skipProcessQuotes = true;
            doc.rawEscapes = true;
            for (Heredoc file : run.files()) {
                if (file.expand()) {
                    probe(env, word(doc, file.content()));
                }
            }
        }
    }
}
