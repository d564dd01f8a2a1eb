package io.jenkins.plugins.berth.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys each block of a v1 deploy file accepts. The reader rejects any other key, and
 * {@code DeployFileSchemaTest} fails when docs/schema/berth-v1.schema.json lists different ones.
 */
public final class Keys {
    public static final Set<String> TOP = keys("version", "project", "image", "agent", "environment", "variables",
            "secrets", "registry", "builder", "images", "builds", "terraform", "init_stages", "infrastructure", "stages", "release", "release_branches", "teardown",
            "kaniko_job");
    public static final Set<String> KANIKO_JOB = keys("namespace", "kubeconfig", "executor", "context_image", "storage",
            "storage_class", "timeout");
    public static final Set<String> ENVIRONMENT = keys("name", "ttl", "protected");
    public static final Set<String> ECR = keys("account", "region", "repository");
    public static final Set<String> IMAGE = keys("dockerfile", "context", "args", "tags", "target", "platforms",
            "repository");
    public static final Set<String> STAGE = keys("name", "run", "script", "deploy", "image", "agent", "on_failure",
            "always", "timeout");
    public static final Set<String> TERRAFORM = keys("binary", "backend", "s3");
    public static final Set<String> S3 = keys("bucket", "key_prefix", "region", "dynamodb_table", "use_lockfile",
            "endpoint");
    public static final Set<String> STACK = keys("name", "dir", "shared", "vars", "outputs", "url", "needs", "timeout");
    public static final Set<String> BUILD = keys("name", "dir", "only", "vars", "agent", "timeout", "outputs");
    public static final Set<String> RELEASE = keys("stage", "approval", "registry");
    public static final Set<String> DEPLOY = keys("strategy", "target", "colors", "start", "stop", "switch", "nginx",
            "ecs", "health", "keep", "drain", "approval", "before_start", "before_switch", "after_switch", "shared_dir",
            "preview_url");
    public static final Set<String> DEPLOY_APPROVAL = keys("timeout", "default", "after");
    public static final List<String> DECISIONS = List.of("approve", "reject");
    public static final Set<String> COLORS = keys("blue", "green");
    public static final Set<String> NGINX = keys("upstream", "upstream_file", "test", "reload");
    public static final Set<String> ECS = keys("region", "cluster", "listener", "services", "target_groups");
    public static final Set<String> HEALTH = keys("url", "timeout", "interval", "successes", "failure_limit",
            "require_deploy_id");

    /** Every block by the name the schema gives its definition. */
    public static final Map<String, Set<String>> BY_BLOCK = Map.ofEntries(
            Map.entry("top", TOP), Map.entry("environment", ENVIRONMENT), Map.entry("ecr", ECR),
            Map.entry("image", IMAGE), Map.entry("build", BUILD), Map.entry("stage", STAGE), Map.entry("stack", STACK),
            Map.entry("release", RELEASE), Map.entry("deploy", DEPLOY), Map.entry("colors", COLORS),
            Map.entry("nginx", NGINX), Map.entry("ecs", ECS), Map.entry("health", HEALTH),
            Map.entry("deploy_approval", DEPLOY_APPROVAL),
            Map.entry("terraform", TERRAFORM), Map.entry("s3", S3), Map.entry("kaniko_job", KANIKO_JOB));

    public static final List<String> ON_FAILURE = List.of("abort", "continue");
    public static final List<String> STRATEGIES = List.of("blue-green");
    public static final List<String> TARGETS = List.of("script", "nginx", "ecs");
    public static final List<String> BACKENDS = List.of("http", "s3");
    public static final List<String> BUILDERS = List.of("buildx", "kaniko", "buildah", "kaniko-job");

    private Keys() {}

    private static Set<String> keys(String... keys) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }
}
