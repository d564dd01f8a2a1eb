package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsFileTest {

    @Test
    void readsIdsAndValuesAsWritten() throws Exception {
        assertThat(SecretsFile.parse("s.env", """
                # comment
                db-password=p@ss w0rd'"$HOME;`id`=x \\n

                  jenkins/token = spaced value\s
                multi="-----BEGIN-----\\nline \\"two\\"\\n\\\\end"
                empty=
                """)).containsExactly(
                Map.entry("db-password", "p@ss w0rd'\"$HOME;`id`=x \\n"),
                Map.entry("jenkins/token", " spaced value "),
                Map.entry("multi", "-----BEGIN-----\nline \"two\"\n\\end"),
                Map.entry("empty", ""));
    }

    @Test
    void errorsNameTheLineButNeverTheValue() {
        assertThatThrownBy(() -> SecretsFile.parse("s.env", "a=1\nhunter2\n"))
                .hasMessage("s.env:2: expected credential-id=value");
        assertThatThrownBy(() -> SecretsFile.parse("s.env", "a=1\na=hunter2\n"))
                .hasMessage("s.env:2: credential 'a' is given twice");
        assertThatThrownBy(() -> SecretsFile.parse("s.env", "bad id=hunter2\n"))
                .hasMessage("s.env:1: 'bad id' is not a credential id (letters, digits and . _ - : @ / only)");
        assertThatThrownBy(() -> SecretsFile.parse("s.env", "a=\"hunter2\n"))
                .hasMessage("s.env:1: the value of 'a' starts with a double quote but does not end with one");
        assertThatThrownBy(() -> SecretsFile.parse("s.env", "a=\"hunter2\\t\"\n"))
                .hasMessage("s.env:1: the value of 'a' uses \\t; inside double quotes only \\n, \\\" and \\\\ are escapes");
    }
}
