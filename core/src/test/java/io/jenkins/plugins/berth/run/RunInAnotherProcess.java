package io.jenkins.plugins.berth.run;

import java.nio.file.Path;
import java.util.Map;

/** One command run by {@link LocalCommandRunner} in a JVM of its own, so a test can kill that JVM: ROOT SCRIPT. */
public final class RunInAnotherProcess {
    public static void main(String[] args) throws Exception {
        new LocalCommandRunner(Path.of(args[0])).run(Command.inlineScript(args[1], Map.of()), System.out::println);
    }
}
