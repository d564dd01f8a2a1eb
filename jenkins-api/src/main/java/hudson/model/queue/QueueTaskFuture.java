package hudson.model.queue;

import hudson.model.Queue.Executable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Subset of jenkins-core {@code hudson.model.queue.QueueTaskFuture} (jenkins-2.541.3). */
public interface QueueTaskFuture<R extends Executable> extends Future<R> {
    Future<R> getStartCondition();

    R waitForStart() throws InterruptedException, ExecutionException;
}
