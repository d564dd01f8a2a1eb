package hudson.model;

/** Subset of jenkins-core {@code hudson.model.Job} (jenkins-2.541.3): the type only. */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
}
