package io.jenkins.plugins.berth.bluegreen;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.berth.model.Deploy;
import java.util.Locale;

/** One of the two copies of the application: one serves traffic, the other receives the next version. */
public enum Color {
    BLUE, GREEN;

    public Color other() {
        return this == BLUE ? GREEN : BLUE;
    }

    /** The local port of this colour ({@code colors:} of the deploy block). */
    public int port(Deploy.Colors colors) {
        return this == BLUE ? colors.blue() : colors.green();
    }

    @JsonValue
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Color of(String keyword) {
        return valueOf(keyword.toUpperCase(Locale.ROOT));
    }
}
