package io.jenkins.plugins.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SummaryTest {

    /** What durations read as with String.format, which the whole-number arithmetic replaced. */
    private static String formatted(long millis) {
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.2fs", millis / 1000.0);
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        Duration d = Duration.ofMillis(millis);
        return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    @Test
    void durationsReadAsFormattedOnesEveryMillisecondUpToTwoMinutesAndBeyond() {
        for (long millis = 0; millis <= 125_000; millis++) {
            assertThat(Summary.duration(millis)).as("%d ms", millis).isEqualTo(formatted(millis));
        }
        for (long millis : new long[] {3_599_999, 3_600_000, 86_400_000L * 3 + 1}) {
            assertThat(Summary.duration(millis)).isEqualTo(formatted(millis));
        }
        assertThat(Summary.duration(20)).isEqualTo("0.02s");
        assertThat(Summary.duration(12_345)).isEqualTo("12.3s");
        assertThat(Summary.duration(125_000)).isEqualTo("2m05s");
    }
}
