package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.bluegreen.Approver;
import io.jenkins.plugins.berth.model.Deploy;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --approve} and {@code --approval} of the commands that run a blue-green deploy: who decides at the gate of a
 * deploy block with {@code approval:}. Without either, the terminal asks ({@link ConsoleApprover}).
 */
final class ApprovalOption {

    @Option(names = "--approve", description = "Approve the switch of a deploy block with 'approval:' without asking.")
    boolean approve;

    @Option(names = "--approval", paramLabel = "DECISION",
            description = "With --step (the Jenkins berth variable): 'wait' stops the deploy at its approval gate, its new"
                    + " colour running; 'approve' or 'reject' then resumes it with that decision.")
    Optional<String> approval = Optional.empty();

    Approver approver(CommandLine commandLine) {
        if (approval.isPresent()) {
            if (approve) {
                throw new CommandLine.ParameterException(commandLine, "give --approve or --approval, not both");
            }
            return switch (approval.get()) {
                case "wait" -> Approver.ELSEWHERE;
                case "approve" -> new Approver.Resume(Deploy.Decision.APPROVE);
                case "reject" -> new Approver.Resume(Deploy.Decision.REJECT);
                default -> throw new CommandLine.ParameterException(commandLine,
                        "--approval is wait, approve or reject, not '" + approval.get() + "'");
            };
        }
        return approve ? Approver.APPROVE : new ConsoleApprover();
    }
}
