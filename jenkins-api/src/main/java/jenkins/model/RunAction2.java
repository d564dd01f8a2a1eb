package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

/** Subset of jenkins-core {@code jenkins.model.RunAction2} (jenkins-2.541.3). */
public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
