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

    /** The colours' ports when the preview upstream is written ({@code preview_url} given), else empty. */
    private final Optional<io.jenkins.plugins.berth.model.Deploy.Colors> preview;

    public NginxTarget(Scripts scripts, String start, Optional<String> stop, String upstream, Path upstreamFile,
            String test, String reload) {
        this(scripts, start, stop, upstream, upstreamFile, test, reload, Optional.empty());
    }

    /**
     * @param preview the colours' ports: each switch also writes {@code upstream <upstream>_preview} for the colour
     *     that serves no traffic, for a preview server block of the user's configuration
     */
    public NginxTarget(Scripts scripts, String start, Optional<String> stop, String upstream, Path upstreamFile,
            String test, String reload, Optional<io.jenkins.plugins.berth.model.Deploy.Colors> preview) {
        super(scripts, start, stop);
        this.upstream = upstream;
        this.upstreamFile = upstreamFile;
        this.test = test;
        this.reload = reload;
        this.preview = preview;
    }

    /** The include file's contents for a colour on {@code port}. */
    static String upstreamBlock(String upstream, Color color, int port) {
        return upstreamBlock(upstream, color, port, Optional.empty());
    }

    /**
     * The include file's contents for a colour on {@code port}; with {@code previewPort}, a second upstream
     * {@code <upstream>_preview} sends to the other colour: after this switch it is the one the next deploy goes
     * into, so a preview server block shows each new version before its switch without a reload of its own.
     */
    static String upstreamBlock(String upstream, Color color, int port, Optional<Integer> previewPort) {
        return MARK + color.keyword() + " is live.\nupstream " + upstream + " {\n    server 127.0.0.1:"
                + port + ";\n}\n" + previewPort.map(p -> "upstream " + upstream + PREVIEW_SUFFIX
                        + " {\n    server 127.0.0.1:" + p + ";\n}\n").orElse("");
    }

    /** The preview upstream's name is the upstream's with this after it. */
    public static final String PREVIEW_SUFFIX = "_preview";

    /** The colour the include file names, as {@link #upstreamBlock} wrote it: what nginx serves from. */
    @Override
    public Optional<Color> live() throws IOException {
        if (!Files.isRegularFile(upstreamFile)) {
            return Optional.empty();
        }
        String first = Files.readString(upstreamFile).lines().findFirst().orElse("");
        for (Color color : Color.values()) {
            if (first.equals(MARK + color.keyword() + " is live.")) {
                return Optional.of(color);
            }
        }
        return Optional.empty();
    }

    private static final String MARK = "# Written by Berth: ";

    @Override
    public void switchTo(Color color, Map<String, String> variables) throws BerthException, InterruptedException {
        int port = Integer.parseInt(variables.get("BERTH_PORT"));
        write(upstreamBlock(upstream, color, port, preview.map(colors -> color.other().port(colors))),
                "with " + color.keyword() + " live", variables);
    }

    /**
     * Points the preview upstream at {@code idle} if it does not already (the first deploy; or a colour written by
     * hand), keeping the live upstream as it is: one more reload, before the switch. Without {@code preview_url} or
     * with a file Berth did not write, nothing is done.
     */
    @Override
    public boolean preview(Color idle, Map<String, String> variables) throws BerthException, IOException,
            InterruptedException {
        if (preview.isEmpty()) {
            return false;
        }
        int idlePort = idle.port(preview.get());
        Optional<Color> live = live();
        String wanted;
        if (live.isPresent()) {
            wanted = upstreamBlock(upstream, live.get(), live.get().port(preview.get()), Optional.of(idlePort));
        } else if (!Files.exists(upstreamFile)) {
            // Nothing serves yet (a first deploy): the main upstream may name the idle colour too.
            wanted = upstreamBlock(upstream, idle, idlePort, Optional.of(idlePort));
        } else {
            return false;
        }
        if (Files.exists(upstreamFile) && wanted.equals(Files.readString(upstreamFile))) {
            return false;
        }
        write(wanted, "with the preview on " + idle.keyword(), variables);
        return true;
    }

    /**
     * Writes the include file, checks it ({@code nginx -t}) and reloads; on any failure the file is put back as it
     * was, so that no later reload (anyone's) sends traffic where this one did not.
     */
    private void write(String contents, String what, Map<String, String> variables)
            throws BerthException, InterruptedException {
        if (!io.jenkins.plugins.berth.model.Deploy.Nginx.isUpstreamName(upstream)) {
            // A templated name is only known now; validation refused a literal one already.
            throw new BerthException("nginx.upstream '" + upstream + "' is not an nginx upstream name: letters,"
                    + " digits, '_', '.' and '-'; nothing was written");
        }
        Optional<String> before;
        try {
            before = Files.exists(upstreamFile) ? Optional.of(Files.readString(upstreamFile)) : Optional.empty();
            Files.createDirectories(upstreamFile.toAbsolutePath().getParent());
            Path next = upstreamFile.resolveSibling("." + upstreamFile.getFileName() + ".next");
            Files.writeString(next, contents);
            Files.move(next, upstreamFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try {
                run("nginx -t", test, variables);
            } catch (BerthException e) {
                restore(before);
                throw new BerthException("nginx refused the configuration " + what + " (" + e.getMessage() + "); "
                        + upstreamFile + " is back as it was and nginx was not reloaded");
            }
        } catch (IOException e) {
            throw new BerthException("cannot write " + upstreamFile + ": " + e.getMessage(), e);
        }
        try {
            run("reload", reload, variables);
        } catch (BerthException e) {
            try {
                restore(before);
            } catch (IOException restoring) {
                throw new BerthException("the reload " + what + " failed (" + e.getMessage() + ") and " + upstreamFile
                        + " cannot be put back (" + restoring.getMessage() + ")", e);
            }
            throw new BerthException("the reload " + what + " failed (" + e.getMessage() + "); " + upstreamFile
                    + " is back as it was", e);
        }
    }

    private void restore(Optional<String> before) throws IOException {
        if (before.isPresent()) {
            Files.writeString(upstreamFile, before.get());
        } else {
            Files.deleteIfExists(upstreamFile);
        }
    }
}
