package io.jenkins.plugins.berth.model;

/**
 * An entry of {@code secrets}: the variable name a stage sees and the credential that holds the value
 * (a Jenkins credential id; for the CLI, the id in the secrets file). Never the value itself.
 */
public record Secret(String name, String credentialId, Position position) {}
