package io.jenkins.plugins.berth.model;

/** An entry of {@code variables}: a name and its value, a template that may use other variables. */
public record Variable(String name, Template value, Position position) {}
