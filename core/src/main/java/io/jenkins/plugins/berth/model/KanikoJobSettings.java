package io.jenkins.plugins.berth.model;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code kaniko_job} block: where and how {@code builder: kaniko-job} runs each build as a Kubernetes Job.
 *
 * @param namespace where the Job, its claim and its Secret are made; none: the kubeconfig context's namespace,
 *     else {@code default}
 * @param kubeconfig the kubeconfig file, absolute or under {@code ~/} (the user's home; validation refuses a relative
 *     path: the repository is no place for it); none: {@code $KUBECONFIG}, else {@code ~/.kube/config}
 * @param executor the kaniko executor image, pinned by version
 * @param contextImage the image of the init container that unpacks the build context into the claim (it needs
 *     {@code tar}: kaniko's {@code -debug} image has busybox's)
 * @param storage the size of the claim that holds the context, a Kubernetes quantity ({@code 1Gi})
 * @param storageClass the claim's storage class; none: the cluster's default
 * @param timeout how long a build may take, from the Job's creation to its end; the Job's
 *     {@code activeDeadlineSeconds} too
 */
public record KanikoJobSettings(Optional<String> namespace, Optional<String> kubeconfig, String executor,
        String contextImage, String storage, Optional<String> storageClass, Duration timeout) {

    /** kaniko's executor, pinned: the last release of the project's own images. */
    public static final String DEFAULT_EXECUTOR = "gcr.io/kaniko-project/executor:v1.23.2";
    /** The same release's debug image, which has busybox (sh, tar) beside the executor. */
    public static final String DEFAULT_CONTEXT_IMAGE = "gcr.io/kaniko-project/executor:v1.23.2-debug";
    public static final String DEFAULT_STORAGE = "1Gi";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    /** No {@code kaniko_job} block: every default. */
    public static final KanikoJobSettings DEFAULT = new KanikoJobSettings(Optional.empty(), Optional.empty(),
            DEFAULT_EXECUTOR, DEFAULT_CONTEXT_IMAGE, DEFAULT_STORAGE, Optional.empty(), DEFAULT_TIMEOUT);
}
