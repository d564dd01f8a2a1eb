package io.jenkins.plugins.berth.environments;

/**
 * A Terraform stack an environment uses: where its state is ({@code backend} and {@code stateKey}) and
 * the folder, relative to the state folder, holding the sources of its last apply and the deploy file
 * they came with, so that it can be destroyed after the branch is gone. A shared stack is listed by
 * every environment that uses it and destroyed by none of them.
 */
public record StackRecord(String name, boolean shared, String backend, String stateKey, String workDir) {}
