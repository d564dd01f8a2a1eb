package io.jenkins.plugins.berth.environments;

/** A write based on an old revision of a record: another writer changed it since it was read. */
public final class ConcurrentUpdateException extends StateException {
    private static final long serialVersionUID = 1L;

    public ConcurrentUpdateException(String environment, long stored, long expected) {
        super("environment " + environment + " was changed by another writer (revision " + stored + ", this change was"
                + " based on revision " + expected + "); read it again and redo the change");
    }
}
