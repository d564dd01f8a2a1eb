package io.jenkins.plugins.berth.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images a build of a Dockerfile pulls: the {@code FROM} of every stage the built stage needs, and the images
 * named by {@code COPY --from} and {@code RUN --mount=...,from=}, as BuildKit reaches them. BuildKit builds only the
 * target stage ({@code target:}, else the last) and the stages it depends on ({@code FROM stage},
 * {@code COPY --from=stage}, {@code --mount from=stage}), so an image used only by another stage is not one of the
 * build's. {@code scratch} and stage names are not images. Image names are expanded with the global {@code ARG}s,
 * which the build's arguments override, as BuildKit does; a name that needs a value only the builder knows
 * ({@code $TARGETARCH} without one platform, {@code $BUILDPLATFORM}) is reported with the variables it lacks.
 *
 * <p>Reads instructions as BuildKit does: the {@code escape} directive, line continuations (comment and empty lines
 * inside them dropped), heredoc bodies of {@code RUN}, {@code COPY} and {@code ADD} (not instructions).
 */
public final class DockerfileStages {

    /** The platform ARGs BuildKit defines in the global scope: usable in {@code FROM} without an {@code ARG}. */
    private static final Set<String> BUILDER_PLATFORM = Set.of("BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT");
    private static final Set<String> TARGET_PLATFORM = Set.of("TARGETPLATFORM", "TARGETOS", "TARGETARCH",
            "TARGETVARIANT");
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z]+)\\s*=\\s*(\\S+)\\s*");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z0-9_.-]+)\\2");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("RUN", "COPY", "ADD");

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

    /** A logical instruction: keyword (upper case), arguments, and the line it starts on. */
    record Instruction(String keyword, String arguments, int line) {}

    private DockerfileStages() {}

    /**
     * The images a build of {@code target} (empty: the last stage) takes, in the order the Dockerfile names them.
     *
     * @param buildArgs the build's arguments: they override the defaults of declared global ARGs
     * @param platforms the build's platforms: with one, the {@code TARGET*} platform ARGs are known
     */
    public static List<ImageUse> imagesUsed(String dockerfile, Optional<String> target, Map<String, String> buildArgs,
            List<String> platforms) {
        Parsed parsed = parse(dockerfile, buildArgs, platforms);
        if (parsed.stages.isEmpty()) {
            return List.of();
        }
        int start = parsed.stages.size() - 1;
        if (target.isPresent()) {
            Integer named = parsed.byName.get(target.get().toLowerCase(Locale.ROOT));
            if (named == null) {
                return List.of(); // validation reports an unknown target; the builder would fail anyway
            }
            start = named;
        }
        Set<Integer> reached = new TreeSet<>();
        Deque<Integer> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            int stage = todo.pop();
            if (reached.add(stage)) {
                parsed.stages.get(stage).stageDependencies.forEach(todo::push);
            }
        }
        List<ImageUse> uses = new ArrayList<>();
        for (int stage : reached) {
            uses.addAll(parsed.stages.get(stage).images);
        }
        uses.sort(java.util.Comparator.comparingInt(ImageUse::line));
        return List.copyOf(uses);
    }

    // ---- parsing ------------------------------------------------------------------------------------

    private static final class Stage {
        final List<Integer> stageDependencies = new ArrayList<>();
        final List<ImageUse> images = new ArrayList<>();
        /** {@code --from} values, resolved once every stage's name is known (they may name a later stage). */
        final List<String[]> fromValues = new ArrayList<>();
    }

    private record Parsed(List<Stage> stages, Map<String, Integer> byName) {}

    private static Parsed parse(String dockerfile, Map<String, String> buildArgs, List<String> platforms) {
        Map<String, String> platformArgs = platformArgs(platforms);
        Map<String, Optional<String>> globals = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (Instruction instruction : instructions(dockerfile)) {
            switch (instruction.keyword()) {
                case "ARG" -> {
                    if (stages.isEmpty()) {
                        declareGlobals(instruction.arguments(), globals, buildArgs, platformArgs);
                    }
                }
                case "FROM" -> {
                    Stage stage = new Stage();
                    List<String> words = words(instruction.arguments());
                    List<String> rest = words.stream().dropWhile(w -> w.startsWith("--")).toList();
                    if (!rest.isEmpty()) {
                        String written = rest.get(0);
                        Expanded image = expand(written, name -> lookup(name, globals, platformArgs));
                        Optional<Integer> earlier = image.value().map(v -> byName.get(v.toLowerCase(Locale.ROOT)));
                        if (earlier.isPresent()) {
                            stage.stageDependencies.add(earlier.get());
                        } else if (!image.value().map(v -> v.equalsIgnoreCase("scratch")).orElse(false)) {
                            stage.images.add(new ImageUse("FROM", instruction.line(), written, image.value(),
                                    image.unknown()));
                        }
                        if (rest.size() >= 3 && rest.get(1).equalsIgnoreCase("AS")) {
                            byName.putIfAbsent(rest.get(2).toLowerCase(Locale.ROOT), stages.size());
                        }
                    }
                    stages.add(stage);
                }
                case "COPY", "ADD" -> {
                    if (!stages.isEmpty()) {
                        for (String word : flags(instruction.arguments())) {
                            if (word.regionMatches(true, 0, "--from=", 0, 7)) {
                                stages.get(stages.size() - 1).fromValues.add(new String[] {"COPY --from",
                                        String.valueOf(instruction.line()), word.substring(7)});
                            }
                        }
                    }
                }
                case "RUN" -> {
                    if (!stages.isEmpty()) {
                        for (String word : flags(instruction.arguments())) {
                            if (word.regionMatches(true, 0, "--mount=", 0, 8)) {
                                for (String option : word.substring(8).split(",")) {
                                    if (option.regionMatches(true, 0, "from=", 0, 5)) {
                                        stages.get(stages.size() - 1).fromValues.add(new String[] {"RUN --mount",
                                                String.valueOf(instruction.line()), option.substring(5)});
                                    }
                                }
                            }
                        }
                    }
                }
                default -> { }
            }
        }
        for (int index = 0; index < stages.size(); index++) {
            for (String[] from : stages.get(index).fromValues) {
                use(stages, byName, index, from[0], Integer.parseInt(from[1]), from[2]);
            }
        }
        return new Parsed(stages, byName);
    }

    /** A {@code --from} value: a stage (by name or index) or an image. Stage ARGs are not followed: left as written. */
    private static void use(List<Stage> stages, Map<String, Integer> byName, int index, String instruction,
            int line, String from) {
        Stage current = stages.get(index);
        String value = unquote(from);
        Integer stage = byName.get(value.toLowerCase(Locale.ROOT));
        if (stage == null && value.matches("[0-9]{1,6}") && Integer.parseInt(value) < stages.size()) {
            stage = Integer.parseInt(value);
        }
        if (stage != null && stage != index) {
            current.stageDependencies.add(stage);
        } else if (stage != null) {
            return; // a stage copying from itself: the builder refuses it
        } else if (value.contains("$")) {
            Set<String> unknown = new TreeSet<>();
            Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)").matcher(value);
            while (m.find()) {
                unknown.add(m.group(1));
            }
            current.images.add(new ImageUse(instruction, line, value, Optional.empty(), unknown));
        } else if (!value.equalsIgnoreCase("scratch")) {
            current.images.add(new ImageUse(instruction, line, value, Optional.of(value), Set.of()));
        }
    }

    private static void declareGlobals(String arguments, Map<String, Optional<String>> globals,
            Map<String, String> buildArgs, Map<String, String> platformArgs) {
        for (String part : words(arguments)) {
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            if (buildArgs.containsKey(name)) {
                globals.put(name, Optional.of(buildArgs.get(name)));
            } else if (equals < 0 && platformArgs.containsKey(name)) {
                globals.put(name, Optional.of(platformArgs.get(name)));
            } else if (equals < 0 && (BUILDER_PLATFORM.contains(name) || TARGET_PLATFORM.contains(name))) {
                globals.put(name, Optional.empty());
            } else if (equals < 0) {
                globals.put(name, globals.getOrDefault(name, Optional.of("")));
            } else {
                // A default is expanded with the ARGs declared before it.
                Expanded value = expand(unquote(part.substring(equals + 1)), n -> lookup(n, globals, platformArgs));
                globals.put(name, value.value());
            }
        }
    }

    /**
     * A variable's value in a {@code FROM} line: a declared global ARG's (empty: it needs what the builder knows),
     * a platform ARG known from the build's one platform, or "" for anything else, as BuildKit expands it.
     */
    private static Lookup lookup(String name, Map<String, Optional<String>> globals, Map<String, String> platformArgs) {
        if (globals.containsKey(name)) {
            return globals.get(name).map(Lookup::known).orElse(Lookup.UNKNOWN);
        }
        if (platformArgs.containsKey(name)) {
            return Lookup.known(platformArgs.get(name));
        }
        if (BUILDER_PLATFORM.contains(name) || TARGET_PLATFORM.contains(name)) {
            return Lookup.UNKNOWN;
        }
        return Lookup.known("");
    }

    /** What the builder would put for a variable: a value, or unknown here. */
    private record Lookup(Optional<String> value) {
        static final Lookup UNKNOWN = new Lookup(Optional.empty());

        static Lookup known(String value) {
            return new Lookup(Optional.of(value));
        }
    }

    /** The {@code TARGET*} ARGs of a build for one platform ({@code linux/arm64/v8}). */
    private static Map<String, String> platformArgs(List<String> platforms) {
        if (platforms.size() != 1) {
            return Map.of();
        }
        String[] parts = platforms.get(0).split("/");
        Map<String, String> args = new LinkedHashMap<>();
        args.put("TARGETPLATFORM", platforms.get(0));
        args.put("TARGETOS", parts[0]);
        args.put("TARGETARCH", parts.length > 1 ? parts[1] : "");
        args.put("TARGETVARIANT", parts.length > 2 ? parts[2] : "");
        return args;
    }

    /** A text with its variables expanded: the value, or empty with the variables it lacked. */
    private record Expanded(Optional<String> value, Set<String> unknown) {}

    /**
     * Expands {@code $X}, {@code ${X}}, {@code ${X:-word}}, {@code ${X-word}}, {@code ${X:+word}} and
     * {@code ${X+word}}; any other form ({@code ${X#..}}, {@code ${X%..}}) leaves the value unknown.
     */
    private static Expanded expand(String text, java.util.function.Function<String, Lookup> values) {
        StringBuilder out = new StringBuilder();
        Set<String> unknown = new LinkedHashSet<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            if (text.charAt(i + 1) == '{') {
                int close = closing(text, i + 2);
                if (close < 0) {
                    unknown.add(text.substring(i));
                    break;
                }
                String body = text.substring(i + 2, close);
                Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?", Pattern.DOTALL).matcher(body);
                if (!m.matches()) {
                    unknown.add(body.replaceAll("[^A-Za-z0-9_].*", ""));
                } else {
                    Lookup value = values.apply(m.group(1));
                    String modifier = m.group(2);
                    if (modifier == null) {
                        value.value().ifPresentOrElse(out::append, () -> unknown.add(m.group(1)));
                    } else if (value.value().isEmpty()) {
                        unknown.add(m.group(1));
                    } else {
                        boolean set = modifier.startsWith(":") ? !value.value().get().isEmpty() : true;
                        boolean fallback = modifier.endsWith("-");
                        if (fallback == set) {
                            out.append(value.value().get());
                        } else {
                            Expanded word = expand(m.group(3), values);
                            word.value().ifPresent(out::append);
                            unknown.addAll(word.unknown());
                        }
                    }
                }
                i = close + 1;
            } else {
                Matcher m = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(text).region(i + 1, text.length());
                if (m.lookingAt()) {
                    String name = m.group();
                    values.apply(name).value().ifPresentOrElse(out::append, () -> unknown.add(name));
                    i = m.end();
                } else {
                    out.append(c);
                    i++;
                }
            }
        }
        return new Expanded(unknown.isEmpty() ? Optional.of(out.toString()) : Optional.empty(), unknown);
    }

    /** The index of the '}' that closes a '${' whose body starts at {@code from}, nested braces counted. */
    private static int closing(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '{') {
                depth++;
            } else if (text.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The leading {@code --flag} words of an instruction's arguments (before its sources or command). */
    private static List<String> flags(String arguments) {
        return words(arguments).stream().takeWhile(w -> w.startsWith("--")).toList();
    }

    /** Words split on whitespace outside quotes, quotes kept. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (char c : text.trim().toCharArray()) {
            if (quote != 0) {
                current.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                current.append(c);
            } else if (Character.isWhitespace(c)) {
                if (current.length() > 0) {
                    words.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            words.add(current.toString());
        }
        return words;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** Joins continued lines, drops comments and blank lines and heredoc bodies, honours the escape directive. */
    static List<Instruction> instructions(String dockerfile) {
        String[] lines = dockerfile.split("\r?\n", -1);
        char escape = '\\';
        int first = 0;
        for (; first < lines.length; first++) {
            Matcher directive = DIRECTIVE.matcher(lines[first].trim());
            if (!directive.matches()) {
                break;
            }
            if (directive.group(1).toLowerCase(Locale.ROOT).equals("escape") && directive.group(2).length() == 1) {
                escape = directive.group(2).charAt(0);
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = null;
        int startLine = 0;
        for (int i = first; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current == null)) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
                startLine = i + 1;
            }
            String stripped = line.stripTrailing();
            if (!stripped.isEmpty() && stripped.charAt(stripped.length() - 1) == escape) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            Instruction instruction = instruction(current.toString(), startLine);
            current = null;
            if (instruction == null) {
                continue;
            }
            instructions.add(instruction);
            if (HEREDOC_INSTRUCTIONS.contains(instruction.keyword())) {
                Matcher heredoc = HEREDOC.matcher(instruction.arguments());
                while (heredoc.find()) {
                    boolean tabs = !heredoc.group(1).isEmpty();
                    String word = heredoc.group(3);
                    for (i++; i < lines.length; i++) {
                        String body = tabs ? lines[i].replaceFirst("^\t+", "") : lines[i];
                        if (body.equals(word)) {
                            break;
                        }
                    }
                }
            }
        }
        if (current != null) {
            Instruction instruction = instruction(current.toString(), startLine);
            if (instruction != null) {
                instructions.add(instruction);
            }
        }
        return instructions;
    }

    private static Instruction instruction(String text, int line) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return null;
        }
        String[] split = trimmed.split("\\s+", 2);
        return new Instruction(split[0].toUpperCase(Locale.ROOT), split.length > 1 ? split[1] : "", line);
    }
}
