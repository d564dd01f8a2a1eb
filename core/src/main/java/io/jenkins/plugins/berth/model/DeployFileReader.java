package io.jenkins.plugins.berth.model;

import io.jenkins.plugins.berth.model.NodeReader.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the node tree into the model, block by block, reporting everything a block can tell about
 * itself: types, unknown and missing keys, name formats, enum values, durations, and combinations
 * within a block. Checks across blocks are {@link DeployFileChecks}'.
 *
 * <p>Where a value is wrong, a placeholder keeps the model whole so the other checks still run; the
 * model is only handed out when no problem was found.
 */
final class DeployFileReader {
    private final NodeReader in;
    private final Problems problems;
    private final String file;

    DeployFileReader(NodeReader in, String file) {
        this.in = in;
        this.problems = in.problems();
        this.file = file;
    }

    DeployFile read(Node root) {
        Map<String, Field> top = in.fields(root, "the deploy file", Keys.TOP);
        if (top.isEmpty() && !(root instanceof MappingNode)) {
            return empty();
        }
        int version = readVersion(top);
        return new DeployFile(file, version,
                optional(top, "project", f -> projectName(f)),
                optional(top, "image", f -> in.text(f.value(), "'image'")),
                optional(top, "agent", f -> in.text(f.value(), "'agent'")),
                environment(top.get("environment")),
                variables(top.get("variables")),
                secrets(top.get("secrets")),
                optional(top, "registry", this::registry),
                images(top.get("images")),
                stages(top.get("init_stages"), "init_stages"),
                stacks(top.get("infrastructure")),
                stages(top.get("stages"), "stages"),
                release(top.get("release")),
                stages(top.get("teardown"), "teardown"),
                terraform(top.get("terraform")),
                builder(top),
                builds(top.get("builds")),
                releaseBranches(top.get("release_branches")),
                kanikoJob(top));
    }

    private ImageBuilder builder(Map<String, Field> top) {
        return optional(top, "builder", f -> in.oneOf(f.value(), "'builder'", Keys.BUILDERS)).map(ImageBuilder::of)
                .orElse(ImageBuilder.BUILDX);
    }

    /** A Kubernetes quantity as a claim's size takes it: a number and an optional suffix. */
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
    /** A DNS-1123 subdomain: a storage class's name. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private KanikoJobSettings kanikoJob(Map<String, Field> top) {
        Field block = top.get("kaniko_job");
        if (block == null) {
            return KanikoJobSettings.DEFAULT;
        }
        String builder = Optional.ofNullable(top.get("builder")).flatMap(f -> in.text(f.value(), "'builder'"))
                .orElse("buildx");
        if (!builder.equals("kaniko-job")) {
            problems.add(in.at(block.keyNode()), "'kaniko_job' is only used with 'builder: kaniko-job'; add"
                    + " 'builder: kaniko-job' or remove 'kaniko_job'");
        }
        Map<String, Field> f = in.fields(block.value(), "'kaniko_job'", Keys.KANIKO_JOB);
        Optional<String> namespace = get(f, "namespace").flatMap(n -> in.text(n.value(), "'kaniko_job.namespace'"));
        if (namespace.isPresent() && !Names.DNS_LABEL.matcher(namespace.get()).matches()) {
            problems.add(in.at(f.get("namespace").value()), "'kaniko_job.namespace' must be a Kubernetes namespace"
                    + " name: lowercase letters, digits and '-', at most 63 characters, not '" + namespace.get() + "'");
        }
        Optional<String> kubeconfig = get(f, "kubeconfig").flatMap(k -> in.text(k.value(), "'kaniko_job.kubeconfig'"));
        if (kubeconfig.isPresent() && !kubeconfig.get().startsWith("/") && !kubeconfig.get().startsWith("~/")) {
            // A file in the repository is the code's to change: its cluster would get the build's registry login.
            problems.add(in.at(f.get("kubeconfig").value()), "'kaniko_job.kubeconfig' must be an absolute path or"
                    + " under ~/, not '" + kubeconfig.get() + "': a kubeconfig in the repository could be changed by"
                    + " the code it builds (in Jenkins, give the folder's kubeconfig credentials)");
        }
        String executor = get(f, "executor").flatMap(e -> image(e, "'kaniko_job.executor'"))
                .orElse(KanikoJobSettings.DEFAULT_EXECUTOR);
        String contextImage = get(f, "context_image").flatMap(e -> image(e, "'kaniko_job.context_image'"))
                .orElse(KanikoJobSettings.DEFAULT_CONTEXT_IMAGE);
        String storage = get(f, "storage").flatMap(s -> in.text(s.value(), "'kaniko_job.storage'"))
                .orElse(KanikoJobSettings.DEFAULT_STORAGE);
        if (!QUANTITY.matcher(storage).matches()) {
            problems.add(in.at(f.get("storage").value()), "'kaniko_job.storage' is the size of the build context's"
                    + " claim, a Kubernetes quantity such as 1Gi or 500Mi, not '" + storage + "'");
        }
        Optional<String> storageClass = get(f, "storage_class")
                .flatMap(s -> in.text(s.value(), "'kaniko_job.storage_class'"));
        if (storageClass.isPresent() && (storageClass.get().length() > 253
                || !DNS_SUBDOMAIN.matcher(storageClass.get()).matches())) {
            problems.add(in.at(f.get("storage_class").value()), "'kaniko_job.storage_class' must be a storage class"
                    + " name: lowercase letters, digits, '-' and '.', not '" + storageClass.get() + "'");
        }
        Duration timeout = get(f, "timeout").flatMap(t -> duration(t, "'kaniko_job.timeout'"))
                .orElse(KanikoJobSettings.DEFAULT_TIMEOUT);
        if (timeout.isZero()) {
            problems.add(in.at(f.get("timeout").value()), "'kaniko_job.timeout' must be longer than 0s");
        }
        return new KanikoJobSettings(namespace, kubeconfig, executor, contextImage, storage, storageClass, timeout);
    }

    /** An image reference for a container: one word, as Kubernetes takes it. */
    private Optional<String> image(Field field, String where) {
        Optional<String> text = in.text(field.value(), where);
        if (text.isPresent() && (text.get().isBlank() || !text.get().strip().equals(text.get())
                || text.get().codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))) {
            problems.add(in.at(field.value()), where + " must be an image reference such as "
                    + KanikoJobSettings.DEFAULT_EXECUTOR + ", one word, not '" + OneLine.of(text.get()) + "'");
            return Optional.empty();
        }
        return text;
    }

    private DeployFile empty() {
        return new DeployFile(file, DeployFile.VERSION, Optional.empty(), Optional.empty(), Optional.empty(),
                defaultEnvironment(), Map.of(), Map.of(), Optional.empty(), Map.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), TerraformSettings.DEFAULT, ImageBuilder.BUILDX, List.of(),
                ReleaseBranches.DEFAULT, KanikoJobSettings.DEFAULT);
    }

    private int readVersion(Map<String, Field> top) {
        Field field = top.get("version");
        if (field == null) {
            problems.add(Position.startOf(file), "missing 'version'; add 'version: " + DeployFile.VERSION
                    + "' as the first line");
            return DeployFile.VERSION;
        }
        Optional<Integer> version = in.integer(field.value(), "'version'", 0, Integer.MAX_VALUE);
        if (version.isPresent() && version.get() != DeployFile.VERSION) {
            problems.add(in.at(field.value()), "unsupported version " + version.get() + "; this Berth reads version "
                    + DeployFile.VERSION + " deploy files");
        }
        return DeployFile.VERSION;
    }

    private Optional<String> projectName(Field field) {
        Optional<String> name = in.text(field.value(), "'project'");
        if (name.isPresent() && !Names.DNS_LABEL.matcher(name.get()).matches()) {
            problems.add(in.at(field.value()), "'project' must be lowercase letters, digits and '-', at most 63"
                    + " characters, starting and ending with a letter or digit (it becomes part of environment and"
                    + " image names), not '" + name.get() + "'");
        }
        return name;
    }

    // ---- environment, variables, secrets, registry ------------------------------------------------

    private EnvironmentSpec defaultEnvironment() {
        return new EnvironmentSpec(DefaultTemplates.environmentName(file), Optional.empty(), false);
    }

    private EnvironmentSpec environment(Field block) {
        if (block == null) {
            return defaultEnvironment();
        }
        Map<String, Field> fields = in.fields(block.value(), "'environment'", Keys.ENVIRONMENT);
        Template name = get(fields, "name").flatMap(f -> in.template(f.value(), "'environment.name'"))
                .orElseGet(() -> DefaultTemplates.environmentName(file));
        Optional<Duration> ttl = get(fields, "ttl").flatMap(f -> duration(f, "'environment.ttl'"));
        boolean isProtected = get(fields, "protected").flatMap(f -> in.bool(f.value(), "'environment.protected'"))
                .orElse(false);
        return new EnvironmentSpec(name, ttl, isProtected);
    }

    private Map<String, Variable> variables(Field block) {
        Map<String, Variable> variables = new LinkedHashMap<>();
        for (Field entry : userKeyed(block, "'variables'")) {
            if (checkVariableName(entry, "variable")) {
                in.template(entry.value(), "variable '" + entry.key() + "'")
                        .ifPresent(value -> variables.put(entry.key(), new Variable(entry.key(), value, in.at(entry.keyNode()))));
            }
        }
        return variables;
    }

    private Map<String, Secret> secrets(Field block) {
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (Field entry : userKeyed(block, "'secrets'")) {
            if (checkVariableName(entry, "secret")) {
                in.text(entry.value(), "the credential id of secret '" + entry.key() + "'")
                        .ifPresent(id -> secrets.put(entry.key(), new Secret(entry.key(), id, in.at(entry.keyNode()))));
            }
        }
        return secrets;
    }

    /** Variable-like names (variables, secrets, outputs): environment-variable syntax, BERTH_ reserved. */
    private boolean checkVariableName(Field entry, String what) {
        return checkVariableName(entry.key(), in.at(entry.keyNode()), what);
    }

    private boolean checkVariableName(String name, Position at, String what) {
        if (!Names.VARIABLE.matcher(name).matches()) {
            problems.add(at, what + " name '" + name + "' is not a valid environment variable name: use letters,"
                    + " digits and '_', not starting with a digit");
            return false;
        }
        if (BuiltinVariables.isReserved(name)) {
            String why = BuiltinVariables.isBuiltin(name)
                    ? name + " is set by Berth and cannot be overridden"
                    : "names starting with " + BuiltinVariables.PREFIX + " are reserved for Berth";
            problems.add(at, why + "; give the " + what + " another name");
            return false;
        }
        return true;
    }

    private TerraformSettings terraform(Field block) {
        if (block == null) {
            return TerraformSettings.DEFAULT;
        }
        Map<String, Field> fields = in.fields(block.value(), "'terraform'", Keys.TERRAFORM);
        Optional<String> binary = get(fields, "binary").flatMap(f -> in.text(f.value(), "'terraform.binary'"));
        String backend = get(fields, "backend").flatMap(f -> in.oneOf(f.value(), "'terraform.backend'", Keys.BACKENDS))
                .orElse("http");
        Optional<Field> s3 = get(fields, "s3");
        if (!backend.equals("s3")) {
            s3.ifPresent(f -> problems.add(in.at(f.keyNode()), "'terraform.s3' is only used with 'backend: s3'; add"
                    + " 'backend: s3' or remove 's3'"));
            return new TerraformSettings(binary, new TerraformSettings.Http());
        }
        if (s3.isEmpty()) {
            problems.add(in.at(block.keyNode()), "'terraform.backend: s3' needs an 's3' block with at least 'bucket'"
                    + " and 'region'");
            return new TerraformSettings(binary, new TerraformSettings.Http());
        }
        Map<String, Field> f = in.fields(s3.get().value(), "'terraform.s3'", Keys.S3);
        Optional<String> bucket = required(f, "bucket", s3.get(), "'terraform.s3'")
                .flatMap(b -> in.text(b.value(), "'terraform.s3.bucket'"));
        Optional<String> region = required(f, "region", s3.get(), "'terraform.s3'")
                .flatMap(r -> in.text(r.value(), "'terraform.s3.region'"));
        String prefix = get(f, "key_prefix").flatMap(p -> in.text(p.value(), "'terraform.s3.key_prefix'")).orElse("berth");
        Optional<String> table = get(f, "dynamodb_table").flatMap(t -> in.text(t.value(), "'terraform.s3.dynamodb_table'"));
        boolean lockfile = get(f, "use_lockfile").flatMap(l -> in.bool(l.value(), "'terraform.s3.use_lockfile'"))
                .orElse(false);
        Optional<String> endpoint = get(f, "endpoint").flatMap(e -> in.text(e.value(), "'terraform.s3.endpoint'"));
        if (table.isPresent() && lockfile) {
            problems.add(in.at(f.get("use_lockfile").keyNode()), "'terraform.s3' locks with 'dynamodb_table' or"
                    + " 'use_lockfile', not both");
        }
        if (bucket.isEmpty() || region.isEmpty()) {
            return new TerraformSettings(binary, new TerraformSettings.Http());
        }
        return new TerraformSettings(binary, new TerraformSettings.S3(bucket.get(), prefix, region.get(), table,
                lockfile, endpoint));
    }

    private Optional<Registry> registry(Field field) {
        if (field.value() instanceof MappingNode) {
            Map<String, Field> ecr = in.fields(field.value(), "'registry'", Set.of("ecr"));
            return get(ecr, "ecr").flatMap(this::ecr).or(() -> {
                if (ecr.isEmpty()) {
                    problems.add(in.at(field.value()), "'registry' must be an address like 127.0.0.1:5000/shop or"
                            + " 'ecr: { account, region, repository }'");
                }
                return Optional.empty();
            });
        }
        Optional<String> address = in.text(field.value(), "'registry'");
        if (address.isPresent() && !REGISTRY_ADDRESS.matcher(address.get()).matches()) {
            problems.add(in.at(field.value()), "'registry' must look like host[:port]/path (for example"
                    + " 127.0.0.1:5000/shop), without a scheme or a tag, not '" + address.get() + "'");
            return Optional.empty();
        }
        return address.map(Registry.Address::new);
    }

    /** {@code release[].registry}: a registry address, like the top-level one (ECR only there). */
    private Optional<Registry.Address> releaseRegistry(Field field) {
        Optional<String> address = in.text(field.value(), "'release.registry'");
        if (address.isPresent() && !REGISTRY_ADDRESS.matcher(address.get()).matches()) {
            problems.add(in.at(field.value()), "'release.registry' must look like host[:port]/path (for example"
                    + " prod.example.com/shop): the registry and repository prefix the stage's images go to, without"
                    + " a scheme or a tag, not '" + address.get() + "'");
            return Optional.empty();
        }
        return address.map(Registry.Address::new);
    }

    private static final Pattern REGISTRY_ADDRESS = Pattern.compile(
            "[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+");

    private Optional<Registry> ecr(Field field) {
        Map<String, Field> f = in.fields(field.value(), "'registry.ecr'", Keys.ECR);
        Optional<String> account = required(f, "account", field, "'registry.ecr'").flatMap(a -> in.text(a.value(), "'registry.ecr.account'"));
        Optional<String> region = required(f, "region", field, "'registry.ecr'").flatMap(a -> in.text(a.value(), "'registry.ecr.region'"));
        Optional<String> repository = required(f, "repository", field, "'registry.ecr'").flatMap(a -> in.text(a.value(), "'registry.ecr.repository'"));
        account.filter(a -> !a.matches("[0-9]{12}")).ifPresent(a -> problems.add(in.at(f.get("account").value()),
                "'registry.ecr.account' must be a 12-digit AWS account id, not '" + a + "'"));
        if (account.isEmpty() || region.isEmpty() || repository.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Registry.Ecr(account.get(), region.get(), repository.get()));
    }

    // ---- images -----------------------------------------------------------------------------------

    private Map<String, ImageSpec> images(Field block) {
        Map<String, ImageSpec> images = new LinkedHashMap<>();
        for (Field entry : userKeyed(block, "'images'")) {
            String name = entry.key();
            Position at = in.at(entry.keyNode());
            if (!Names.IMAGE.matcher(name).matches()) {
                problems.add(at, "image name '" + name + "' must be lowercase letters and digits, separated by single"
                        + " '.', '_' or '-' (it becomes a repository name)");
            }
            String where = "image '" + name + "'";
            Map<String, Field> f = in.fields(entry.value(), where, Keys.IMAGE);
            FileRef context = get(f, "context").flatMap(c -> path(c, where + ".context"))
                    .orElse(new FileRef(".", at));
            FileRef dockerfile = get(f, "dockerfile").flatMap(d -> path(d, where + ".dockerfile"))
                    .orElse(new FileRef(context.path().equals(".") ? "Dockerfile" : context.path() + "/Dockerfile", at));
            Map<String, Template> args = new LinkedHashMap<>();
            for (Field arg : userKeyed(get(f, "args").orElse(null), where + ".args")) {
                if (!Names.VARIABLE.matcher(arg.key()).matches()) {
                    problems.add(in.at(arg.keyNode()), "build argument '" + arg.key() + "' is not a valid ARG name");
                    continue;
                }
                in.template(arg.value(), where + ".args." + arg.key()).ifPresent(t -> args.put(arg.key(), t));
            }
            List<ImageSpec.Tag> tags = new ArrayList<>();
            get(f, "tags").ifPresent(t -> {
                for (Node tagNode : in.sequence(t.value(), where + ".tags")) {
                    in.text(tagNode, "a tag of " + where).ifPresent(tag -> {
                        if (!Names.TAG.matcher(tag).matches()) {
                            problems.add(in.at(tagNode), "'" + tag + "' is not a valid image tag: letters, digits, '_',"
                                    + " '.' and '-', at most 128, not starting with '.' or '-'");
                        } else if (tags.stream().anyMatch(other -> other.value().equals(tag))) {
                            problems.add(in.at(tagNode), "tag '" + tag + "' is listed twice in " + where);
                        } else {
                            tags.add(new ImageSpec.Tag(tag, in.at(tagNode)));
                        }
                    });
                }
            });
            Optional<ImageSpec.Setting> target = get(f, "target").flatMap(t -> in.text(t.value(), where + ".target")
                    .flatMap(value -> {
                        if (!STAGE_NAME.matcher(value).matches()) {
                            problems.add(in.at(t.value()), where + ".target '" + value + "' is not a build stage"
                                    + " name: a letter, then letters, digits, '_', '.' and '-' (FROM ... AS NAME)");
                            return Optional.empty();
                        }
                        return Optional.of(new ImageSpec.Setting(value, in.at(t.value())));
                    }));
            List<ImageSpec.Setting> platforms = new ArrayList<>();
            get(f, "platforms").ifPresent(p -> {
                List<Node> items = in.sequence(p.value(), where + ".platforms");
                if (items.isEmpty() && p.value() instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
                    problems.add(in.at(p.value()), where + ".platforms is empty: list at least one platform such as"
                            + " linux/amd64, or leave the key out for the builder's own");
                }
                for (Node item : items) {
                    in.text(item, "a platform of " + where).ifPresent(value -> {
                        if (!PLATFORM.matcher(value).matches()) {
                            problems.add(in.at(item), "'" + value + "' is not a platform: os/architecture[/variant]"
                                    + " in lowercase, such as linux/amd64 or linux/arm/v7");
                        } else if (platforms.stream().anyMatch(other -> other.value().equals(value))) {
                            problems.add(in.at(item), "platform '" + value + "' is listed twice in " + where);
                        } else {
                            platforms.add(new ImageSpec.Setting(value, in.at(item)));
                        }
                    });
                }
            });
            Optional<Template> repository = get(f, "repository").flatMap(r -> in.template(r.value(),
                    where + ".repository"));
            images.put(name, new ImageSpec(name, at, dockerfile, context, args, tags, target, platforms, repository));
        }
        return images;
    }

    // ---- stages -----------------------------------------------------------------------------------

    private List<Stage> stages(Field block, String list) {
        List<Stage> stages = new ArrayList<>();
        if (block == null) {
            return stages;
        }
        List<Node> items = in.sequence(block.value(), "'" + list + "'");
        for (int i = 0; i < items.size(); i++) {
            stage(items.get(i), list, i).ifPresent(stages::add);
        }
        return stages;
    }

    private Optional<Stage> stage(Node node, String list, int index) {
        String where = list + "[" + index + "]";
        Map<String, Field> f = in.fields(node, "'" + where + "'", Keys.STAGE);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        String name = required(f, "name", node, "'" + where + "'").flatMap(n -> in.text(n.value(), "'" + where + ".name'"))
                .orElse("");
        if (!name.isEmpty() && !Names.isStageName(name)) {
            problems.add(in.at(f.get("name").value()), "stage name must be one line of at most " + Names.MAX_STAGE_NAME
                    + " printable characters");
        }
        String label = name.isEmpty() ? "'" + where + "'" : "stage '" + name + "'";
        List<Stage.Action> actions = new ArrayList<>();
        get(f, "run").flatMap(r -> in.text(r.value(), label + ".run")).ifPresent(r -> actions.add(new Stage.Run(r)));
        get(f, "script").flatMap(s -> path(s, label + ".script")).ifPresent(s -> actions.add(new Stage.Script(s)));
        get(f, "deploy").flatMap(d -> deploy(d, label)).ifPresent(d -> actions.add(new Stage.DeployAction(d)));
        Position at = in.at(node);
        long given = f.keySet().stream().filter(k -> k.equals("run") || k.equals("script") || k.equals("deploy")).count();
        if (given == 0) {
            problems.add(at, label + " does nothing: give it 'run' (inline script), 'script' (a file in the repository)"
                    + (list.equals("stages") ? " or 'deploy'" : ""));
        } else if (given > 1) {
            Field second = f.entrySet().stream().filter(e -> Set.of("run", "script", "deploy").contains(e.getKey()))
                    .skip(1).findFirst().orElseThrow().getValue();
            problems.add(in.at(second.keyNode()), label + " has more than one of 'run', 'script' and 'deploy'; a stage"
                    + " does one thing: split it into two stages");
        }
        if (f.containsKey("deploy") && !list.equals("stages")) {
            problems.add(in.at(f.get("deploy").keyNode()), "'deploy' belongs in 'stages' (after the infrastructure),"
                    + " not in '" + list + "'");
        }
        OnFailure onFailure = get(f, "on_failure").flatMap(o -> in.oneOf(o.value(), label + ".on_failure", Keys.ON_FAILURE))
                .map(o -> OnFailure.valueOf(o.toUpperCase(java.util.Locale.ROOT))).orElse(OnFailure.ABORT);
        boolean always = get(f, "always").flatMap(a -> in.bool(a.value(), label + ".always")).orElse(false);
        Stage.Action action = actions.isEmpty() ? new Stage.Run("") : actions.get(0);
        return Optional.of(new Stage(name, at, action,
                get(f, "image").flatMap(i -> in.text(i.value(), label + ".image")),
                get(f, "agent").flatMap(a -> in.text(a.value(), label + ".agent")),
                onFailure, always, timeout(f, label)));
    }

    private Optional<Deploy> deploy(Field block, String stage) {
        String where = stage + ".deploy";
        Map<String, Field> f = in.fields(block.value(), "'deploy' of " + stage, Keys.DEPLOY);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Position at = in.at(block.value());
        Optional<String> strategy = required(f, "strategy", block.value(), where)
                .flatMap(s -> in.oneOf(s.value(), where + ".strategy", Keys.STRATEGIES));
        Optional<Deploy.Target> target = required(f, "target", block.value(), where)
                .flatMap(t -> in.oneOf(t.value(), where + ".target", Keys.TARGETS))
                .map(t -> Deploy.Target.valueOf(t.toUpperCase(java.util.Locale.ROOT)));
        Optional<Deploy.ColorPorts> colorPorts = get(f, "colors").flatMap(c -> colorPorts(c, where + ".colors"));
        Optional<Deploy.Colors> colors = colorPorts.isPresent() ? Optional.empty()
                : get(f, "colors").flatMap(c -> colors(c, where + ".colors"));
        Optional<String> start = get(f, "start").flatMap(s -> in.text(s.value(), where + ".start"));
        Optional<String> stop = get(f, "stop").flatMap(s -> in.text(s.value(), where + ".stop"));
        Optional<String> switchCommand = get(f, "switch").flatMap(s -> in.text(s.value(), where + ".switch"));
        Optional<Deploy.Nginx> nginx = get(f, "nginx").flatMap(n -> nginx(n, where + ".nginx"));
        Optional<Deploy.Ecs> ecs = get(f, "ecs").flatMap(e -> ecs(e, where + ".ecs"));
        Optional<Deploy.Health> health = required(f, "health", block.value(), where).flatMap(h -> health(h, where + ".health"));
        Duration keep = get(f, "keep").flatMap(k -> duration(k, where + ".keep")).orElse(Deploy.DEFAULT_KEEP);
        Duration drain = get(f, "drain").flatMap(d -> duration(d, where + ".drain")).orElse(Deploy.DEFAULT_DRAIN);
        Deploy.Hooks hooks = new Deploy.Hooks(
                get(f, "before_start").flatMap(h -> in.text(h.value(), where + ".before_start")),
                get(f, "before_switch").flatMap(h -> in.text(h.value(), where + ".before_switch")),
                get(f, "after_switch").flatMap(h -> in.text(h.value(), where + ".after_switch")));
        Optional<Deploy.Approval> approval = get(f, "approval").flatMap(a -> approval(a, where + ".approval"));
        Optional<Template> sharedDir = get(f, "shared_dir").flatMap(d -> sharedDir(d, where + ".shared_dir"));
        Optional<Template> previewUrl = get(f, "preview_url").flatMap(u -> in.template(u.value(), where + ".preview_url"));
        target.ifPresent(t -> checkTargetKeys(t, f, block, where));
        if (strategy.isEmpty() || target.isEmpty() || health.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Deploy(Deploy.Strategy.BLUE_GREEN, target.get(), colors, start, stop, switchCommand,
                nginx, ecs, health.get(), keep, drain, hooks, approval, sharedDir, previewUrl, colorPorts));
    }

    /** {@code approval: true}, or {@code { timeout, default }}, or {@code { after }} (approve after the wait). */
    private Optional<Deploy.Approval> approval(Field block, String where) {
        if (block.value() instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
            return in.bool(block.value(), where).filter(b -> b).map(b -> Deploy.Approval.ASK);
        }
        Map<String, Field> f = in.fields(block.value(), "'" + where + "'", Keys.DEPLOY_APPROVAL);
        Optional<Duration> timeout = get(f, "timeout").flatMap(t -> duration(t, where + ".timeout"));
        Optional<Duration> after = get(f, "after").flatMap(t -> duration(t, where + ".after"));
        Optional<Deploy.Decision> byDefault = get(f, "default").flatMap(d -> in.oneOf(d.value(), where + ".default",
                Keys.DECISIONS)).map(d -> Deploy.Decision.valueOf(d.toUpperCase(java.util.Locale.ROOT)));
        if (f.containsKey("after") && (f.containsKey("timeout") || f.containsKey("default"))) {
            problems.add(in.at(f.get("after").keyNode()), where + ".after approves once the time is over, so it takes"
                    + " no 'timeout' or 'default': give either 'after', or 'timeout' and 'default'");
            return Optional.empty();
        }
        for (Field given : new Field[] {f.get("timeout"), f.get("after")}) {
            if (given != null && Durations.parse(in.text(given.value(), where).orElse("")).filter(Duration::isZero)
                    .isPresent()) {
                problems.add(in.at(given.value()), where + "." + given.key() + " must be longer than 0s");
                return Optional.empty();
            }
        }
        if (after.isPresent()) {
            return Optional.of(new Deploy.Approval(after, Deploy.Decision.APPROVE, true));
        }
        return Optional.of(new Deploy.Approval(timeout, byDefault.orElse(Deploy.Decision.REJECT), false));
    }

    /**
     * {@code shared_dir}: a relative path (kept under the environment's folder of the Berth state) or an absolute one,
     * which teardown deletes, so it must be at least two levels deep and never {@code ..}.
     */
    private Optional<Template> sharedDir(Field field, String where) {
        Optional<Template> dir = in.template(field.value(), where);
        Optional<String> text = in.text(field.value(), where);
        if (text.isPresent()) {
            String path = text.get();
            boolean climbs = java.util.Arrays.asList(path.split("/")).contains("..");
            boolean shallow = path.startsWith("/") && java.nio.file.Path.of(path).normalize().getNameCount() < 2;
            if (climbs || shallow || path.startsWith("~")) {
                problems.add(in.at(field.value()), where + " must be a relative path (kept in the environment's"
                        + " folder of the Berth state) or an absolute one at least two levels deep (teardown deletes"
                        + " it), without '..' or '~', not '" + path + "'");
                return Optional.empty();
            }
        }
        return dir;
    }

    /** Which keys each target needs, and which make no sense for it. */
    private void checkTargetKeys(Deploy.Target target, Map<String, Field> f, Field block, String where) {
        List<String> needed = switch (target) {
            case SCRIPT -> List.of("colors", "start", "switch");
            case NGINX -> List.of("colors", "start", "nginx");
            case ECS -> List.of("ecs");
        };
        List<String> foreign = switch (target) {
            case SCRIPT -> List.of("nginx", "ecs");
            case NGINX -> List.of("switch", "ecs");
            // The colours run in ECS tasks: a folder of this machine is none of theirs (an EFS volume would be).
            case ECS -> List.of("colors", "start", "stop", "switch", "nginx", "shared_dir");
        };
        for (String key : needed) {
            if (!f.containsKey(key)) {
                problems.add(in.at(block.value()), where + " with target " + target.keyword() + " needs '" + key + "'");
            }
        }
        for (String key : foreign) {
            if (f.containsKey(key)) {
                problems.add(in.at(f.get(key).keyNode()), "'" + key + "' does not apply to target " + target.keyword()
                        + "; remove it or change the target");
            }
        }
    }

    /**
     * {@code colors: auto}, or ports given as templates ({@code ${PORT_BASE}}): known per environment, resolved at
     * each deploy. Empty for literal numbers (read by {@link #colors}).
     */
    private Optional<Deploy.ColorPorts> colorPorts(Field block, String where) {
        if (block.value() instanceof org.yaml.snakeyaml.nodes.ScalarNode scalar) {
            if (!scalar.getValue().equals("auto")) {
                problems.add(in.at(block.value()), where + " must be 'auto' or { blue: PORT, green: PORT }, not '"
                        + scalar.getValue() + "'");
            }
            return Optional.of(new Deploy.ColorPorts(Optional.empty(), Optional.empty()));
        }
        // A look at the raw values only: the reading (and its problems) is done once, below or by colors().
        boolean templated = block.value() instanceof org.yaml.snakeyaml.nodes.MappingNode mapping
                && mapping.getValue().stream().anyMatch(t -> t.getValueNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode v
                        && v.getValue().contains("${"));
        if (!templated) {
            return Optional.empty();
        }
        Map<String, Field> checked = in.fields(block.value(), "'" + where + "'", Keys.COLORS);
        Optional<Template> blue = required(checked, "blue", block.value(), where)
                .flatMap(b -> in.template(b.value(), where + ".blue"));
        Optional<Template> green = required(checked, "green", block.value(), where)
                .flatMap(g -> in.template(g.value(), where + ".green"));
        return blue.isPresent() && green.isPresent() ? Optional.of(new Deploy.ColorPorts(blue, green)) : Optional.empty();
    }

    private Optional<Deploy.Colors> colors(Field block, String where) {
        Map<String, Field> f = in.fields(block.value(), "'" + where + "'", Keys.COLORS);
        Optional<Integer> blue = required(f, "blue", block.value(), where).flatMap(b -> in.integer(b.value(), where + ".blue", 1, 65535));
        Optional<Integer> green = required(f, "green", block.value(), where).flatMap(g -> in.integer(g.value(), where + ".green", 1, 65535));
        if (blue.isPresent() && green.isPresent() && blue.get().equals(green.get())) {
            problems.add(in.at(f.get("green").value()), "blue and green need different ports; both are " + blue.get());
            return Optional.empty();
        }
        return blue.isPresent() && green.isPresent() ? Optional.of(new Deploy.Colors(blue.get(), green.get())) : Optional.empty();
    }

    private Optional<Deploy.Nginx> nginx(Field block, String where) {
        Map<String, Field> f = in.fields(block.value(), "'" + where + "'", Keys.NGINX);
        Optional<Template> upstream = required(f, "upstream", block.value(), where).flatMap(u -> in.template(u.value(), where + ".upstream"));
        Optional<Template> file = required(f, "upstream_file", block.value(), where).flatMap(u -> in.template(u.value(), where + ".upstream_file"));
        String reload = get(f, "reload").flatMap(r -> in.text(r.value(), where + ".reload")).orElse("nginx -s reload");
        String test = get(f, "test").flatMap(t -> in.text(t.value(), where + ".test")).orElse("nginx -t");
        upstream.filter(u -> u.references().isEmpty()).map(u -> u.render(name -> Optional.empty()))
                .filter(name -> !Deploy.Nginx.isUpstreamName(name))
                .ifPresent(name -> problems.add(in.at(f.get("upstream").value()), where + ".upstream '" + name
                        + "' is not an nginx upstream name: letters, digits, '_', '.' and '-', starting with a letter,"
                        + " digit or '_' (it is written as 'upstream NAME { ... }')"));
        return upstream.isPresent() && file.isPresent()
                ? Optional.of(new Deploy.Nginx(upstream.get(), file.get(), test, reload)) : Optional.empty();
    }

    private Optional<Deploy.Ecs> ecs(Field block, String where) {
        Map<String, Field> f = in.fields(block.value(), "'" + where + "'", Keys.ECS);
        Optional<String> region = required(f, "region", block.value(), where).flatMap(r -> in.text(r.value(), where + ".region"));
        Optional<String> cluster = required(f, "cluster", block.value(), where).flatMap(c -> in.text(c.value(), where + ".cluster"));
        Optional<String> listener = required(f, "listener", block.value(), where).flatMap(l -> in.text(l.value(), where + ".listener"));
        Optional<Deploy.PerColor> services = required(f, "services", block.value(), where).flatMap(s -> perColor(s, where + ".services"));
        Optional<Deploy.PerColor> groups = required(f, "target_groups", block.value(), where).flatMap(g -> perColor(g, where + ".target_groups"));
        // These names reach AWS as they are written: a ${...} would be sent literally, so it is refused here.
        for (String key : List.of("region", "cluster", "listener")) {
            literalOnly(f.get(key), where + "." + key);
        }
        services.filter(DeployFileReader::templated).ifPresent(s -> problems.add(in.at(f.get("services").value()),
                where + ".services are sent to AWS as written and cannot use ${...}: write the service names"));
        groups.filter(DeployFileReader::templated).ifPresent(g -> problems.add(in.at(f.get("target_groups").value()),
                where + ".target_groups are sent to AWS as written and cannot use ${...}: write the target groups"));
        if (region.isEmpty() || cluster.isEmpty() || listener.isEmpty() || services.isEmpty() || groups.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Deploy.Ecs(region.get(), cluster.get(), listener.get(), services.get(), groups.get()));
    }

    private Optional<Deploy.PerColor> perColor(Field block, String where) {
        Map<String, Field> f = in.fields(block.value(), "'" + where + "'", Keys.COLORS);
        Optional<String> blue = required(f, "blue", block.value(), where).flatMap(b -> in.text(b.value(), where + ".blue"));
        Optional<String> green = required(f, "green", block.value(), where).flatMap(g -> in.text(g.value(), where + ".green"));
        return blue.isPresent() && green.isPresent() ? Optional.of(new Deploy.PerColor(blue.get(), green.get())) : Optional.empty();
    }

    private Optional<Deploy.Health> health(Field block, String where) {
        Map<String, Field> f = in.fields(block.value(), "'" + where + "'", Keys.HEALTH);
        Optional<Template> url = required(f, "url", block.value(), where).flatMap(u -> in.template(u.value(), where + ".url"));
        Duration timeout = get(f, "timeout").flatMap(t -> duration(t, where + ".timeout")).orElse(Deploy.Health.DEFAULT_TIMEOUT);
        Duration interval = get(f, "interval").flatMap(i -> duration(i, where + ".interval")).orElse(Deploy.Health.DEFAULT_INTERVAL);
        int successes = get(f, "successes").flatMap(s -> in.integer(s.value(), where + ".successes", 1, 100))
                .orElse(Deploy.Health.DEFAULT_SUCCESSES);
        int failureLimit = get(f, "failure_limit").flatMap(l -> in.integer(l.value(), where + ".failure_limit", 0, 100))
                .orElse(Deploy.Health.DEFAULT_FAILURE_LIMIT);
        boolean requireDeployId = get(f, "require_deploy_id").flatMap(r -> in.bool(r.value(), where + ".require_deploy_id"))
                .orElse(false);
        if (f.containsKey("timeout") && f.containsKey("interval") && interval.compareTo(timeout) > 0) {
            problems.add(in.at(f.get("interval").value()), where + ".interval is longer than its timeout; the check"
                    + " would never run twice");
        }
        return url.map(u -> new Deploy.Health(u, timeout, interval, successes, failureLimit, requireDeployId));
    }

    // ---- infrastructure and release ---------------------------------------------------------------

    private List<Stack> stacks(Field block) {
        return entries(block, "infrastructure", this::stack);
    }

    /** The entries of a list block ({@code infrastructure}, {@code builds}), each read with its place in the list. */
    private <T> List<T> entries(Field block, String key, java.util.function.BiFunction<Node, String, Optional<T>> read) {
        List<T> entries = new ArrayList<>();
        if (block == null) {
            return entries;
        }
        List<Node> items = in.sequence(block.value(), "'" + key + "'");
        for (int i = 0; i < items.size(); i++) {
            read.apply(items.get(i), key + "[" + i + "]").ifPresent(entries::add);
        }
        return entries;
    }

    /**
     * The {@code name} of a stack or build entry, checked as {@link Names#STACK} ({@code what}: "stack", "build";
     * {@code names}: what the name names, for the message); "" when missing or wrong.
     */
    private String entryName(Map<String, Field> f, Node node, String where, String what, String names) {
        String name = required(f, "name", node, "'" + where + "'").flatMap(n -> in.text(n.value(), "'" + where + ".name'"))
                .orElse("");
        if (!name.isEmpty() && !Names.STACK.matcher(name).matches()) {
            problems.add(in.at(f.get("name").value()), what + " name '" + name + "' must be letters, digits, '-' and '_',"
                    + " at most 63, starting and ending with a letter or digit (it names " + names + ")");
        }
        return name;
    }

    /** An entry's {@code vars}: each a template under a variable-like name ({@code tool}: whose variable it is). */
    private Map<String, Template> entryVars(Map<String, Field> f, String label, String tool) {
        Map<String, Template> vars = new LinkedHashMap<>();
        for (Field v : userKeyed(get(f, "vars").orElse(null), label + ".vars")) {
            if (!Names.VARIABLE.matcher(v.key()).matches()) {
                problems.add(in.at(v.keyNode()), "'" + v.key() + "' is not a valid " + tool + " variable name");
                continue;
            }
            in.template(v.value(), label + ".vars." + v.key()).ifPresent(t -> vars.put(v.key(), t));
        }
        return vars;
    }

    /** What every stack and build entry has: its fields, position, name, the label messages use, and its dir. */
    private record Entry(Map<String, Field> f, Position at, String name, String label, FileRef dir) {}

    /** The common part of a stack or build entry ({@code what}); empty when it is no mapping. */
    private Optional<Entry> entry(Node node, String where, Set<String> keys, String what, String names) {
        Map<String, Field> f = in.fields(node, "'" + where + "'", keys);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Position at = in.at(node);
        String name = entryName(f, node, where, what, names);
        String label = name.isEmpty() ? "'" + where + "'" : what + " '" + name + "'";
        FileRef dir = required(f, "dir", node, label).flatMap(d -> path(d, label + ".dir")).orElse(new FileRef(".", at));
        return Optional.of(new Entry(f, at, name, label, dir));
    }

    private Optional<Stack> stack(Node node, String where) {
        Optional<Entry> entry = entry(node, where, Keys.STACK, "stack", "the stack's state");
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Field> f = entry.get().f();
        Position at = entry.get().at();
        String name = entry.get().name();
        String label = entry.get().label();
        FileRef dir = entry.get().dir();
        boolean shared = get(f, "shared").flatMap(s -> in.bool(s.value(), label + ".shared")).orElse(false);
        Map<String, Template> vars = entryVars(f, label, "Terraform");
        List<Stack.Output> outputs = new ArrayList<>();
        for (Field o : userKeyed(get(f, "outputs").orElse(null), label + ".outputs")) {
            if (checkVariableName(o.key(), in.at(o.keyNode()), "output")) {
                in.text(o.value(), label + ".outputs." + o.key()).ifPresent(tf -> {
                    if (!Names.VARIABLE.matcher(tf).matches()) {
                        problems.add(in.at(o.value()), "'" + tf + "' is not a valid Terraform output name");
                    } else {
                        outputs.add(new Stack.Output(o.key(), tf, in.at(o.keyNode())));
                    }
                });
            }
        }
        Optional<String> url = get(f, "url").flatMap(u -> in.text(u.value(), label + ".url"));
        url.filter(u -> outputs.stream().noneMatch(o -> o.variable().equals(u))).ifPresent(u ->
                problems.add(in.at(f.get("url").value()), label + ".url names '" + u + "', which is not one of its"
                        + " outputs" + (outputs.isEmpty() ? "; declare it under 'outputs' (VARIABLE: terraform_output)"
                                : " (" + String.join(", ", outputs.stream().map(Stack.Output::variable).toList()) + ")"
                                        + Suggestions.hint(u, outputs.stream().map(Stack.Output::variable).toList()))));
        Optional<List<Stack.Need>> needs = get(f, "needs").map(n -> {
            List<Stack.Need> listed = new ArrayList<>();
            for (Node item : in.sequence(n.value(), label + ".needs")) {
                in.text(item, "an entry of " + label + ".needs").ifPresent(s -> listed.add(new Stack.Need(s, in.at(item))));
            }
            return listed;
        });
        return Optional.of(new Stack(name, at, dir, shared, vars, outputs, url, needs, timeout(f, label)));
    }

    // ---- builds -----------------------------------------------------------------------------------

    /** {@code type.name} of a Packer source: HCL labels, as Packer's machine-readable output keys builds. */
    private static final Pattern PACKER_SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*\\.[A-Za-z0-9_][A-Za-z0-9_-]*");
    /** {@code <type>.<name>.<field>}: the artifact fields an output can name. */
    /** A build stage's name as BuildKit accepts it in {@code FROM ... AS NAME}. */
    private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");
    /** {@code os/arch[/variant]}, as the OCI image index names platforms. */
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?");

    private static final Pattern ARTIFACT_FIELD = Pattern.compile("(id|string|builder_id|files\\.(0|[1-9][0-9]{0,3}))");

    private List<Build> builds(Field block) {
        return entries(block, "builds", this::build);
    }

    private Optional<Build> build(Node node, String where) {
        Optional<Entry> entry = entry(node, where, Keys.BUILD, "build", "the build's work folder");
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Field> f = entry.get().f();
        String label = entry.get().label();
        List<Build.SourceRef> only = new ArrayList<>();
        get(f, "only").ifPresent(o -> {
            for (Node item : in.sequence(o.value(), label + ".only")) {
                in.text(item, "an entry of " + label + ".only").ifPresent(source -> {
                    if (PACKER_SOURCE.matcher(source).matches()) {
                        only.add(new Build.SourceRef(source, in.at(item)));
                    } else {
                        problems.add(in.at(item), label + ".only names a source as <builder type>.<source name>"
                                + " (like file.artifact), not '" + source + "'");
                    }
                });
            }
        });
        Map<String, Template> vars = entryVars(f, label, "Packer");
        Optional<String> agent = get(f, "agent").flatMap(a -> in.text(a.value(), label + ".agent"));
        List<Build.Output> outputs = new ArrayList<>();
        for (Field o : userKeyed(get(f, "outputs").orElse(null), label + ".outputs")) {
            if (checkVariableName(o.key(), in.at(o.keyNode()), "output")) {
                in.text(o.value(), label + ".outputs." + o.key()).ifPresent(artifact -> {
                    Optional<Build.Output> output = artifactOutput(o.key(), artifact, in.at(o.value()));
                    if (output.isPresent()) {
                        outputs.add(output.get());
                    } else {
                        problems.add(in.at(o.value()), label + ".outputs." + o.key() + " names an artifact field as"
                                + " <builder type>.<source name>.<field>, the field id, string, builder_id or files.<N>"
                                + " (like file.artifact.files.0), not '" + artifact + "'");
                    }
                });
            }
        }
        return Optional.of(new Build(entry.get().name(), entry.get().at(), entry.get().dir(), only, vars, agent,
                timeout(f, label), outputs));
    }

    /** {@code null.app.id} split into its source and field, when it is one. */
    private static Optional<Build.Output> artifactOutput(String variable, String artifact, Position at) {
        String[] parts = artifact.split("\\.", 3);
        if (parts.length < 3 || !PACKER_SOURCE.matcher(parts[0] + "." + parts[1]).matches()
                || !ARTIFACT_FIELD.matcher(parts[2]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Build.Output(variable, parts[0] + "." + parts[1], parts[2], at));
    }

    private List<ReleaseStage> release(Field block) {
        List<ReleaseStage> release = new ArrayList<>();
        if (block == null) {
            return release;
        }
        for (Node item : in.sequence(block.value(), "'release'")) {
            Map<String, Field> f = in.fields(item, "a release stage", Keys.RELEASE);
            if (f.isEmpty()) {
                continue;
            }
            Optional<String> name = required(f, "stage", item, "a release stage").flatMap(s -> in.text(s.value(), "'release.stage'"));
            if (name.isPresent() && !Names.DNS_LABEL.matcher(name.get()).matches()) {
                problems.add(in.at(f.get("stage").value()), "release stage '" + name.get() + "' must be lowercase"
                        + " letters, digits and '-', at most 63 (it becomes an image tag and part of an environment name)");
            }
            boolean approval = get(f, "approval").flatMap(a -> in.bool(a.value(), "'release.approval'")).orElse(false);
            Optional<Registry.Address> registry = get(f, "registry").flatMap(this::releaseRegistry);
            name.ifPresent(n -> release.add(new ReleaseStage(n, in.at(item), approval, registry)));
        }
        return release;
    }

    /** {@code release_branches}: a non-empty list of branch names, each once. */
    private ReleaseBranches releaseBranches(Field block) {
        if (block == null) {
            return ReleaseBranches.DEFAULT;
        }
        List<String> names = new ArrayList<>();
        List<Node> items = in.sequence(block.value(), "'release_branches'");
        for (Node item : items) {
            in.text(item, "a branch of 'release_branches'").ifPresent(name -> {
                if (name.isBlank()) {
                    problems.add(in.at(item), "a branch of 'release_branches' must not be empty");
                } else if (names.contains(name)) {
                    problems.add(in.at(item), "branch '" + name + "' is listed twice in 'release_branches'");
                } else {
                    names.add(name);
                }
            });
        }
        if (items.isEmpty() && block.value() instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
            problems.add(in.at(block.value()), "'release_branches' is empty: list the branches the project releases"
                    + " from (for example [main]), or leave the key out for main and master");
        }
        return new ReleaseBranches(names, true);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static boolean templated(Deploy.PerColor names) {
        return names.blue().contains("${") || names.green().contains("${");
    }

    /** A value Berth passes on as written: a {@code ${...}} in it is a problem at its position. */
    private void literalOnly(Field field, String where) {
        if (field == null) {
            return;
        }
        in.text(field.value(), where).filter(text -> text.contains("${")).ifPresent(text -> problems.add(
                in.at(field.value()), where + " is sent to AWS as written and cannot use ${...}: write the name"
                        + " itself, not '" + text + "'"));
    }

    /** A stage's or stack's {@code timeout:}, a duration above zero. */
    private Optional<Duration> timeout(Map<String, Field> f, String label) {
        Optional<Duration> timeout = get(f, "timeout").flatMap(t -> duration(t, label + ".timeout"));
        if (timeout.filter(Duration::isZero).isPresent()) {
            problems.add(in.at(f.get("timeout").value()), label + ".timeout must be longer than 0s; leave it out to"
                    + " let it run as long as it takes");
            return Optional.empty();
        }
        return timeout;
    }

    private Optional<Duration> duration(Field field, String where) {
        Optional<String> text = in.text(field.value(), where);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> duration = Durations.parse(text.get());
        if (duration.isEmpty()) {
            problems.add(in.at(field.value()), where + " is not a duration: write a whole number and a unit (s, m, h"
                    + " or d), like 30s, 10m, 3h or 3d, not '" + text.get() + "'");
        }
        return duration;
    }

    private Optional<FileRef> path(Field field, String where) {
        Optional<String> text = in.text(field.value(), where);
        if (text.isPresent() && !Names.isRepositoryPath(text.get())) {
            problems.add(in.at(field.value()), where + " must be a relative path inside the repository (no leading"
                    + " '/', no '..'), not '" + text.get() + "'");
            return Optional.empty();
        }
        return text.map(t -> new FileRef(t.replaceAll("/+$", ""), in.at(field.value())));
    }

    private List<Field> userKeyed(Field block, String where) {
        if (block == null) {
            return List.of();
        }
        return in.mapping(block.value(), where).map(m -> List.copyOf(in.entries(m, where, null).values()))
                .orElse(List.of());
    }

    private Optional<Field> required(Map<String, Field> fields, String key, Node owner, String where) {
        Field field = fields.get(key);
        if (field == null) {
            problems.add(in.at(owner), where + " is missing '" + key + "'");
        }
        return Optional.ofNullable(field);
    }

    private Optional<Field> required(Map<String, Field> fields, String key, Field owner, String where) {
        return required(fields, key, owner.value(), where);
    }

    private static Optional<Field> get(Map<String, Field> fields, String key) {
        return Optional.ofNullable(fields.get(key));
    }

    private <T> Optional<T> optional(Map<String, Field> fields, String key,
            java.util.function.Function<Field, Optional<T>> read) {
        return get(fields, key).flatMap(read);
    }
}
