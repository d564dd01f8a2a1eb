package io.jenkins.plugins.berth.jenkins.jobs;

/**
 * Marks a branch project factory whose branch jobs deploy Berth environments, so that their folder gets a
 * teardown job. The factory implements this (rather than this package naming the factory) so that the
 * folder type depends on the teardown jobs and never the other way round.
 */
public interface DeploysEnvironments {}
