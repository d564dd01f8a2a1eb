package hudson.model;

/** Subset of jenkins-core {@code hudson.model.Run} (jenkins-2.541.3): the type only. */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
}
