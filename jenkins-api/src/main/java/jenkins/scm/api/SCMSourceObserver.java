package jenkins.scm.api;

import hudson.model.TaskListener;
import java.io.IOException;

/** Subset of scm-api {@code jenkins.scm.api.SCMSourceObserver} (728.vc30dcf7a_0df5). */
public abstract class SCMSourceObserver {
    public abstract SCMSourceOwner getContext();

    public abstract TaskListener getListener();

    public abstract ProjectObserver observe(String projectName) throws IllegalArgumentException, IOException,
            InterruptedException;

    public abstract void addAttribute(String key, Object value) throws IllegalArgumentException, ClassCastException;

    public static abstract class ProjectObserver {
        public abstract void addSource(SCMSource source);

        public abstract void addAttribute(String key, Object value) throws IllegalArgumentException,
                ClassCastException;

        public abstract void complete() throws IllegalStateException, IOException, InterruptedException;
    }
}
