package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.SecretSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code --secrets FILE} of the CLI: one {@code credential-id=value} per line, the id being what
 * the deploy file's {@code secrets} names. Blank lines and lines starting with {@code #} are skipped.
 * The value is the rest of the line as written; a value in double quotes may use {@code \n},
 * {@code \"} and {@code \\}, which is how a secret of several lines is written. Errors name the line,
 * never its value.
 */
final class SecretsFile {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@/-]+");

    private SecretsFile() {}

    /** A secrets file that cannot be used. */
    static final class SecretsFileException extends Exception {
        private static final long serialVersionUID = 1L;

        SecretsFileException(String message) {
            super(message);
        }
    }

    static SecretSource read(Path file) throws IOException, SecretsFileException {
        return SecretSource.of(parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
    }

    static Map<String, String> parse(String name, String content) throws SecretsFileException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines = content.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = name + ":" + (i + 1) + ": ";
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new SecretsFileException(where + "expected credential-id=value");
            }
            String id = line.substring(0, equals).strip();
            if (!ID.matcher(id).matches()) {
                throw new SecretsFileException(where + "'" + id + "' is not a credential id (letters, digits and"
                        + " . _ - : @ / only)");
            }
            if (values.containsKey(id)) {
                throw new SecretsFileException(where + "credential '" + id + "' is given twice");
            }
            values.put(id, value(line.substring(equals + 1), where + "the value of '" + id + "' "));
        }
        return values;
    }

    private static String value(String raw, String where) throws SecretsFileException {
        if (!raw.startsWith("\"")) {
            return raw;
        }
        if (raw.length() < 2 || !raw.endsWith("\"")) {
            throw new SecretsFileException(where + "starts with a double quote but does not end with one");
        }
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (i + 1 >= raw.length() - 1) {
                throw new SecretsFileException(where + "ends with a lone backslash");
            }
            char next = raw.charAt(++i);
            switch (next) {
                case 'n' -> value.append('\n');
                case '"' -> value.append('"');
                case '\\' -> value.append('\\');
                default -> throw new SecretsFileException(where + "uses \\" + next
                        + "; inside double quotes only \\n, \\\" and \\\\ are escapes");
            }
        }
        return value.toString();
    }
}
