package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits until a URL answers 2xx {@code successes} times in a row, asking every {@code interval}, for at
 * most {@code timeout}. A failure resets the count: a flapping colour is not healthy.
 */
public final class HealthCheck {

    private final HttpClient http;
    private final Clock clock;

    public HealthCheck(Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.clock = clock;
    }

    /** What was seen last, for the message of a failed check. */
    private record Seen(String what) {}

    /**
     * @throws BerthException naming the URL and the last answer when the time runs out
     */
    public void await(String url, Duration timeout, Duration interval, int successes)
            throws BerthException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        int inARow = 0;
        Seen last = new Seen("no answer yet");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BerthException("the health URL '" + url + "' is not a URL: " + e.getMessage());
        }
        while (true) {
            try {
                int status = http.send(HttpRequest.newBuilder(uri).timeout(interval.plusSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status >= 200 && status < 300) {
                    inARow++;
                    if (inARow >= successes) {
                        return;
                    }
                } else {
                    inARow = 0;
                }
                last = new Seen("HTTP " + status);
            } catch (IOException e) {
                inARow = 0;
                last = new Seen(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            if (!clock.instant().plus(interval).isBefore(deadline)) {
                throw new BerthException(url + " did not answer 2xx" + (successes == 1 ? "" : " " + successes
                        + " times in a row") + " within " + timeout.toSeconds() + "s (last: " + last.what() + ")");
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
