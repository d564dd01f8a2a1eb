package io.jenkins.plugins.berth.jenkins.steps;

import hudson.AbortException;
import hudson.FilePath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The runner in a workspace ({@code .berth/runner}): its jar, named by its content so that it is copied only when the
 * plugin brings another one and the start-up archive made beside it stays valid from build to build, and the
 * launcher script ({@code berth-runner.sh}) the {@code berth} variable starts it with. Jars of other versions go.
 */
final class RunnerFiles {

    static final String LAUNCHER_RESOURCE = "/io/jenkins/plugins/berth/jenkins/steps/berth-runner.sh";

    /** The jar and its launcher, as installed. */
    record Installed(FilePath jar, FilePath launcher) {}

    /** Worked out once per controller: the digest of the jar the plugin carries. */
    private static volatile String jarDigest;

    private RunnerFiles() {}

    static Installed install(FilePath folder) throws IOException, InterruptedException {
        URL jar = BerthEnvironmentStep.class.getResource(BerthEnvironmentStep.RUNNER_RESOURCE);
        URL launcher = BerthEnvironmentStep.class.getResource(LAUNCHER_RESOURCE);
        if (jar == null || launcher == null) {
            throw new AbortException("berth: this build of the plugin carries no runner ("
                    + BerthEnvironmentStep.RUNNER_RESOURCE + ")");
        }
        folder.mkdirs();
        String name = "berth-runner-" + digest(jar).substring(0, 16) + ".jar";
        FilePath installed = folder.child(name);
        // A jar of the right name but not the right size is one a killed build half copied: copied again.
        if (!installed.exists() || installed.length() != jar.openConnection().getContentLengthLong()) {
            for (FilePath old : folder.list()) {
                if (old.getName().startsWith("berth-runner") && !old.getName().equals("berth-runner.sh")) {
                    old.delete(); // other versions, and the archive made for this name's jar before
                }
            }
            installed.copyFrom(jar);
        }
        FilePath script = folder.child("berth-runner.sh");
        String text;
        try (InputStream in = launcher.openStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!script.exists() || !script.readToString().equals(text)) {
            script.write(text, "UTF-8");
        }
        return new Installed(installed, script);
    }

    private static String digest(URL jar) throws IOException {
        String known = jarDigest;
        if (known != null) {
            return known;
        }
        try (InputStream in = jar.openStream()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                sha.update(buffer, 0, read);
            }
            known = java.util.HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
        jarDigest = known;
        return known;
    }
}
