package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build arguments a Dockerfile declares: global {@code ARG}s (before the first {@code FROM}, usable
 * in {@code FROM} lines) and those of each build stage, with their defaults and whether the build needs
 * a value for them. An ARG is required when it has no default (neither its own nor, for a stage ARG that
 * re-declares a global one, the global default) and is used without a fallback ({@code $X} or
 * {@code ${X}}, not {@code ${X:-y}}) where it is in scope. Handles the {@code # escape=} directive, line
 * continuations, comments between continued lines, and several ARGs on one line.
 */
public final class DockerfileArgs {

    /** The ARGs BuildKit and Docker set themselves: never required. */
    private static final Set<String> PREDEFINED = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "TARGETPLATFORM", "TARGETOS",
            "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
            "BUILDKIT_INLINE_CACHE", "BUILDKIT_SYNTAX", "SOURCE_DATE_EPOCH");
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z]+)\\s*=\\s*(\\S+)\\s*");
    private static final Pattern REFERENCE = Pattern.compile(
            "\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?][^}]*)?}|([A-Za-z_][A-Za-z0-9_]*))");

    /**
     * One declaration. {@code stage} is empty for a global ARG, else the stage's name or its index
     * ("stage 1"); {@code line} is where the ARG instruction starts.
     */
    public record Arg(String name, Optional<String> defaultValue, int line, Optional<String> stage, boolean used,
            boolean required) {}

    private DockerfileArgs() {}

    /** A logical instruction: keyword, arguments, and the line it starts on. */
    private record Instruction(String keyword, String arguments, int line) {}

    /** The names of the build stages ({@code FROM ... AS name}), in order, as written. */
    public static List<String> stageNames(String dockerfile) {
        return instructions(dockerfile).stream().filter(i -> i.keyword().equals("FROM"))
                .flatMap(i -> stageName(i.arguments()).stream()).toList();
    }

    public static List<Arg> scan(String dockerfile) {
        List<Instruction> instructions = instructions(dockerfile);
        List<Arg> result = new ArrayList<>();
        Map<String, Declared> globals = new LinkedHashMap<>();
        int stageIndex = -1;
        String stageName = null;
        Map<String, Declared> stageArgs = new LinkedHashMap<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                flushStage(stageArgs, stageName, result);
                markUses(instruction.arguments(), globals);
                stageIndex++;
                stageName = stageName(instruction.arguments()).orElse("stage " + stageIndex);
                stageArgs = new LinkedHashMap<>();
                continue;
            }
            if (instruction.keyword().equals("ARG")) {
                for (String part : splitArgs(instruction.arguments())) {
                    int equals = part.indexOf('=');
                    String name = equals < 0 ? part : part.substring(0, equals);
                    Optional<String> value = equals < 0 ? Optional.empty() : Optional.of(unquote(part.substring(equals + 1)));
                    if (stageIndex < 0) {
                        globals.put(name, new Declared(name, value, instruction.line()));
                    } else {
                        Optional<String> inherited = value.or(() -> Optional.ofNullable(globals.get(name))
                                .flatMap(g -> g.value));
                        stageArgs.put(name, new Declared(name, inherited, instruction.line()));
                    }
                }
                continue;
            }
            if (stageIndex >= 0) {
                markUses(instruction.arguments(), stageArgs);
            }
        }
        flushStage(stageArgs, stageName, result);
        List<Arg> globalArgs = globals.values().stream().map(d -> d.toArg(Optional.empty())).toList();
        List<Arg> all = new ArrayList<>(globalArgs);
        all.addAll(result);
        return all;
    }

    /** The ARGs that need a value from {@code args}, each once, at its first declaration. */
    public static List<Arg> required(List<Arg> args) {
        Map<String, Arg> byName = new LinkedHashMap<>();
        for (Arg arg : args) {
            if (arg.required()) {
                byName.putIfAbsent(arg.name(), arg);
            }
        }
        return List.copyOf(byName.values());
    }

    private static final class Declared {
        final String name;
        final Optional<String> value;
        final int line;
        boolean used;

        Declared(String name, Optional<String> value, int line) {
            this.name = name;
            this.value = value;
            this.line = line;
        }

        Arg toArg(Optional<String> stage) {
            boolean required = used && value.isEmpty() && !PREDEFINED.contains(name);
            return new Arg(name, value, line, stage, used, required);
        }
    }

    private static void flushStage(Map<String, Declared> stageArgs, String stageName, List<Arg> result) {
        stageArgs.values().forEach(d -> result.add(d.toArg(Optional.ofNullable(stageName))));
    }

    /** Marks the ARGs of {@code scope} that {@code text} uses without a fallback. */
    private static void markUses(String text, Map<String, Declared> scope) {
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String modifier = m.group(2);
            boolean hasFallback = modifier != null && (modifier.startsWith(":-") || modifier.startsWith("-")
                    || modifier.startsWith(":+") || modifier.startsWith("+"));
            Declared declared = scope.get(name);
            if (declared != null && !hasFallback) {
                declared.used = true;
            }
        }
    }

    private static Optional<String> stageName(String from) {
        String[] words = from.trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equalsIgnoreCase("AS")) {
                return Optional.of(words[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** {@code A=1 B="two words" C}: split on whitespace outside quotes. */
    private static List<String> splitArgs(String text) {
        List<String> parts = new ArrayList<>();
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
                    parts.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** Joins continued lines, drops comments and blank lines, honours the escape directive. */
    private static List<Instruction> instructions(String dockerfile) {
        String[] lines = dockerfile.split("\r?\n", -1);
        char escape = '\\';
        int first = 0;
        // Parser directives: only at the very top, before any comment that is not one, or instruction.
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
            if (trimmed.startsWith("#") || (current == null && trimmed.isEmpty())) {
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
            add(instructions, current.toString(), startLine);
            current = null;
        }
        if (current != null) {
            add(instructions, current.toString(), startLine);
        }
        return instructions;
    }

    private static void add(List<Instruction> instructions, String text, int line) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return;
        }
        int space = indexOfWhitespace(trimmed);
        String keyword = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        String arguments = space < 0 ? "" : trimmed.substring(space + 1);
        instructions.add(new Instruction(keyword, arguments, line));
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
