package jenkins.scm.api;

import hudson.model.TaskListener;
import java.io.IOException;
import java.io.Serializable;

/** Subset of scm-api {@code jenkins.scm.api.SCMSourceCriteria} (728.vc30dcf7a_0df5). */
public interface SCMSourceCriteria extends Serializable {
    boolean isHead(Probe probe, TaskListener listener) throws IOException;

    abstract class Probe implements Serializable {
        public abstract String name();

        public abstract long lastModified();

        public abstract boolean exists(String path) throws IOException;
    }
}
