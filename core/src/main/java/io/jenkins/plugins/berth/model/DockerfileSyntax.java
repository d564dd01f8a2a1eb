package io.jenkins.plugins.berth.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile into stages and instructions the way BuildKit's front end does (its {@code parser} and
 * {@code instructions} packages): parser directives, line continuations with the escape token, comments and
 * empty lines inside continued instructions, heredocs (their bodies are never instructions), JSON (exec)
 * form, builder flags, and each instruction's words. Only what the ARG scan
 * ({@link DockerfileArgs}) and the stage graph ({@link DockerfileStages}) need is kept.
 */
final class DockerfileSyntax {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern WHITESPACE = Pattern.compile("[\t\u000b\f\r ]+");
    private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)[\t\n\f\r ]*([^<]*)\\z");
    private static final Pattern DIRECTIVE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\\z");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("add", "copy", "run");
    private static final Set<String> KNOWN = Set.of("add", "arg", "cmd", "copy", "entrypoint", "env", "expose",
            "from", "healthcheck", "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume",
            "workdir");

    /** A Dockerfile BuildKit refuses to read. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    private DockerfileSyntax() {}

    record Heredoc(String name, boolean expand, boolean chomp, String content) {}

    /** One instruction as the parser leaves it: BuildKit's {@code parser.Node}. */
    record Node(String keyword, List<String> flags, List<String> args, boolean json, List<Heredoc> heredocs,
            String original, int line) {}

    // The instructions the scan looks at. Words are as written; expansion is the scan's job.
    sealed interface Instruction permits From, Arg, KeyValues, Copy, Words, Run, Onbuild, Other {
        int line();
    }

    record From(String baseName, String name, Optional<String> platform, int line) implements Instruction {}

    record Arg(List<Map.Entry<String, Optional<String>>> args, int line) implements Instruction {}

    /** ENV ({@code env} true) or LABEL: keys and values are both expanded. */
    record KeyValues(boolean env, List<Map.Entry<String, String>> pairs, int line) implements Instruction {}

    /** COPY or ADD: the flags that are expanded, sources, destination, and the heredoc sources. */
    record Copy(Optional<String> from, List<String> expandedFlags, List<String> sources, String dest,
            List<Heredoc> contents, int line) implements Instruction {}

    /** WORKDIR, USER, VOLUME, STOPSIGNAL (each word expanded) or EXPOSE ({@code split}: expanded into words). */
    record Words(List<String> words, boolean split, int line) implements Instruction {}

    /**
     * RUN: its {@code --mount} values, the {@code from=} of those that have one (never expanded), its command
     * line, shell or exec form, and its heredocs.
     */
    record Run(List<String> mounts, List<String> mountFroms, List<String> cmdLine, boolean shell, List<Heredoc> files,
            int line) implements Instruction {}

    record Onbuild(String expression, int line) implements Instruction {}

    /** CMD, ENTRYPOINT, HEALTHCHECK, SHELL, MAINTAINER: nothing is expanded at build time. */
    record Other(String keyword, int line) implements Instruction {}

    record Stage(From from, List<Instruction> commands) {}

    record Dockerfile(int escapeToken, List<Arg> metaArgs, List<Stage> stages) {}

    static Dockerfile parse(String text) throws SyntaxException {
        Parsed parsed = parseNodes(text);
        List<Arg> meta = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        for (Node node : parsed.nodes) {
            Instruction instruction = instruction(node, parsed.escape);
            if (stages.isEmpty() && instruction instanceof Arg arg) {
                meta.add(arg);
            } else if (instruction instanceof From from) {
                stages.add(new Stage(from, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new SyntaxException(node.line(), "no build stage in current context");
            } else {
                stages.get(stages.size() - 1).commands().add(instruction);
            }
        }
        return new Dockerfile(parsed.escape, meta, stages);
    }

    record Parsed(int escape, List<Node> nodes) {}

    /** BuildKit's {@code parser.Parse}. */
    static Parsed parseNodes(String text) throws SyntaxException {
        List<String> lines = scanLines(text);
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        Directives d = new Directives();
        List<Node> nodes = new ArrayList<>();
        int current = 0;
        int i = 0;
        while (i < lines.size()) {
            String raw = lines.get(i++);
            String bytes = processLine(d, raw, true, current + 1);
            current++;
            int start = current;
            String[] trimmed = trimContinuation(bytes, d);
            boolean endOfLine = trimmed[1] == null;
            if (endOfLine && trimmed[0].isEmpty()) {
                continue;
            }
            StringBuilder buf = new StringBuilder(trimmed[0]);
            while (!endOfLine && i < lines.size()) {
                String next = lines.get(i++);
                String processed = processLine(d, next, false, current + 1);
                current++;
                if (isComment(next)) {
                    continue;
                }
                if (leadingWhitespaceOnly(processed)) {
                    continue;
                }
                trimmed = trimContinuation(processed, d);
                endOfLine = trimmed[1] == null;
                buf.append(trimmed[0]);
            }
            String line = buf.toString();
            Node node = nodeFromLine(line, d, start);
            List<Heredoc> heredocs = new ArrayList<>();
            if (canContainHeredoc(node, line, d) && line.contains("<<")) {
                for (Heredoc heredoc : heredocsFromLine(line, start)) {
                    boolean terminated = false;
                    StringBuilder content = new StringBuilder();
                    while (i < lines.size()) {
                        String body = lines.get(i++);
                        current++;
                        String possible = trimNewline(body);
                        if (heredoc.chomp()) {
                            possible = possible.replaceFirst("^\t+", "");
                        }
                        if (possible.equals(heredoc.name())) {
                            terminated = true;
                            break;
                        }
                        content.append(body);
                    }
                    if (!terminated) {
                        throw new SyntaxException(start, "unterminated heredoc");
                    }
                    heredocs.add(new Heredoc(heredoc.name(), heredoc.expand(), heredoc.chomp(), content.toString()));
                }
            }
            nodes.add(new Node(node.keyword(), node.flags(), node.args(), node.json(), List.copyOf(heredocs), line,
                    start));
        }
        if (nodes.isEmpty()) {
            throw new SyntaxException(current, "file with no instructions");
        }
        return new Parsed(d.escape, nodes);
    }

    private static boolean leadingWhitespaceOnly(String s) {
        return trimNewline(s).chars().allMatch(DockerfileSyntax::isSpace);
    }

    /** Lines with their line endings, as BuildKit's {@code scanLines} splits them. */
    private static List<String> scanLines(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl + 1;
            lines.add(text.substring(from, end));
            from = end;
        }
        return lines;
    }

    private static final class Directives {
        int escape = '\\';
        Pattern continuation = continuationFor('\\');
        boolean done;
        final Set<String> seen = new java.util.HashSet<>();

        static Pattern continuationFor(int escape) {
            String e = Pattern.quote(Character.toString(escape));
            return Pattern.compile("([^" + (escape == '\\' ? "\\\\" : "`") + "])" + e + "[ \t]*\\z|^" + e + "[ \t]*\\z");
        }

        /** BuildKit's {@code DirectiveParser.ParseLine} and {@code possibleParserDirective}. */
        void offer(String line, int lineNumber) throws SyntaxException {
            if (done) {
                return;
            }
            if (!line.startsWith("#")) {
                done = true;
                return;
            }
            String rest = line.substring(1).stripLeading();
            Matcher m = DIRECTIVE.matcher(rest);
            if (!m.find()) {
                done = true;
                return;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (!DIRECTIVES.contains(key)) {
                done = true;
                return;
            }
            if (!seen.add(key)) {
                throw new SyntaxException(lineNumber, "only one " + key + " parser directive can be used");
            }
            if (key.equals("escape")) {
                String value = m.group(2);
                if (!value.equals("`") && !value.equals("\\")) {
                    throw new SyntaxException(lineNumber, "invalid escape token '" + value + "' does not match ` or \\");
                }
                escape = value.charAt(0);
                continuation = continuationFor(escape);
            }
        }
    }

    private static String processLine(Directives d, String token, boolean stripLeft, int lineNumber)
            throws SyntaxException {
        token = trimNewline(token);
        if (stripLeft) {
            token = stripLeadingSpace(token);
        }
        d.offer(token, lineNumber);
        return isComment(token) ? "" : token;
    }

    /** {@code [0]}: the line without its continuation; {@code [1]}: non-null when the instruction goes on. */
    private static String[] trimContinuation(String line, Directives d) {
        Matcher m = d.continuation.matcher(line);
        if (m.find()) {
            StringBuilder out = new StringBuilder();
            m.reset();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
            }
            m.appendTail(out);
            return new String[] {out.toString(), ""};
        }
        return new String[] {line, null};
    }

    static String trimNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String stripLeadingSpace(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    private static boolean isComment(String line) {
        String t = stripLeadingSpace(line);
        return !t.isEmpty() && t.charAt(0) == '#';
    }

    /** Go's {@code unicode.IsSpace}. */
    static boolean isSpace(int ch) {
        return switch (ch) {
            case '\t', '\n', '\u000b', '\f', '\r', ' ', '\u0085', '\u00a0' -> true;
            default -> ch > 0xff && Character.isWhitespace(ch) || ch > 0xff && Character.isSpaceChar(ch);
        };
    }

    /** BuildKit's {@code newNodeFromLine}: the keyword, the builder flags, and the words of the rest. */
    private static Node nodeFromLine(String line, Directives d, int lineNumber) throws SyntaxException {
        String trimmed = line.strip();
        String[] split = WHITESPACE.split(trimmed, 2);
        String keyword = split[0];
        List<String> flags = new ArrayList<>();
        String rest = "";
        if (split.length == 2) {
            rest = extractBuilderFlags(split[1], d.escape, flags).strip();
        }
        String lower = keyword.toLowerCase(Locale.ROOT);
        List<String> args = new ArrayList<>();
        boolean json = false;
        switch (lower) {
            case "add", "copy", "volume" -> {
                Optional<List<String>> list = parseJson(rest, lineNumber);
                if (list.isPresent()) {
                    args.addAll(list.get());
                    json = true;
                } else {
                    args.addAll(whitespaceWords(rest));
                }
            }
            case "arg" -> args.addAll(parseWords(rest, d.escape));
            case "cmd", "entrypoint", "run", "shell" -> {
                if (!rest.isEmpty()) {
                    Optional<List<String>> list = parseJson(rest, lineNumber);
                    if (list.isPresent()) {
                        args.addAll(list.get());
                        json = true;
                    } else {
                        args.add(rest);
                    }
                }
            }
            case "env", "label" -> args.addAll(parseNameVal(rest, keyword, d.escape, lineNumber));
            case "expose", "from" -> args.addAll(whitespaceWords(rest));
            case "maintainer", "stopsignal", "user", "workdir" -> {
                if (!rest.isEmpty()) {
                    args.add(rest);
                }
            }
            case "onbuild" -> {
                if (!rest.isEmpty()) {
                    Node child = nodeFromLine(rest, d, lineNumber);
                    args.add(child.keyword());
                    args.addAll(child.args());
                    // The trigger's own flags and form matter for heredocs only.
                    return new Node(keyword, flags, args, child.json(), List.of(), line, lineNumber);
                }
            }
            default -> {
                // healthcheck and unknown instructions: nothing the scan reads
            }
        }
        return new Node(keyword, flags, args, json, List.of(), line, lineNumber);
    }

    private static boolean canContainHeredoc(Node node, String line, Directives d) throws SyntaxException {
        String keyword = node.keyword().toLowerCase(Locale.ROOT);
        boolean json = node.json();
        if (keyword.equals("onbuild") && !node.args().isEmpty()) {
            keyword = node.args().get(0).toLowerCase(Locale.ROOT);
        }
        return HEREDOC_INSTRUCTIONS.contains(keyword) && !json;
    }

    private static List<String> whitespaceWords(String rest) {
        if (rest.isEmpty()) {
            return List.of();
        }
        return List.of(WHITESPACE.split(rest, -1));
    }

    /** {@code Optional.empty()} when {@code rest} is no JSON array (then it is a plain string). */
    private static Optional<List<String>> parseJson(String rest, int line) throws SyntaxException {
        String t = stripLeadingSpace(rest);
        if (!t.startsWith("[")) {
            return Optional.empty();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(t);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (tree == null || !tree.isArray()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : tree) {
            if (!element.isTextual()) {
                throw new SyntaxException(line, "when using JSON array syntax, arrays must be comprised of strings only");
            }
            out.add(element.textValue());
        }
        return Optional.of(out);
    }

    /** BuildKit's {@code extractBuilderFlags}: leading {@code --name=value} words. */
    private static String extractBuilderFlags(String line, int escape, List<String> words) {
        final int inSpaces = 0;
        final int inWord = 1;
        final int inQuote = 2;
        int phase = inSpaces;
        StringBuilder sb = new StringBuilder();
        char quote = 0;
        boolean blankOK = false;
        char ch = 0;
        for (int pos = 0; pos <= line.length(); pos++) {
            if (pos != line.length()) {
                ch = line.charAt(pos);
            }
            if (phase == inSpaces) {
                if (pos == line.length()) {
                    break;
                }
                if (isSpace(ch)) {
                    continue;
                }
                if (ch != '-' || pos + 1 == line.length() || line.charAt(pos + 1) != '-') {
                    return line.substring(pos);
                }
                phase = inWord;
            }
            if ((phase == inWord || phase == inQuote) && pos == line.length()) {
                String word = sb.toString();
                if (!word.equals("--") && (blankOK || !word.isEmpty())) {
                    words.add(word);
                }
                break;
            }
            if (phase == inWord) {
                if (isSpace(ch)) {
                    String word = sb.toString();
                    phase = inSpaces;
                    if (word.equals("--")) {
                        return line.substring(pos);
                    }
                    if (blankOK || !word.isEmpty()) {
                        words.add(word);
                    }
                    sb.setLength(0);
                    blankOK = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOK = true;
                    phase = inQuote;
                    continue;
                }
                if (ch == escape) {
                    if (pos + 1 == line.length()) {
                        continue;
                    }
                    pos++;
                    ch = line.charAt(pos);
                }
                sb.append(ch);
                continue;
            }
            if (phase == inQuote) {
                if (ch == quote) {
                    phase = inWord;
                    continue;
                }
                if (ch == escape) {
                    if (pos + 1 == line.length()) {
                        phase = inWord;
                        continue;
                    }
                    pos++;
                    ch = line.charAt(pos);
                }
                sb.append(ch);
            }
        }
        return "";
    }

    /** BuildKit's {@code parseWords}: whitespace-separated words, quotes and escapes kept in the word. */
    static List<String> parseWords(String rest, int escape) {
        final int inSpaces = 0;
        final int inWord = 1;
        final int inQuote = 2;
        List<String> words = new ArrayList<>();
        int phase = inSpaces;
        int quote = 0;
        boolean blankOK = false;
        StringBuilder sb = new StringBuilder();
        int[] cs = rest.codePoints().toArray();
        int ch = 0;
        for (int pos = 0; pos <= cs.length; pos++) {
            if (pos != cs.length) {
                ch = cs[pos];
            }
            if (phase == inSpaces) {
                if (pos == cs.length) {
                    break;
                }
                if (isSpace(ch)) {
                    continue;
                }
                phase = inWord;
            }
            if ((phase == inWord || phase == inQuote) && pos == cs.length) {
                if (blankOK || sb.length() > 0) {
                    words.add(sb.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (isSpace(ch)) {
                    phase = inSpaces;
                    if (blankOK || sb.length() > 0) {
                        words.add(sb.toString());
                    }
                    sb.setLength(0);
                    blankOK = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOK = true;
                    phase = inQuote;
                }
                if (ch == escape) {
                    if (pos + 1 == cs.length) {
                        continue;
                    }
                    sb.appendCodePoint(ch);
                    pos++;
                    ch = cs[pos];
                }
                sb.appendCodePoint(ch);
                continue;
            }
            if (phase == inQuote) {
                if (ch == quote) {
                    phase = inWord;
                }
                if (ch == escape && quote != '\'') {
                    if (pos + 1 == cs.length) {
                        phase = inWord;
                        continue;
                    }
                    pos++;
                    sb.appendCodePoint(ch);
                    ch = cs[pos];
                }
                sb.appendCodePoint(ch);
            }
        }
        return words;
    }

    /** ENV and LABEL: {@code k=v ...} or the legacy {@code k v}; as key, value, key, value... */
    private static List<String> parseNameVal(String rest, String keyword, int escape, int line) throws SyntaxException {
        List<String> words = parseWords(rest, escape);
        if (words.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (!words.get(0).contains("=")) {
            String[] parts = WHITESPACE.split(rest, 2);
            if (parts.length < 2) {
                throw new SyntaxException(line, keyword.toUpperCase(Locale.ROOT) + " must have two arguments");
            }
            out.add(parts[0]);
            out.add(parts[1]);
            return out;
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw new SyntaxException(line, "Syntax error - can't find = in \"" + word
                        + "\". Must be of the form: name=value");
            }
            out.add(word.substring(0, eq));
            out.add(word.substring(eq + 1));
        }
        return out;
    }

    /** BuildKit's {@code heredocsFromLine}. */
    private static List<Heredoc> heredocsFromLine(String line, int lineNumber) throws SyntaxException {
        ShellLexer lex = new ShellLexer('\\');
        lex.rawQuotes = true;
        lex.rawEscapes = true;
        lex.skipUnsetEnv = true;
        List<String> words;
        try {
            words = lex.processWords(line, name -> Optional.empty());
        } catch (ShellLexer.LexException e) {
            words = List.of();
        }
        List<Heredoc> docs = new ArrayList<>();
        for (String word : words) {
            parseHeredoc(word, lineNumber).ifPresent(docs::add);
        }
        return docs;
    }

    /** BuildKit's {@code ParseHeredoc}: {@code <<[-]WORD}, expanded unless part of the word is quoted. */
    static Optional<Heredoc> parseHeredoc(String src, int lineNumber) throws SyntaxException {
        Matcher m = HEREDOC.matcher(src);
        if (!m.find()) {
            return Optional.empty();
        }
        boolean chomp = m.group(2).equals("-");
        String rest = m.group(3);
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        ShellLexer lex = new ShellLexer('\\');
        lex.skipUnsetEnv = true;
        try {
            List<String> words = lex.processWords(rest, name -> Optional.empty());
            if (words.size() != 1) {
                return Optional.empty();
            }
            lex.rawQuotes = true;
            List<String> raw = lex.processWords(rest, name -> Optional.empty());
            if (raw.size() != words.size()) {
                throw new SyntaxException(lineNumber, "internal lexing of heredoc produced inconsistent results: " + rest);
            }
            String word = words.get(0);
            boolean expand = quotes(word) == quotes(raw.get(0));
            return Optional.of(new Heredoc(word, expand, chomp, ""));
        } catch (ShellLexer.LexException e) {
            throw new SyntaxException(lineNumber, e.getMessage());
        }
    }

    private static long quotes(String s) {
        return s.chars().filter(c -> c == '\'' || c == '"').count();
    }

    /** Builder flags of one instruction: {@code name -> values}; refuses unknown ones as BuildKit does. */
    private static Map<String, List<String>> flags(Node node, Set<String> strings, Set<String> bools)
            throws SyntaxException {
        Map<String, List<String>> out = new HashMap<>();
        for (String a : node.flags()) {
            if (a.equals("--")) {
                break;
            }
            if (!a.startsWith("--")) {
                throw new SyntaxException(node.line(), "arg should start with -- : " + a);
            }
            int eq = a.indexOf('=');
            String name = (eq < 0 ? a : a.substring(0, eq)).substring(2);
            if (!strings.contains(name) && !bools.contains(name)) {
                throw new SyntaxException(node.line(), "unknown flag: " + (eq < 0 ? a : a.substring(0, eq)));
            }
            if (strings.contains(name) && eq < 0) {
                throw new SyntaxException(node.line(), "missing a value on flag: " + a);
            }
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(eq < 0 ? "" : a.substring(eq + 1));
        }
        return out;
    }

    private static Optional<String> flag(Map<String, List<String>> flags, String name) {
        List<String> values = flags.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    /** BuildKit's {@code ParseInstruction}, for the instructions the scan reads. */
    static Instruction instruction(Node node, int escape) throws SyntaxException {
        String keyword = node.keyword().toLowerCase(Locale.ROOT);
        int line = node.line();
        List<String> args = node.args();
        if (!KNOWN.contains(keyword)) {
            throw new SyntaxException(line, "unknown instruction: " + node.keyword());
        }
        switch (keyword) {
            case "from" -> {
                String name = "";
                if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
                    name = args.get(2).toLowerCase(Locale.ROOT);
                    if (!STAGE_NAME.matcher(name).matches()) {
                        throw new SyntaxException(line, "invalid name for build stage: \"" + args.get(2)
                                + "\", name can't start with a number or contain symbols");
                    }
                } else if (args.size() != 1) {
                    throw new SyntaxException(line, "FROM requires either one or three arguments");
                }
                Map<String, List<String>> flags = flags(node, Set.of("platform"), Set.of());
                return new From(args.get(0), name, flag(flags, "platform").filter(p -> !p.isEmpty()), line);
            }
            case "arg" -> {
                if (args.isEmpty()) {
                    throw new SyntaxException(line, "ARG requires at least one argument");
                }
                List<Map.Entry<String, Optional<String>>> pairs = new ArrayList<>();
                for (String arg : args) {
                    int eq = arg.indexOf('=');
                    if (eq == 0) {
                        throw new SyntaxException(line, "ARG names can not be blank");
                    }
                    pairs.add(eq < 0 ? Map.entry(arg, Optional.empty())
                            : Map.entry(arg.substring(0, eq), Optional.of(arg.substring(eq + 1))));
                }
                flags(node, Set.of(), Set.of());
                return new Arg(List.copyOf(pairs), line);
            }
            case "env", "label" -> {
                flags(node, Set.of(), Set.of());
                if (args.isEmpty()) {
                    throw new SyntaxException(line, keyword.toUpperCase(Locale.ROOT) + " requires at least one argument");
                }
                List<Map.Entry<String, String>> pairs = new ArrayList<>();
                for (int i = 0; i + 1 < args.size(); i += 2) {
                    if (args.get(i).isEmpty()) {
                        throw new SyntaxException(line, keyword.toUpperCase(Locale.ROOT) + " names can not be blank");
                    }
                    pairs.add(Map.entry(args.get(i), args.get(i + 1)));
                }
                return new KeyValues(keyword.equals("env"), List.copyOf(pairs), line);
            }
            case "copy", "add" -> {
                String upper = keyword.toUpperCase(Locale.ROOT);
                if (args.size() < 2) {
                    throw new SyntaxException(line, upper + " requires at least two arguments, but only one was provided."
                            + " Destination could not be determined");
                }
                boolean copy = keyword.equals("copy");
                Map<String, List<String>> flags = copy
                        ? flags(node, Set.of("chown", "from", "chmod", "exclude"), Set.of("link", "parents"))
                        : flags(node, Set.of("chown", "chmod", "checksum", "exclude"),
                                Set.of("link", "keep-git-dir", "unpack"));
                List<String> expanded = new ArrayList<>();
                expanded.add(flag(flags, "chown").orElse(""));
                expanded.add(flag(flags, "chmod").orElse(""));
                if (!copy) {
                    expanded.add(flag(flags, "checksum").orElse(""));
                }
                String dest = args.get(args.size() - 1);
                if (parseHeredoc(dest, line).isPresent()) {
                    throw new SyntaxException(line, upper + " cannot accept a heredoc as a destination");
                }
                Map<String, Heredoc> byName = new HashMap<>();
                node.heredocs().forEach(h -> byName.put(h.name(), h));
                List<String> sources = new ArrayList<>();
                List<Heredoc> contents = new ArrayList<>();
                for (String src : args.subList(0, args.size() - 1)) {
                    Optional<Heredoc> heredoc = parseHeredoc(src, line);
                    if (heredoc.isPresent()) {
                        Heredoc found = byName.get(heredoc.get().name());
                        String content = found == null ? "" : found.content();
                        if (heredoc.get().chomp()) {
                            content = content.replaceAll("(?m)^\t+", "");
                        }
                        contents.add(new Heredoc(heredoc.get().name(), heredoc.get().expand(), false, content));
                    } else {
                        sources.add(src);
                    }
                }
                Optional<String> from = copy ? flag(flags, "from").filter(f -> !f.isEmpty()) : Optional.empty();
                return new Copy(from, expanded, sources, dest, contents, line);
            }
            case "workdir", "user", "stopsignal" -> {
                if (args.size() != 1) {
                    throw new SyntaxException(line, keyword.toUpperCase(Locale.ROOT) + " requires exactly one argument");
                }
                flags(node, Set.of(), Set.of());
                return new Words(args, false, line);
            }
            case "volume" -> {
                flags(node, Set.of(), Set.of());
                if (args.isEmpty()) {
                    throw new SyntaxException(line, "VOLUME requires at least one argument");
                }
                return new Words(args, false, line);
            }
            case "expose" -> {
                flags(node, Set.of(), Set.of());
                if (args.isEmpty()) {
                    throw new SyntaxException(line, "EXPOSE requires at least one argument");
                }
                return new Words(args, true, line);
            }
            case "run" -> {
                Map<String, List<String>> flags = flags(node, Set.of("mount", "network", "security", "device"),
                        Set.of());
                List<String> cmdLine = node.json() ? args : args.isEmpty() ? List.of() : List.of(String.join(" ", args));
                List<String> mounts = flags.getOrDefault("mount", List.of());
                List<String> froms = new ArrayList<>();
                for (String mount : mounts) {
                    mountFrom(mount, line).ifPresent(froms::add);
                }
                return new Run(mounts, List.copyOf(froms), cmdLine, !node.json(), node.heredocs(), line);
            }
            case "onbuild" -> {
                if (args.isEmpty()) {
                    throw new SyntaxException(line, "ONBUILD requires at least one argument");
                }
                String trigger = args.get(0).strip().toUpperCase(Locale.ROOT);
                if (trigger.equals("ONBUILD")) {
                    throw new SyntaxException(line, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                }
                if (trigger.equals("MAINTAINER") || trigger.equals("FROM")) {
                    throw new SyntaxException(line, trigger + " isn't allowed as an ONBUILD trigger");
                }
                StringBuilder expression = new StringBuilder(
                        node.original().replaceFirst("(?i)^\\s*ONBUILD\\s*", ""));
                for (Heredoc heredoc : node.heredocs()) {
                    expression.append('\n').append(heredoc.content()).append(heredoc.name());
                }
                return new Onbuild(expression.toString(), line);
            }
            default -> {
                return new Other(keyword, line);
            }
        }
    }

    /**
     * The {@code from=} of a {@code --mount} value (the last one wins), as BuildKit's parser reads it: a stage or an
     * image, never expanded, so a {@code $} is refused.
     */
    private static Optional<String> mountFrom(String mount, int line) throws SyntaxException {
        Optional<String> from = Optional.empty();
        for (String field : mountFields(mount)) {
            int eq = field.indexOf('=');
            if (eq < 0 || !field.substring(0, eq).toLowerCase(Locale.ROOT).equals("from")) {
                continue;
            }
            String value = field.substring(eq + 1);
            int dollar = value.indexOf('$');
            if (dollar >= 0 && dollar != value.length() - 1) {
                throw new SyntaxException(line, "'from' doesn't support variable expansion, define alias stage instead");
            }
            from = Optional.of(value);
        }
        return from;
    }

    /**
     * An ONBUILD trigger, read again on its own (default escape) as BuildKit does when a stage is built on the
     * stage that declares it, and placed at {@code line}: the FROM of that stage.
     */
    static Instruction trigger(Onbuild onbuild, int line) throws SyntaxException {
        Parsed parsed;
        try {
            parsed = parseNodes(onbuild.expression());
        } catch (SyntaxException e) {
            throw new SyntaxException(line, "ONBUILD trigger: " + e.getMessage());
        }
        if (parsed.nodes().size() != 1) {
            throw new SyntaxException(line, "onbuild trigger should be a single expression");
        }
        Node node = parsed.nodes().get(0);
        Node placed = new Node(node.keyword(), node.flags(), node.args(), node.json(), node.heredocs(),
                node.original(), line);
        try {
            return instruction(placed, parsed.escape());
        } catch (SyntaxException e) {
            throw new SyntaxException(line, "ONBUILD trigger: " + e.getMessage());
        }
    }

    /** The fields of a {@code --mount} value, as BuildKit reads it before expansion. */
    static List<String> mountFields(String mount) {
        // csv fields: commas outside double quotes split; quotes removed
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < mount.length(); i++) {
            char c = mount.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < mount.length() && mount.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                fields.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        fields.add(sb.toString());
        return fields;
    }
}
