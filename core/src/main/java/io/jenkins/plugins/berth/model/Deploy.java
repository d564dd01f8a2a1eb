package io.jenkins.plugins.berth.model;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@code deploy:} block: how the application is published. Which optional parts are present depends
 * on the target, and the reader enforces it: {@code nginx} needs colours, start and the nginx block;
 * {@code script} needs colours, start and switch; {@code ecs} needs the ecs block.
 */
public record Deploy(Strategy strategy, Target target, Optional<Colors> colors, Optional<String> start,
        Optional<String> stop, Optional<String> switchCommand, Optional<Nginx> nginx, Optional<Ecs> ecs,
        Health health, Duration keep, Duration drain, Hooks hooks, Optional<Approval> approval,
        Optional<Template> sharedDir, Optional<Template> previewUrl, Optional<ColorPorts> colorPorts) {

    /**
     * Ports known only per environment ({@code colors: auto}, or templates like {@code ${PORT_BASE}}): resolved
     * for each deploy into {@link #colors}; with literal numbers, {@code colors} is given and this is empty.
     * Both empty: {@code auto}, a free pair allocated for the environment and kept in its record.
     */
    public record ColorPorts(Optional<Template> blue, Optional<Template> green) {
        public boolean auto() {
            return blue.isEmpty();
        }
    }

    /** This block with the ports resolved for an environment. */
    public Deploy withColors(Colors resolved) {
        return new Deploy(strategy, target, Optional.of(resolved), start, stop, switchCommand, nginx, ecs, health, keep,
                drain, hooks, approval, sharedDir, previewUrl, Optional.empty());
    }

    public static final Duration DEFAULT_KEEP = Duration.ofMinutes(10);
    /**
     * How long a colour that traffic left keeps running before it is stopped, so that the requests it is still
     * answering finish (nginx's old workers finish theirs; a load balancer drains its connections).
     */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(3);

    /**
     * The repository script {@code stop} runs, when its first word is a relative path ({@code ./ops/stop.sh
     * blue} gives {@code ops/stop.sh}): the file a teardown keeps so that it can retire the colours after the
     * branch is gone. A {@code stop} that needs more files should be such a script.
     */
    public Optional<String> stopScript() {
        return stop.map(String::strip).map(text -> text.split("\\s+", 2)[0])
                .filter(word -> !word.isEmpty() && !word.startsWith("/") && !word.startsWith("$") && !word.startsWith("~")
                        && (word.startsWith("./") || word.contains("/") || word.endsWith(".sh")))
                .map(word -> word.startsWith("./") ? word.substring(2) : word);
    }

    public enum Strategy {
        BLUE_GREEN;

        public String keyword() {
            return "blue-green";
        }
    }

    public enum Target {
        SCRIPT, NGINX, ECS;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Commands run around the switch, with the colour's variables: {@code beforeStart} just before the idle colour's
     * {@code start} (migrations, checks), {@code beforeSwitch} once it is healthy, against the preview endpoint,
     * {@code afterSwitch} once traffic is on it and verified. A failure of any leaves traffic where it was (after the
     * switch: switched back).
     */
    public record Hooks(Optional<String> beforeStart, Optional<String> beforeSwitch, Optional<String> afterSwitch) {
        public static final Hooks NONE = new Hooks(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The gate before the switch ({@code approval:}): a person approves or rejects; without an answer within
     * {@code timeout} the deploy takes {@code byDefault}. {@code approval: { after: 10m }} is a timeout whose default
     * is to approve: timed promotion.
     */
    public record Approval(Optional<Duration> timeout, Decision byDefault, boolean timed) {
        public static final Approval ASK = new Approval(Optional.empty(), Decision.REJECT, false);
    }

    /** What an approval gate decides. */
    public enum Decision {
        APPROVE, REJECT;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The local port of each colour. */
    public record Colors(int blue, int green) {}

    /**
     * Berth writes {@code upstream <upstream> { server 127.0.0.1:PORT; }} into {@code upstreamFile}, runs
     * {@code test} (default {@code nginx -t}) and then {@code reload} (default {@code nginx -s reload}).
     */
    public record Nginx(Template upstream, Template upstreamFile, String test, String reload) {
        /** Whether {@code name} can be written as {@code upstream NAME { ... }}. */
        public static boolean isUpstreamName(String name) {
            return Names.NGINX_UPSTREAM.matcher(name).matches();
        }
    }

    /** One ECS service and one target group per colour behind an ALB listener. */
    public record Ecs(String region, String cluster, String listener, PerColor services, PerColor targetGroups) {}

    /** A name per colour. */
    public record PerColor(String blue, String green) {}

    /**
     * The idle colour must answer {@code url} with 2xx {@code successes} times in a row within {@code timeout}.
     * After the switch the live endpoint must answer {@code successes} times too, and more than
     * {@code failureLimit} failed answers there switch traffic back at once, without waiting for the timeout.
     * With {@code requireDeployId}, the idle colour's answers count only when they show the deploy's
     * {@code BERTH_DEPLOY_ID} (body or header).
     */
    public record Health(Template url, Duration timeout, Duration interval, int successes, int failureLimit,
            boolean requireDeployId) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
        public static final int DEFAULT_SUCCESSES = 2;
        public static final int DEFAULT_FAILURE_LIMIT = 0;
    }
}
