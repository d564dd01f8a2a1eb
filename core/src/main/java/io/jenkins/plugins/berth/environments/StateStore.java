package io.jenkins.plugins.berth.environments;

import java.io.IOException;
import java.util.Optional;

/**
 * Where environment records live. The CLI keeps them in a folder ({@link DirectoryStateStore}); the
 * plugin keeps them in Jenkins. Writes are atomic: a reader sees the old record or the new one.
 */
public interface StateStore {

    Optional<EnvironmentRecord> read(String environment) throws IOException, StateException;

    /**
     * Writes {@code record} if the stored one still has {@code record.revision()} (0: none stored yet),
     * and returns it with the next revision.
     *
     * @throws ConcurrentUpdateException when another writer changed the record since it was read
     */
    EnvironmentRecord write(EnvironmentRecord record) throws IOException, StateException;

    /**
     * Reads, changes and writes a record as one step, so no other writer can come in between: the way to
     * change one field without undoing another writer's change to another. {@code change} gets the
     * stored record, if any, and returns the new one (its revision is set here).
     */
    EnvironmentRecord update(String environment,
            java.util.function.Function<java.util.Optional<EnvironmentRecord>, EnvironmentRecord> change)
            throws IOException, StateException;

    /**
     * Keeps {@code files} (paths relative to the repository root, and their bytes) with the environment,
     * replacing what was kept before: the deploy file and the scripts of its teardown stages, so that a
     * teardown never needs the branch.
     */
    void keep(String environment, java.util.Map<String, byte[]> files) throws IOException;

    /**
     * Every environment record, by name; refuses to answer when one cannot be read. For callers that must
     * not act on part of the picture (is a shared stack still used?); listings use {@link #records}.
     *
     * @throws StateException naming the first record that cannot be read
     */
    java.util.List<EnvironmentRecord> all() throws IOException, StateException;

    /**
     * Every environment record that can be read, by name, and apart the records that cannot (truncated,
     * unreadable, written by a newer Berth): one bad record must not hide the others.
     */
    Records records() throws IOException;

    /**
     * What listings and reaping need of every environment ({@link EnvironmentSummary}), by name, and apart the records
     * that cannot be read. A folder store reads its records index; this default reads every record.
     */
    default Summaries summaries() throws IOException {
        Summaries.Collector all = new Summaries.Collector();
        eachSummary(all);
        return all.summaries();
    }

    /**
     * Hands each environment's summary (and each record that cannot be read) to {@code visitor}, in name order. A
     * folder store streams its index, holding no more than a few lines; this default reads every record.
     */
    default void eachSummary(SummaryVisitor visitor) throws IOException {
        Records records = records();
        for (EnvironmentRecord record : records.readable()) {
            visitor.readable(record.summary());
        }
        for (Unreadable unreadable : records.unreadable()) {
            visitor.unreadable(unreadable);
        }
    }

    /** What a listing hands each environment to, in name order: its summary, or why its record cannot be read. */
    interface SummaryVisitor {
        void readable(EnvironmentSummary summary) throws IOException;

        void unreadable(Unreadable unreadable) throws IOException;
    }

    /** The summaries of the records that could be read, and the records that could not. */
    record Summaries(java.util.List<EnvironmentSummary> readable, java.util.List<Unreadable> unreadable) {
        public Summaries {
            readable = java.util.List.copyOf(readable);
            unreadable = java.util.List.copyOf(unreadable);
        }

        /** The summaries of several stores (the projects of a Jenkins folder), store by store. */
        public static Summaries of(java.util.List<? extends StateStore> stores) throws IOException {
            Collector all = new Collector();
            for (StateStore store : stores) {
                store.eachSummary(all);
            }
            return all.summaries();
        }

        /** Keeps what it is handed, in order. */
        static final class Collector implements SummaryVisitor {
            private final java.util.List<EnvironmentSummary> readable = new java.util.ArrayList<>();
            private final java.util.List<Unreadable> unreadable = new java.util.ArrayList<>();

            @Override
            public void readable(EnvironmentSummary summary) {
                readable.add(summary);
            }

            @Override
            public void unreadable(Unreadable record) {
                unreadable.add(record);
            }

            Summaries summaries() {
                return new Summaries(readable, unreadable);
            }
        }
    }

    /** The records that could be read, and those that could not. */
    record Records(java.util.List<EnvironmentRecord> readable, java.util.List<Unreadable> unreadable) {
        public Records {
            readable = java.util.List.copyOf(readable);
            unreadable = java.util.List.copyOf(unreadable);
        }

        /** The records of several stores (the projects of a Jenkins folder), store by store. */
        public static Records of(java.util.List<? extends StateStore> stores) throws IOException {
            java.util.List<EnvironmentRecord> readable = new java.util.ArrayList<>();
            java.util.List<Unreadable> unreadable = new java.util.ArrayList<>();
            for (StateStore store : stores) {
                Records records = store.records();
                readable.addAll(records.readable());
                unreadable.addAll(records.unreadable());
            }
            return new Records(readable, unreadable);
        }
    }

    /**
     * A record that cannot be read: its file, and a one-line message that names the file and the problem
     * ("/s/shop-main.json: cannot be read: Is a directory").
     */
    record Unreadable(String file, String message) {
        public Unreadable {
            // One line, whatever the parser quoted from the file.
            message = message.replaceAll("[\\r\\n]+", " ");
        }
    }

    /**
     * Holds {@code environment} for one run, waiting while another run holds it. {@code waiting} is
     * called once, with the holder, if the lock is held elsewhere. {@code holder} describes this run to
     * others (who, which command, since when).
     */
    Lock lock(String environment, String holder, java.util.function.Consumer<String> waiting)
            throws IOException, InterruptedException;

    /** Holds {@code environment} if no other run does; otherwise says who does. */
    Attempt tryLock(String environment, String holder) throws IOException;

    /** The outcome of {@link #tryLock}: the lock, or the description of the run holding it. */
    sealed interface Attempt permits Acquired, Busy {}

    record Acquired(Lock lock) implements Attempt {}

    record Busy(String holder) implements Attempt {}

    /** A held environment lock. */
    interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
