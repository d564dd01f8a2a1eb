package io.jenkins.plugins.berth.model;

import java.util.Comparator;

/** A place in a deploy file, 1-based, printed the way compilers do: {@code FILE:LINE:COLUMN}. */
public record Position(String file, int line, int column) implements Comparable<Position> {

    private static final Comparator<Position> ORDER =
            Comparator.comparing(Position::file).thenComparingInt(Position::line).thenComparingInt(Position::column);

    public Position {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
        }
    }

    /** The first character of a file: where problems about the whole file are reported. */
    public static Position startOf(String file) {
        return new Position(file, 1, 1);
    }

    @Override
    public int compareTo(Position other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return OneLine.of(file) + ":" + line + ":" + column;
    }
}
