package hudson.model;

import hudson.model.queue.CauseOfBlockage;
import hudson.model.queue.SubTask;
import jenkins.model.queue.AsynchronousExecution;

/** Subset of jenkins-core {@code hudson.model.Queue} (jenkins-2.541.3). */
public class Queue {
    private Queue() {
        throw new UnsupportedOperationException();
    }

    public interface Task extends SubTask {
        String getName();

        String getUrl();
    }

    public interface FlyweightTask extends Task {}

    public interface Executable extends Runnable {
        SubTask getParent();

        @Override
        void run() throws AsynchronousExecution;

        @Override
        String toString();
    }

    public abstract static class Item {
        private Item() {
            throw new UnsupportedOperationException();
        }

        public abstract CauseOfBlockage getCauseOfBlockage();

        abstract void enter(Queue q);

        abstract boolean leave(Queue q);
    }
}
