package io.jenkins.plugins.berth.model;

/**
 * Text made safe to print on one line of a report: a value quoted in a message may hold a line break or
 * another control character (a double-quoted YAML key {@code "a\nb"}), which would break the
 * {@code FILE:LINE:COLUMN: message} shape editors and CI parsers rely on. Such characters are shown as
 * escapes: {@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}.
 */
public final class OneLine {

    private OneLine() {}

    public static String of(String text) {
        if (text.codePoints().noneMatch(OneLine::breaks)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (!breaks(c)) {
                out.appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04X", c));
            }
        });
        return out.toString();
    }

    /** Control characters, and the line and paragraph separators some editors and YAML itself break lines at. */
    private static boolean breaks(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
    }
}
