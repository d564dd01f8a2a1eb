package io.jenkins.plugins.berth.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Jenkins credential bound around every deploy and teardown of a folder, for the cloud its stacks
 * and stages talk to. Written one per line, as the folder's form takes them:
 * <pre>
 * aws shop-aws-deployer
 * file GOOGLE_APPLICATION_CREDENTIALS=shop-gcp-key
 * string ARM_CLIENT_SECRET=shop-azure-secret
 * </pre>
 * {@code aws} binds AWS keys (aws-credentials) as {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY};
 * {@code file} and {@code string} bind a secret file's path or a secret text to the named variable.
 */
public record CloudCredential(Kind kind, String credentialsId, String variable) {

    /** How the credential is bound. */
    public enum Kind {
        AWS, FILE, STRING;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ID = Pattern.compile("[^\\s=]+");

    /**
     * The credentials of a form's text: one per line, blank lines and {@code #} comments skipped.
     *
     * @throws IllegalArgumentException naming the line and column of the first mistake, and what to write
     */
    public static List<CloudCredential> parseAll(String text) {
        List<CloudCredential> credentials = new ArrayList<>();
        if (text == null) {
            return credentials;
        }
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                credentials.add(parse(lines[i], i + 1));
            }
        }
        return List.copyOf(credentials);
    }

    private static CloudCredential parse(String line, int number) {
        int indent = line.length() - line.stripLeading().length();
        String[] words = line.strip().split("\\s+");
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.keyword().equals(words[0])).findFirst()
                .orElseThrow(() -> mistake(number, indent + 1, "'" + words[0] + "' is no kind of credential binding;"
                        + " start the line with aws, file or string"));
        if (words.length != 2) {
            throw mistake(number, indent + 1, "write one binding per line: aws <credentials id>, or "
                    + kind.keyword() + " <VARIABLE>=<credentials id>");
        }
        int column = line.indexOf(words[1], indent + words[0].length()) + 1;
        if (kind == Kind.AWS) {
            if (!ID.matcher(words[1]).matches()) {
                throw mistake(number, column, "write the credentials id alone: aws <credentials id>");
            }
            return new CloudCredential(kind, words[1], "");
        }
        int equals = words[1].indexOf('=');
        String variable = equals < 0 ? "" : words[1].substring(0, equals);
        String id = equals < 0 ? "" : words[1].substring(equals + 1);
        if (!VARIABLE.matcher(variable).matches()) {
            throw mistake(number, column, "write " + kind.keyword() + " <VARIABLE>=<credentials id>, the variable a"
                    + " shell name such as GOOGLE_APPLICATION_CREDENTIALS");
        }
        if (!ID.matcher(id).matches()) {
            throw mistake(number, column + equals + 1, "name the credentials id after '='");
        }
        return new CloudCredential(kind, id, variable);
    }

    private static IllegalArgumentException mistake(int line, int column, String what) {
        return new IllegalArgumentException("cloud credentials, line " + line + ", column " + column + ": " + what);
    }

    /** As the {@code berth} variable reads it: {@code [kind: 'file', credentialsId: 'x', variable: 'V']}. */
    public Map<String, Object> forPipeline() {
        return Map.of("kind", kind.keyword(), "credentialsId", credentialsId, "variable", variable);
    }

    /** The line that parses back to this credential. */
    public String line() {
        return kind == Kind.AWS ? "aws " + credentialsId : kind.keyword() + " " + variable + "=" + credentialsId;
    }
}
