package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.TestFiles;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateAndDurationTest {

    private static Template variable(String value) {
        return TestFiles.valid("version: 1\nvariables:\n  X: " + value + "\n  A: a\n  B: b\n").variables().get("X").value();
    }

    @Test
    void templateParsesBackToItself() {
        for (String text : new String[] {"\"plain\"", "\"${A}-${B}\"", "\"$${A} and ${B}\"", "\"cost: $5 ${A}\""}) {
            Template template = variable(text);
            String unquoted = text.substring(1, text.length() - 1);
            assertThat(template.toString()).isEqualTo(unquoted);
            assertThat(variable("\"" + template + "\"")).extracting(Template::parts).isEqualTo(template.parts());
        }
    }

    @Test
    void resolveAndRender() {
        Template template = variable("\"${A}/${B}/$${C}\"");
        Map<String, String> values = Map.of("A", "1", "B", "${x}");
        assertThat(template.resolve(n -> Optional.ofNullable(values.get(n)))).isEqualTo("1/${x}/${C}");
        assertThat(template.render(n -> Optional.ofNullable(values.get(n)))).isEqualTo("1/$${x}/$${C}");
        assertThat(template.render(n -> Optional.empty())).isEqualTo("${A}/${B}/$${C}");
        assertThatThrownBy(() -> template.resolve(n -> Optional.empty())).hasMessageContaining("${A} has no value here");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
        assertThat(Durations.parse("10m")).contains(Duration.ofMinutes(10));
        assertThat(Durations.parse("3h")).contains(Duration.ofHours(3));
        assertThat(Durations.parse("3d")).contains(Duration.ofDays(3));
        assertThat(Durations.parse("0")).contains(Duration.ZERO);
        for (String bad : new String[] {"", "3", "3 d", "1h30m", "-1s", "01s", "3w", "1.5h", "99999999s"}) {
            assertThat(Durations.parse(bad)).as(bad).isEmpty();
        }
        for (String good : new String[] {"0", "45s", "90s", "2m", "5h", "7d"}) {
            assertThat(Durations.format(Durations.parse(good).orElseThrow())).isEqualTo(good);
        }
    }

    @Test
    void suggestions() {
        assertThat(Suggestions.closest("stags", Keys.TOP)).contains("stages");
        assertThat(Suggestions.closest("imgaes", Keys.TOP)).contains("images");
        assertThat(Suggestions.closest("zzzzzz", Keys.TOP)).isEmpty();
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
    }
}
