package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.bluegreen.Approver;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Durations;
import io.jenkins.plugins.berth.run.Log;
import java.io.Console;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks at the approval gate on the terminal: {@code yes} approves, anything else rejects; without an answer within the
 * gate's timeout, its default is taken. Without a terminal, {@link Approver#UNATTENDED} decides.
 */
final class ConsoleApprover implements Approver {

    @Override
    public Deploy.Decision decide(String question, Deploy.Approval approval, Log log)
            throws BerthException, InterruptedException {
        Console console = System.console();
        if (console == null) {
            return UNATTENDED.decide(question, approval, log);
        }
        String ask = question + " Type 'yes' to switch" + approval.timeout().map(t -> " (" + approval.byDefault()
                .keyword() + " after " + Durations.format(t) + ")").orElse("") + ": ";
        // Read on a thread of its own, so that the gate's timeout can end the wait.
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> console.readLine("%s", ask));
        try {
            String said = approval.timeout().isPresent()
                    ? answer.get(approval.timeout().get().toMillis(), TimeUnit.MILLISECONDS) : answer.get();
            return said != null && said.strip().equalsIgnoreCase("yes") ? Deploy.Decision.APPROVE : Deploy.Decision.REJECT;
        } catch (TimeoutException e) {
            console.printf("%n");
            log.info("no answer within " + Durations.format(approval.timeout().get()) + ": " + approval.byDefault()
                    .keyword() + " (the gate's default)");
            return approval.byDefault();
        } catch (ExecutionException e) {
            throw new BerthException("cannot read the answer at the approval gate: " + e.getCause().getMessage(), e);
        }
    }
}
