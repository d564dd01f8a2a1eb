package io.jenkins.plugins.berth.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    /** A secret with regex and shell characters, as EngineTest uses. */
    private static final String SECRET = "p@ss w0rd'\"$HOME;`id`|&*.+?(x)\\n";

    @Test
    void masksEveryOccurrenceWithRegexAndShellCharactersTakenLiterally() {
        SecretMasker masker = SecretMasker.of(List.of(SECRET));
        assertThat(masker.mask("a " + SECRET + " b " + SECRET)).isEqualTo("a **** b ****");
        assertThat(masker.mask("p@ss w0rd")).isEqualTo("p@ss w0rd");
    }

    @Test
    void theLongestSecretWinsSoNoPartOfItShows() {
        SecretMasker masker = SecretMasker.of(List.of("abc", "abcdef"));
        assertThat(masker.mask("xabcdefx abc")).isEqualTo("x****x ****");
    }

    @Test
    void aSecretOfSeveralLinesIsMaskedLineByLine() {
        SecretMasker masker = SecretMasker.of(List.of("first-line\r\n  second-line  \n\nthird"));
        assertThat(masker.mask("first-line")).isEqualTo("****");
        assertThat(masker.mask("    second-line")).isEqualTo("    ****");
        assertThat(masker.mask("the third one")).isEqualTo("the **** one");
        // Blank lines of a secret are not masked: that would mask every empty line.
        assertThat(masker.mask("")).isEmpty();
        assertThat(masker.mask("  ")).isEqualTo("  ");
    }

    @Test
    void withoutSecretsTextIsUnchanged() {
        assertThat(SecretMasker.none().mask("anything $1 \\")).isEqualTo("anything $1 \\");
        assertThat(SecretMasker.of(List.of("", " ")).mask("a b")).isEqualTo("a b");
    }

    @Test
    void theMaskedLogMasksMessagesAndOutput() {
        RecordingLog log = new RecordingLog();
        Log masked = Log.masked(log, SecretMasker.of(List.of("s3cret")));
        masked.error("failed: s3cret rejected");
        masked.output("stage", "token=s3cret");
        assertThat(log.lines()).containsExactly("ERROR: failed: **** rejected", "[stage] token=****");
    }
}
