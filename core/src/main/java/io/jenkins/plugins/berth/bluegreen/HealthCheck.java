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
import java.util.Optional;

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

    /**
     * Checks the live endpoint after a switch: it must answer 2xx {@code successes} times in a row, and fails as
     * soon as more than {@code failureLimit} answers failed, not at the end of {@code timeout}: while it waits, real
     * clients get those failures too.
     *
     * @throws BerthException naming the URL and the failed answers
     */
    public void verify(String url, Duration timeout, Duration interval, int successes, int failureLimit)
            throws BerthException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        URI uri = uri(url);
        int inARow = 0;
        java.util.List<String> failed = new java.util.ArrayList<>();
        while (true) {
            Answer answer = probe(uri, interval, Optional.empty());
            if (answer.healthy()) {
                inARow++;
                if (inARow >= successes) {
                    return;
                }
            } else {
                inARow = 0;
                failed.add(answer.what());
                if (failed.size() > failureLimit) {
                    throw new BerthException(url + " failed " + failed.size() + " time" + (failed.size() == 1 ? "" : "s")
                            + " after the switch (failure_limit: " + failureLimit + "; last: " + answer.what() + ")");
                }
            }
            if (!clock.instant().plus(interval).isBefore(deadline)) {
                throw new BerthException(url + " did not answer 2xx " + successes + " times in a row within "
                        + timeout.toSeconds() + "s after the switch");
            }
            // Quicker than the idle colour's check: every probe here stands for real requests.
            Thread.sleep(Math.min(interval.toMillis(), 250));
        }
    }

    /**
     * Waits until {@code url} answers below HTTP 500 (a proxy's 502 or 504 means it does not reach the app yet): a
     * preview endpoint just pointed at a healthy colour, whose own paths may answer anything.
     *
     * @throws BerthException naming the last answer when {@code timeout} runs out
     */
    public void awaitAnswer(String url, Duration timeout) throws BerthException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        URI uri = uri(url);
        int inARow = 0;
        while (true) {
            String last;
            try {
                int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                // A few in a row: for a moment, the proxy's old workers may still answer with the old configuration.
                if (status < 500 && ++inARow >= PREVIEW_ANSWERS) {
                    return;
                }
                last = "HTTP " + status;
                if (status >= 500) {
                    inARow = 0;
                }
            } catch (IOException e) {
                inARow = 0;
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (clock.instant().isAfter(deadline)) {
                throw new BerthException("the preview " + url + " did not reach the new colour within "
                        + timeout.toSeconds() + "s (last: " + last + ")");
            }
            Thread.sleep(100);
        }
    }

    private static final int PREVIEW_ANSWERS = 5;

    /** How one request went: whether it counts as healthy, and what was seen, for a failure's message. */
    private record Answer(boolean healthy, String what) {}

    /**
     * One request. It is healthy when it answers 2xx and, with {@code deployId}, shows it in its body or as
     * {@value #DEPLOY_ID_HEADER}.
     */
    private Answer probe(URI uri, Duration interval, Optional<String> deployId) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(interval.plusSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            boolean answered = status >= 200 && status < 300;
            boolean ours = deployId.isEmpty() || response.body().contains(deployId.get())
                    || response.headers().firstValue(DEPLOY_ID_HEADER).equals(deployId);
            return new Answer(answered && ours, "HTTP " + status + (answered && !ours
                    ? " without this deploy's id (BERTH_DEPLOY_ID " + deployId.get() + "): a process this deploy did"
                            + " not start answers on the port" : ""));
        } catch (IOException e) {
            return new Answer(false, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static URI uri(String url) throws BerthException {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BerthException("the health URL '" + url + "' is not a URL: " + e.getMessage());
        }
    }

    /**
     * @throws BerthException naming the URL and the last answer when the time runs out
     */
    public void await(String url, Duration timeout, Duration interval, int successes)
            throws BerthException, InterruptedException {
        await(url, timeout, interval, successes, Optional.empty());
    }

    /** The header through which an app may show the deploy it belongs to, instead of in the body. */
    public static final String DEPLOY_ID_HEADER = "X-Berth-Deploy-Id";

    /**
     * {@link #await(String, Duration, Duration, int)}, where a 2xx answer counts only when it shows {@code deployId}
     * (in its body, or as {@value #DEPLOY_ID_HEADER}): a process on the port that this deploy did not start (a
     * stray, an older build) does not pass for it.
     */
    public void await(String url, Duration timeout, Duration interval, int successes,
            Optional<String> deployId) throws BerthException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        URI uri = uri(url);
        int inARow = 0;
        while (true) {
            Answer answer = probe(uri, interval, deployId);
            if (answer.healthy()) {
                inARow++;
                if (inARow >= successes) {
                    return;
                }
            } else {
                inARow = 0;
            }
            if (!clock.instant().plus(interval).isBefore(deadline)) {
                throw new BerthException(url + " did not answer 2xx" + (successes == 1 ? "" : " " + successes
                        + " times in a row") + " within " + timeout.toSeconds() + "s (last: " + answer.what() + ")");
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
