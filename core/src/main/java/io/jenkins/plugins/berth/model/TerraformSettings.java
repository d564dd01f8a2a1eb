package io.jenkins.plugins.berth.model;

import java.util.Optional;

/**
 * The {@code terraform} block: which binary drives the stacks and where their state lives.
 *
 * @param binary {@code tofu}, {@code terraform} or a path; empty: the first of tofu and terraform on PATH
 */
public record TerraformSettings(Optional<String> binary, Backend backend) {

    /** Berth's own HTTP state backend, and no binary chosen: what a file without the block gets. */
    public static final TerraformSettings DEFAULT = new TerraformSettings(Optional.empty(), new Http());

    /** Where Terraform state is kept. */
    public sealed interface Backend permits Http, S3 {}

    /** Berth serves Terraform's HTTP backend itself (the CLI in-process, the plugin from Jenkins). */
    public record Http() implements Backend {}

    /**
     * An S3 bucket; locks in a DynamoDB table or, with {@code useLockfile}, a lock file next to the state.
     * {@code endpoint} points at an S3-compatible service instead of AWS.
     */
    public record S3(String bucket, String keyPrefix, String region, Optional<String> dynamodbTable,
            boolean useLockfile, Optional<String> endpoint) implements Backend {}
}
