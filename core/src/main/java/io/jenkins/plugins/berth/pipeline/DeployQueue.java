package io.jenkins.plugins.berth.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who deploys to an environment now and who waits, first come first served: the way the Jenkins
 * plugin serializes the builds that deploy one environment. Holders are compared with {@code equals}.
 *
 * @param <T> what stands for a deploy (a build's step execution in Jenkins)
 */
public final class DeployQueue<T> {

    private final Map<String, Deque<T>> queues = new HashMap<>();

    /** Queues {@code deploy} for {@code environment}; true when it holds the environment now. */
    public synchronized boolean enter(String environment, T deploy) {
        Deque<T> queue = queues.computeIfAbsent(environment, e -> new ArrayDeque<>());
        if (!queue.contains(deploy)) {
            queue.addLast(deploy);
        }
        return queue.peekFirst().equals(deploy);
    }

    /**
     * Puts {@code deploy} at the head of the line: a deploy that held the environment before a controller
     * restart holds it again, ahead of any that queued while resuming.
     */
    public synchronized void enterFirst(String environment, T deploy) {
        Deque<T> queue = queues.computeIfAbsent(environment, e -> new ArrayDeque<>());
        queue.remove(deploy);
        queue.addFirst(deploy);
    }

    /**
     * Takes {@code deploy} out of the queue (done, or given up while waiting); returns the deploy that
     * holds the environment from now on, when the one leaving held it and another waits.
     */
    public synchronized Optional<T> leave(String environment, T deploy) {
        Deque<T> queue = queues.get(environment);
        if (queue == null || !queue.contains(deploy)) {
            return Optional.empty();
        }
        boolean held = queue.peekFirst().equals(deploy);
        queue.remove(deploy);
        if (queue.isEmpty()) {
            queues.remove(environment);
            return Optional.empty();
        }
        return held ? Optional.of(queue.peekFirst()) : Optional.empty();
    }

    /** The holder first, then the deploys waiting, in order. */
    public synchronized List<T> line(String environment) {
        return List.copyOf(queues.getOrDefault(environment, new ArrayDeque<>()));
    }
}
