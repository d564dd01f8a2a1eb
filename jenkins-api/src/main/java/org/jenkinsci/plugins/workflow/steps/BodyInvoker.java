package org.jenkinsci.plugins.workflow.steps;

/** Subset of workflow-step-api {@code BodyInvoker} (710.v3e456cc85233). */
public abstract class BodyInvoker {
    public abstract BodyInvoker withContext(Object override);

    public abstract BodyInvoker withDisplayName(String name);

    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    public abstract BodyExecution start();

    public static hudson.console.ConsoleLogFilter mergeConsoleLogFilters(hudson.console.ConsoleLogFilter original,
            hudson.console.ConsoleLogFilter subsequent) {
        throw new UnsupportedOperationException();
    }
}
