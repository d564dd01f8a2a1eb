package io.jenkins.plugins.berth.model;

/** An entry of {@code release}: a long-lived stage images are promoted to, in file order. */
public record ReleaseStage(String name, Position position, boolean approval) {}
