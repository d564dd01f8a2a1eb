package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Template;
import io.jenkins.plugins.berth.run.RunVariables;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The colours' ports of one environment, when the deploy block does not write numbers: templates
 * ({@code ${PORT_BASE}}) resolved with the environment's variables, or {@code colors: auto}, a free pair allocated on
 * the first deploy and kept in the environment's record (so every later deploy, rollback and teardown uses the same
 * two), released when the environment is gone.
 */
public final class EnvironmentPorts {

    /** Where {@code auto} starts looking: above the usual fixed ports, below the ephemeral range. */
    static final int FIRST = 20000;
    static final int LAST = 29999;

    private EnvironmentPorts() {}

    /** What resolving gave: the block with numbers, and the pair to keep in the record ({@code auto}). */
    public record Resolved(Deploy deploy, Optional<BlueGreenRecord.Ports> allocated) {}

    /**
     * @param current the environment's colours so far (its allocated pair, if any)
     * @param others every environment record of the state (their pairs are taken)
     */
    public static Resolved resolve(Deploy deploy, RunVariables variables, Optional<BlueGreenRecord> current,
            List<EnvironmentRecord> others) throws BerthException {
        if (deploy.colorPorts().isEmpty()) {
            return new Resolved(deploy, Optional.empty());
        }
        Deploy.ColorPorts ports = deploy.colorPorts().get();
        if (!ports.auto()) {
            int blue = port(ports.blue().get(), "blue", variables);
            int green = port(ports.green().get(), "green", variables);
            if (blue == green) {
                throw new BerthException("colors.blue and colors.green are both " + blue + " for this environment: give"
                        + " them different ports");
            }
            return new Resolved(deploy.withColors(new Deploy.Colors(blue, green)), Optional.empty());
        }
        Optional<BlueGreenRecord.Ports> kept = current.flatMap(BlueGreenRecord::ports);
        BlueGreenRecord.Ports pair = kept.isPresent() ? kept.get() : allocate(others);
        return new Resolved(deploy.withColors(new Deploy.Colors(pair.blue(), pair.green())), Optional.of(pair));
    }

    /** The resolved block for an environment whose record is known (rollback, teardown): nothing is allocated. */
    public static Deploy known(Deploy deploy, RunVariables variables, Optional<BlueGreenRecord> current)
            throws BerthException {
        if (deploy.colorPorts().filter(Deploy.ColorPorts::auto).isPresent()
                && current.flatMap(BlueGreenRecord::ports).isEmpty()) {
            throw new BerthException("colors: auto, and the environment's record keeps no ports: it was never deployed");
        }
        return resolve(deploy, variables, current, List.of()).deploy();
    }

    private static int port(Template template, String color, RunVariables variables) throws BerthException {
        String text = variables.resolve(template, Scope.Site.of(Scope.Kind.DEPLOY));
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BerthException("colors." + color + " is '" + text + "' for this environment, not a port (1 to 65535)");
    }

    /** The first pair no live environment holds and nothing listens on. */
    private static BlueGreenRecord.Ports allocate(List<EnvironmentRecord> others) throws BerthException {
        Set<Integer> taken = new HashSet<>();
        for (EnvironmentRecord other : others) {
            if (!other.isGone()) {
                other.blueGreen().flatMap(BlueGreenRecord::ports).ifPresent(p -> {
                    taken.add(p.blue());
                    taken.add(p.green());
                });
            }
        }
        for (int port = FIRST; port < LAST; port += 2) {
            if (!taken.contains(port) && !taken.contains(port + 1) && free(port) && free(port + 1)) {
                return new BlueGreenRecord.Ports(port, port + 1);
            }
        }
        throw new BerthException("colors: auto found no free pair of ports from " + FIRST + " to " + LAST
                + ": tear environments down or give the ports");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
