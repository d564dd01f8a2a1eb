package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * {@code target: nginx}: the user's {@code start}/{@code stop} run each colour on its local port; a
 * switch writes {@code upstream <name> { server 127.0.0.1:<port>; }} into the include file, checks the
 * configuration ({@code nginx -t}) and reloads. A configuration nginx refuses is put back as it was,
 * so traffic never goes to a broken configuration.
 */
public final class NginxTarget extends CommandTarget {

    private final String upstream;
    private final Path upstreamFile;
    private final String test;
    private final String reload;

    public NginxTarget(Scripts scripts, String start, Optional<String> stop, String upstream, Path upstreamFile,
            String test, String reload) {
        super(scripts, start, stop);
        this.upstream = upstream;
        this.upstreamFile = upstreamFile;
        this.test = test;
        this.reload = reload;
    }

    /** The include file's contents for a colour on {@code port}. */
    static String upstreamBlock(String upstream, Color color, int port) {
        return "# Written by Berth: " + color.keyword() + " is live.\nupstream " + upstream + " {\n    server 127.0.0.1:"
                + port + ";\n}\n";
    }

    @Override
    public void switchTo(Color color, Map<String, String> variables) throws BerthException, InterruptedException {
        int port = Integer.parseInt(variables.get("BERTH_PORT"));
        try {
            Optional<String> before = Files.exists(upstreamFile) ? Optional.of(Files.readString(upstreamFile))
                    : Optional.empty();
            Files.createDirectories(upstreamFile.toAbsolutePath().getParent());
            Path next = upstreamFile.resolveSibling("." + upstreamFile.getFileName() + ".next");
            Files.writeString(next, upstreamBlock(upstream, color, port));
            Files.move(next, upstreamFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try {
                run("nginx -t", test, variables);
            } catch (BerthException e) {
                if (before.isPresent()) {
                    Files.writeString(upstreamFile, before.get());
                } else {
                    Files.deleteIfExists(upstreamFile);
                }
                throw new BerthException("nginx refused the configuration with " + color.keyword() + " live ("
                        + e.getMessage() + "); " + upstreamFile + " is back as it was and nginx was not reloaded");
            }
        } catch (IOException e) {
            throw new BerthException("cannot write " + upstreamFile + ": " + e.getMessage(), e);
        }
        run("reload", reload, variables);
    }
}
