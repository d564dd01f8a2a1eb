package io.jenkins.plugins.berth.model;

/**
 * One thing wrong with a deploy file, where it is and what to do about it. The message is always one line
 * ({@link OneLine}): a value it quotes cannot break the {@code FILE:LINE:COLUMN: message} shape.
 */
public record Problem(Position position, String message) implements Comparable<Problem> {

    public Problem {
        message = OneLine.of(message);
    }

    @Override
    public int compareTo(Problem other) {
        int byPosition = position.compareTo(other.position);
        return byPosition != 0 ? byPosition : message.compareTo(other.message);
    }

    @Override
    public String toString() {
        return position + ": " + message;
    }
}
