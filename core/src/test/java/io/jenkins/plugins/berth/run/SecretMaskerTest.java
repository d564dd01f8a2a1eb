package io.jenkins.plugins.berth.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
        SecretMasker masker = SecretMasker.of(List.of("abcd", "abcdefgh"));
        assertThat(masker.mask("xabcdefghx abcd")).isEqualTo("x****x ****");
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
    void base64FormsAreMaskedAloneAndInsideLongerBase64Text() {
        SecretMasker masker = SecretMasker.of(List.of(SECRET));
        for (String text : List.of(SECRET, SECRET + "\n", "berth:" + SECRET, "x" + SECRET + "yz", "ab" + SECRET)) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
                String encoded = encoder.encodeToString(bytes);
                String shown = masker.mask("Authorization: Basic " + encoded);
                assertThat(shown).as(text).contains(SecretMasker.MASK).doesNotContain(encoded);
                // Left unmasked: what encodes the bytes around the secret, and a character or two it shares with them.
                String left = shown.substring("Authorization: Basic ".length()).replace(SecretMasker.MASK, "");
                int around = bytes.length - SECRET.getBytes(StandardCharsets.UTF_8).length;
                assertThat(left.replace("=", "")).as(text).hasSizeLessThanOrEqualTo((4 * around + 2) / 3 + 4);
            }
        }
    }

    @Test
    void urlEncodedAndJsonEscapedFormsAreMasked() {
        SecretMasker masker = SecretMasker.of(List.of(SECRET));
        String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        assertThat(masker.mask("?password=" + form + "&x=1")).isEqualTo("?password=****&x=1");
        assertThat(masker.mask("/" + form.replace("+", "%20") + "/")).isEqualTo("/****/");
        String json = "{\"password\": \"" + SECRET.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        assertThat(masker.mask(json)).isEqualTo("{\"password\": \"****\"}");
        assertThat(SecretMasker.of(List.of("a<b>&c")).mask("\"a\\u003cb\\u003e\\u0026c\"")).isEqualTo("\"****\"");
    }

    /** Masking a very short value by substring shows it ("D****ploying" says the secret is "e"): it is not masked. */
    @Test
    void aValueShorterThanTheMinimumIsNotMaskedAtAll() {
        SecretMasker masker = SecretMasker.none();
        for (String tooShort : List.of("e", "ab", "abc", "  xyz  ", "éé\n")) {
            assertThat(masker.add(tooShort)).as(tooShort).isFalse();
            assertThat(SecretMasker.isMaskable(tooShort)).as(tooShort).isFalse();
        }
        assertThat(masker.mask("Deploying abc to the lab: xyz")).isEqualTo("Deploying abc to the lab: xyz");
        assertThat(masker.add("abcd")).isTrue();
        assertThat(masker.mask("abcd abc")).isEqualTo("**** abc");
    }

    /** A JSON secret: masked whole, and by the lines that carry something, not by its braces. */
    @Test
    void aSecretOfSeveralLinesIsMaskedWholeAndByItsSignificantLinesOnly() {
        String json = "{\n  \"type\": \"service_account\",\n  \"key\": \"k3y-m4terial\",\n  \"n\": [\n    1\n  ]\n}\n";
        SecretMasker masker = SecretMasker.of(List.of(json));
        for (String ordinary : List.of("{", "}", "  ],", "[", "1", "    1", "-----", "{ \"ok\": true }")) {
            assertThat(masker.mask(ordinary)).as(ordinary).isEqualTo(ordinary);
        }
        assertThat(masker.mask("  \"key\": \"k3y-m4terial\",")).isEqualTo("  ****");
        assertThat(masker.mask("value: " + json + " end")).isEqualTo("value: **** end");
        // Its JSON-escaped form, as a tool that prints it on one line shows it.
        String escaped = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(json));
        assertThat(masker.mask("\"" + escaped + "\"")).isEqualTo("\"****\"");
        // Lines ended by a lone CR are lines too.
        assertThat(SecretMasker.of(List.of("line-one\rline-two")).mask("a line-two b")).isEqualTo("a **** b");
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
