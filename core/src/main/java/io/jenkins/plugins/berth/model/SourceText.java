package io.jenkins.plugins.berth.model;

import java.util.Arrays;

/**
 * The text of a deploy file as code points, able to turn an index (as snakeyaml counts them) into a
 * line and column. Keeps the raw text so positions inside a scalar (a {@code ${NAME}} reference) can
 * be found exactly, whatever the scalar's quoting style.
 */
final class SourceText {
    private final String file;
    private final int[] codePoints;
    private final int[] lineStarts;

    SourceText(String file, String text) {
        this.file = file;
        this.codePoints = text.codePoints().toArray();
        int[] starts = new int[16];
        int lines = 1;
        for (int i = 0; i < codePoints.length; i++) {
            if (endsLine(i)) {
                if (lines == starts.length) {
                    starts = Arrays.copyOf(starts, lines * 2);
                }
                starts[lines++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, lines);
    }

    /**
     * Whether a line ends at {@code index}, as snakeyaml counts lines: at {@code \n}, a {@code \r} not followed
     * by {@code \n} (old Mac files), U+0085, U+2028 and U+2029. A {@code \r\n} ends its line at the {@code \n}.
     */
    private boolean endsLine(int index) {
        int c = codePoints[index];
        return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029
                || (c == '\r' && (index + 1 == codePoints.length || codePoints[index + 1] != '\n'));
    }

    String file() {
        return file;
    }

    int length() {
        return codePoints.length;
    }

    /** The position of the code point at {@code index} (clamped to the text). */
    Position position(int index) {
        int clamped = Math.max(0, Math.min(index, codePoints.length));
        int line = Arrays.binarySearch(lineStarts, clamped);
        if (line < 0) {
            line = -line - 2;
        }
        return new Position(file, line + 1, clamped - lineStarts[line] + 1);
    }

    /** The raw text between two code point indexes, as written in the file. */
    String slice(int from, int to) {
        int start = Math.max(0, Math.min(from, codePoints.length));
        int end = Math.max(start, Math.min(to, codePoints.length));
        return new String(codePoints, start, end - start);
    }

    /**
     * Where each {@code ${} that starts a reference sits between two indexes: a {@code $$} escape
     * is skipped, exactly as {@link Template} reads the value.
     */
    java.util.List<Integer> referenceStarts(int from, int to) {
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        int end = Math.min(to, codePoints.length);
        for (int i = Math.max(0, from); i + 1 < end; i++) {
            if (codePoints[i] == '$' && codePoints[i + 1] == '$') {
                i++;
            } else if (codePoints[i] == '$' && codePoints[i + 1] == '{') {
                starts.add(i);
            }
        }
        return starts;
    }
}
