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
        return System.getProperty("user.name", "someone") + "@" + host() + " (pid " + ProcessHandle.current().pid() + ")";
    }

    /**
     * The machine's name: Linux's own, as the kernel holds it (what {@code InetAddress.getLocalHost()} starts from,
     * without its name lookup, some 10 ms of a command's start), else the lookup's.
     */
    private static String host() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException | SecurityException e) {
            // Not Linux: ask the resolver.
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
