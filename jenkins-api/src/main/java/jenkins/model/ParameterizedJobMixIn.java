package jenkins.model;

import hudson.model.BuildAuthorizationToken;
import hudson.model.BuildableItem;
import hudson.model.Cause;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import java.io.IOException;

/** Subset of jenkins-core {@code jenkins.model.ParameterizedJobMixIn} (jenkins-2.541.3). */
public abstract class ParameterizedJobMixIn<JobT extends Job<JobT, RunT> & ParameterizedJobMixIn.ParameterizedJob<JobT, RunT> & Queue.Task, RunT extends Run<JobT, RunT> & Queue.Executable> {
    protected abstract JobT asJob();

    public interface ParameterizedJob<JobT extends Job<JobT, RunT> & ParameterizedJobMixIn.ParameterizedJob<JobT, RunT> & Queue.Task, RunT extends Run<JobT, RunT> & Queue.Executable> extends BuildableItem {
        BuildAuthorizationToken getAuthToken();

        @Override
        default boolean scheduleBuild(Cause c) {
            throw new UnsupportedOperationException();
        }

        @Override
        default boolean scheduleBuild(int quietPeriod, Cause c) {
            throw new UnsupportedOperationException();
        }

        @Override
        default RunT createExecutable() throws IOException {
            throw new UnsupportedOperationException();
        }
    }
}
