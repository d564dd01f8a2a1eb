package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Variable expansion and word splitting as BuildKit's Dockerfile front end does them (its {@code shell.Lex}):
 * quotes, the escape token, {@code $X}, {@code ${X}} and the modifiers {@code :- - :+ + :? ? # ## % %% / //}.
 * Written after BuildKit's {@code frontend/dockerfile/shell/lex.go}, quirks included (a nested
 * {@code ${...}} word resets the word buffer of {@code words}), so that Berth reads a Dockerfile's words
 * as BuildKit does. Each {@link Env#get} call is one look-up of a name, in the order the lexer makes them.
 */
final class ShellLexer {

    private static final int EOF = -1;

    /** The variables a word is expanded with. */
    interface Env {
        /** The value of {@code name}, or empty when it is not set. */
        Optional<String> get(String name);
    }

    /** An expansion that BuildKit refuses ({@code ${X:0:2}}, an unclosed quote...). */
    static final class LexException extends Exception {
        private static final long serialVersionUID = 1L;

        LexException(String message) {
            super(message);
        }
    }

    private final int escapeToken;
    boolean rawQuotes;
    boolean rawEscapes;
    boolean skipProcessQuotes;
    boolean skipUnsetEnv;

    ShellLexer(int escapeToken) {
        this.escapeToken = escapeToken;
    }

    ShellLexer copy() {
        ShellLexer c = new ShellLexer(escapeToken);
        c.rawQuotes = rawQuotes;
        c.rawEscapes = rawEscapes;
        c.skipProcessQuotes = skipProcessQuotes;
        c.skipUnsetEnv = skipUnsetEnv;
        return c;
    }

    int escapeToken() {
        return escapeToken;
    }

    /** BuildKit's {@code ProcessWord}: the word with its variables expanded and its quotes removed. */
    String processWord(String word, Env env) throws LexException {
        return new Word(word, env).process().word;
    }

    /** BuildKit's {@code ProcessWords}: the same, split into words after the expansion. */
    List<String> processWords(String word, Env env) throws LexException {
        return new Word(word, env).process().words;
    }

    private record Result(String word, List<String> words) {}

    /** One run of the lexer over a word: BuildKit's {@code shellWord}. */
    private final class Word {
        private final int[] chars;
        private int pos;
        private final Env env;
        private boolean rawEscapes = ShellLexer.this.rawEscapes;
        /** Shared by every nested {@code processStopOn}, as BuildKit's {@code wordsBuffer} is. */
        private final StringBuilder wordsBuffer = new StringBuilder();

        Word(String word, Env env) {
            this.chars = word.codePoints().toArray();
            this.env = env;
        }

        int peek() {
            return pos < chars.length ? chars[pos] : EOF;
        }

        int next() {
            return pos < chars.length ? chars[pos++] : EOF;
        }

        Result process() throws LexException {
            return processStopOn(EOF, rawEscapes, false);
        }

        /** BuildKit's {@code wordsStruct}. */
        private final class Words {
            final List<String> words = new ArrayList<>();
            boolean inWord;

            void addChar(int ch) {
                if (Character.isWhitespace(ch) && inWord) {
                    if (wordsBuffer.length() != 0) {
                        words.add(wordsBuffer.toString());
                        wordsBuffer.setLength(0);
                        inWord = false;
                    }
                } else if (!Character.isWhitespace(ch)) {
                    addRawChar(ch);
                }
            }

            void addRawChar(int ch) {
                wordsBuffer.appendCodePoint(ch);
                inWord = true;
            }

            void addString(String s) {
                s.codePoints().forEach(this::addChar);
            }

            void addRawString(String s) {
                wordsBuffer.append(s);
                inWord = true;
            }

            List<String> getWords() {
                if (wordsBuffer.length() > 0) {
                    words.add(wordsBuffer.toString());
                    wordsBuffer.setLength(0);
                    inWord = false;
                }
                return words;
            }
        }

        Result processStopOn(int stopChar, boolean raw, boolean preservePatternEscapes) throws LexException {
            StringBuilder result = new StringBuilder();
            wordsBuffer.setLength(0);
            Words words = new Words();
            boolean saved = rawEscapes;
            rawEscapes = raw;
            try {
                while (peek() != EOF) {
                    int ch = peek();
                    if (stopChar != EOF && ch == stopChar) {
                        next();
                        return new Result(result.toString(), words.getWords());
                    }
                    String special = null;
                    if (ch == '$') {
                        special = processDollar();
                    } else if (ch == '<') {
                        special = processPossibleHeredoc();
                    } else if (!skipProcessQuotes && ch == '\'') {
                        special = processSingleQuote(preservePatternEscapes);
                    } else if (!skipProcessQuotes && ch == '"') {
                        special = processDoubleQuote(preservePatternEscapes);
                    }
                    if (special != null) {
                        result.append(special);
                        if (ch == '$') {
                            words.addString(special);
                        } else {
                            words.addRawString(special);
                        }
                        continue;
                    }
                    ch = next();
                    if (ch == escapeToken) {
                        if (rawEscapes) {
                            words.addRawChar(ch);
                            result.appendCodePoint(ch);
                        }
                        ch = next();
                        if (ch == EOF) {
                            break;
                        }
                        words.addRawChar(ch);
                    } else {
                        words.addChar(ch);
                    }
                    result.appendCodePoint(ch);
                }
                if (stopChar != EOF) {
                    throw new LexException("unexpected end of statement while looking for matching "
                            + Character.toString(stopChar));
                }
                return new Result(result.toString(), words.getWords());
            } finally {
                rawEscapes = saved;
            }
        }

        String processSingleQuote(boolean preservePatternEscapes) throws LexException {
            StringBuilder result = new StringBuilder();
            int ch = next();
            if (rawQuotes) {
                result.appendCodePoint(ch);
            }
            while (true) {
                ch = next();
                if (ch == EOF) {
                    throw new LexException("unexpected end of statement while looking for matching single-quote");
                }
                if (ch == '\'') {
                    if (rawQuotes) {
                        result.appendCodePoint(ch);
                    }
                    return result.toString();
                }
                if (preservePatternEscapes && ch == escapeToken) {
                    result.appendCodePoint(ch);
                }
                result.appendCodePoint(ch);
            }
        }

        String processDoubleQuote(boolean preservePatternEscapes) throws LexException {
            StringBuilder result = new StringBuilder();
            int ch = next();
            if (rawQuotes) {
                result.appendCodePoint(ch);
            }
            while (true) {
                int p = peek();
                if (p == EOF) {
                    throw new LexException("unexpected end of statement while looking for matching double-quote");
                }
                if (p == '"') {
                    ch = next();
                    if (rawQuotes) {
                        result.appendCodePoint(ch);
                    }
                    return result.toString();
                }
                if (p == '$') {
                    result.append(processDollar());
                    continue;
                }
                ch = next();
                if (ch == escapeToken) {
                    int after = peek();
                    if (after == EOF) {
                        continue; // a lone escape at the end of the word is dropped
                    } else if (after == '"' || after == '$' || after == escapeToken) {
                        if (rawEscapes) {
                            result.appendCodePoint(ch);
                        }
                        ch = next();
                    } else if (rawEscapes && (!rawQuotes || preservePatternEscapes)) {
                        result.appendCodePoint(ch);
                    }
                }
                result.appendCodePoint(ch);
            }
        }

        String processDollar() throws LexException {
            next();
            if (peek() != '{') {
                String name = processName();
                if (name.isEmpty()) {
                    return "$";
                }
                Optional<String> value = getEnv(name);
                if (value.isEmpty() && skipUnsetEnv) {
                    return "$" + name;
                }
                return value.orElse("");
            }
            next();
            int p = peek();
            if (p == EOF) {
                throw new LexException("syntax error: missing '}'");
            }
            if (p == '{' || p == '}' || p == ':') {
                throw new LexException("syntax error: bad substitution");
            }
            String name = processName();
            int ch = next();
            String chs = ch == EOF ? "" : Character.toString(ch);
            boolean nullIsUnset = false;
            if (ch == '}') {
                Optional<String> value = getEnv(name);
                if (value.isEmpty() && skipUnsetEnv) {
                    return "${" + name + "}";
                }
                return value.orElse("");
            }
            if (ch == ':') {
                nullIsUnset = true;
                ch = next();
                chs += ch == EOF ? "" : Character.toString(ch);
            }
            if (nullIsUnset || ch == '+' || ch == '-' || ch == '?' || ch == '#' || ch == '%') {
                // Go's fallthrough from ':' into the modifier case: the word is read before the modifier is checked.
                boolean patternEscapes = ch == '#' || ch == '%';
                if (nullIsUnset && patternEscapes) {
                    throw new LexException("unsupported modifier (" + chs + ") in substitution");
                }
                String word = readModifierWord(patternEscapes);
                Optional<String> found = getEnv(name);
                if (skipUnsetEnv && found.isEmpty()) {
                    return "${" + name + chs + word + "}";
                }
                boolean set = found.isPresent();
                String value = found.orElse("");
                switch (ch) {
                    case '-':
                        return !set || (nullIsUnset && value.isEmpty()) ? word : value;
                    case '#', '%':
                        boolean greedy = false;
                        if (!word.isEmpty() && word.charAt(0) == ch) {
                            greedy = true;
                            word = word.substring(1);
                        }
                        return ch == '%' ? trimSuffix(word, value, greedy) : trimPrefix(word, value, greedy);
                    case '+':
                        return !set || (nullIsUnset && value.isEmpty()) ? "" : word;
                    case '?':
                        if (!set) {
                            throw new LexException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                        }
                        if (nullIsUnset && value.isEmpty()) {
                            throw new LexException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                        }
                        return value;
                    default:
                        throw new LexException("unsupported modifier (" + chs + ") in substitution");
                }
            }
            if (ch == '/') {
                boolean replaceAll = peek() == '/';
                if (replaceAll) {
                    next();
                }
                String pattern;
                try {
                    pattern = processStopOn('/', true, true).word;
                } catch (LexException e) {
                    if (peek() == EOF) {
                        throw new LexException("syntax error: missing '/' in ${}");
                    }
                    throw e;
                }
                String replacement;
                try {
                    replacement = processStopOn('}', true, false).word;
                } catch (LexException e) {
                    if (peek() == EOF) {
                        throw new LexException("syntax error: missing '}'");
                    }
                    throw e;
                }
                Optional<String> found = getEnv(name);
                if (skipUnsetEnv && found.isEmpty()) {
                    return "${" + name + "/" + pattern + "/" + replacement + "}";
                }
                String value = found.orElse("");
                Pattern re = shellPattern(pattern, true, false);
                Matcher m = re.matcher(value);
                if (replaceAll) {
                    return m.replaceAll(Matcher.quoteReplacement(replacement));
                }
                return m.find() ? value.substring(0, m.start()) + replacement + value.substring(m.end()) : value;
            }
            throw new LexException("unsupported modifier (" + chs + ") in substitution");
        }

        private String readModifierWord(boolean patternEscapes) throws LexException {
            try {
                return processStopOn('}', patternEscapes, patternEscapes).word;
            } catch (LexException e) {
                if (peek() == EOF) {
                    throw new LexException("syntax error: missing '}'");
                }
                throw e;
            }
        }

        String processName() {
            StringBuilder name = new StringBuilder();
            while (peek() != EOF) {
                int ch = peek();
                if (name.length() == 0 && Character.isDigit(ch)) {
                    while (peek() != EOF && Character.isDigit(peek())) {
                        name.appendCodePoint(next());
                    }
                    return name.toString();
                }
                if (name.length() == 0 && isSpecialParam(ch)) {
                    return Character.toString(next());
                }
                if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                    break;
                }
                name.appendCodePoint(next());
            }
            return name.toString();
        }

        String processPossibleHeredoc() {
            next();
            if (peek() != '<') {
                return "<";
            }
            next();
            StringBuilder space = new StringBuilder();
            while (peek() == '\t' || peek() == '\r' || peek() == ' ') {
                space.appendCodePoint(next());
            }
            return "<<" + space;
        }

        Optional<String> getEnv(String name) {
            return env.get(name);
        }
    }

    private static boolean isSpecialParam(int ch) {
        return ch == '@' || ch == '*' || ch == '#' || ch == '?' || ch == '-' || ch == '$' || ch == '!' || ch == '0';
    }

    /** BuildKit's {@code convertShellPatternToRegex}: {@code ?} one character, {@code *} any run. */
    static Pattern shellPattern(String pattern, boolean greedy, boolean anchored) throws LexException {
        StringBuilder out = new StringBuilder();
        if (anchored) {
            out.append('^');
        }
        String star = greedy ? ".*" : ".*?";
        int[] cs = pattern.codePoints().toArray();
        for (int i = 0; i < cs.length; i++) {
            int tok = cs[i];
            switch (tok) {
                case '*' -> {
                    out.append(star);
                    continue;
                }
                case '?' -> {
                    out.append('.');
                    continue;
                }
                case '\\' -> {
                    int peek = i + 1 < cs.length ? cs[i + 1] : EOF;
                    if (peek == '}' || peek == '/') {
                        continue;
                    }
                    out.append('\\');
                    i++;
                    tok = i < cs.length ? cs[i] : EOF;
                    if (tok != '*' && tok != '?' && tok != '\\') {
                        throw new LexException("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                                + (tok == EOF ? "" : Character.toString(tok)) + "'");
                    }
                }
                case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$' -> out.append('\\');
                default -> {
                    // as it is
                }
            }
            if (tok == EOF) {
                break;
            }
            out.appendCodePoint(tok);
        }
        try {
            return Pattern.compile(out.toString(), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new LexException("invalid pattern (" + pattern + ") in substitution: " + e.getDescription());
        }
    }

    private static String trimPrefix(String word, String value, boolean greedy) throws LexException {
        Matcher m = shellPattern(word, greedy, true).matcher(value);
        return m.find() ? value.substring(m.end()) : value;
    }

    private static String trimSuffix(String pattern, String word, boolean greedy) throws LexException {
        return reverse(trimPrefix(reversePattern(pattern), reverse(word), greedy));
    }

    private static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    /** Reverses a pattern but keeps each escape before the character it escapes. */
    private static String reversePattern(String pattern) {
        int[] in = pattern.codePoints().toArray();
        int[] out = new int[in.length];
        int last = in.length - 1;
        for (int i = 0; i <= last;) {
            int tok = in[i];
            int outIdx = last - i;
            if (tok == '\\' && i != last) {
                out[outIdx - 1] = tok;
                out[outIdx] = in[i + 1];
                i += 2;
            } else {
                out[outIdx] = tok;
                i++;
            }
        }
        return new String(out, 0, out.length);
    }
}
