package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Durations;
import io.jenkins.plugins.berth.run.Log;

/**
 * The gate before the switch of a deploy block with {@code approval:}: says whether the switch to the new colour,
 * healthy and on its preview, goes ahead. The CLI asks on its terminal; Jenkins asks with {@code input}.
 */
@FunctionalInterface
public interface Approver {

    /**
     * @param question what is asked, naming the colour and where it can be seen
     * @return the decision, or the gate's default once its timeout is over
     * @throws BerthException when there is nobody to ask and no default to take
     */
    Deploy.Decision decide(String question, Deploy.Approval approval, Log log) throws BerthException, InterruptedException;

    /**
     * Nobody to ask (no terminal, no {@code --approve}): a gate that approves once its time is over ({@code after},
     * or {@code default: approve} with a {@code timeout}) waits that long and approves; any other gate is refused,
     * naming what to do.
     */
    Approver UNATTENDED = (question, approval, log) -> {
        if (approval.byDefault() == Deploy.Decision.APPROVE && approval.timeout().isPresent()) {
            log.info(question + " Nobody can answer here: approving after " + Durations.format(approval.timeout().get())
                    + " (approval " + (approval.timed() ? "after" : "default: approve") + ")");
            Thread.sleep(approval.timeout().get().toMillis());
            return Deploy.Decision.APPROVE;
        }
        if (approval.timeout().isPresent()) {
            log.info(question + " Nobody can answer here: the default is to reject");
            return Deploy.Decision.REJECT;
        }
        throw new BerthException("the deploy needs approval before the switch and there is nobody to ask (no terminal):"
                + " run it in a terminal, pass --approve, or give the gate a default (approval: { timeout: 30m,"
                + " default: approve })");
    };

    /**
     * Thrown by an approver whose question is asked elsewhere, after this process ends (Jenkins asks with
     * {@code input} between two runs of the deploy step): the deploy stops at its gate, its colour running.
     */
    final class AskedElsewhere extends BerthException {
        private static final long serialVersionUID = 1L;

        public AskedElsewhere() {
            super("the approval is asked elsewhere");
        }
    }

    /** The decision is taken after this run ({@code --approval wait}): the deploy waits at its gate. */
    Approver ELSEWHERE = (question, approval, log) -> {
        log.info(question + " (asked by the Pipeline)");
        throw new AskedElsewhere();
    };

    /**
     * The decision on a deploy that waits at its gate ({@code --approval approve|reject}, after Jenkins' {@code input}):
     * the deploy step resumes that deploy instead of starting one.
     */
    record Resume(Deploy.Decision decision) implements Approver {
        @Override
        public Deploy.Decision decide(String question, Deploy.Approval approval, Log log) {
            log.info(question + " Decided: " + decision.keyword());
            return decision;
        }
    }

    /** Approves at once ({@code --approve}: the person running the command said yes beforehand). */
    Approver APPROVE = (question, approval, log) -> {
        log.info(question + " Approved beforehand (--approve)");
        return Deploy.Decision.APPROVE;
    };
}
