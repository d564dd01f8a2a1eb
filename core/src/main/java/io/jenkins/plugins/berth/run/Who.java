package io.jenkins.plugins.berth.run;

/** Who runs a command, as locks and run records name it. */
public final class Who {

    private Who() {}

    /**
     * Who runs this process, for locks and run records: the Jenkins build's URL inside a build
     * ({@code BUILD_URL}, which the Environments page links), else {@link #thisProcess()}.
     */
    public static String runBy() {
        String build = System.getenv("BUILD_URL");
        return build == null || build.isBlank() ? thisProcess() : build;
    }

    /** {@code user@host (pid N)}, naming the run that holds a lock. */
    public static String thisProcess() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return System.getProperty("user.name", "someone") + "@" + host + " (pid " + ProcessHandle.current().pid() + ")";
    }
}
