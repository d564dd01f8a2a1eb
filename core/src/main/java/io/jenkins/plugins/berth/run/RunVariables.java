package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Variable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values of a run as they become known: the built-ins from the start, secrets, then outputs and
 * image references as their phases publish them. {@link #environment} gives a task exactly the
 * variables its {@link Scope} lets it see; validation has already made sure each of them has a value
 * by the time the task runs.
 */
public final class RunVariables {

    private final DeployFile file;
    private final Scope scope;
    private final Map<String, String> builtins;
    private final Map<String, String> secrets;
    private final Map<String, String> published = new ConcurrentHashMap<>();

    /**
     * @param builtins the {@code BERTH_*} values known at the start
     * @param secrets secret values by variable name (not by credential id)
     */
    public RunVariables(DeployFile file, RunFacts facts, Map<String, String> secrets) {
        this(file, facts.builtins(file), secrets);
    }

    private RunVariables(DeployFile file, Map<String, String> builtins, Map<String, String> secrets) {
        this.file = file;
        this.scope = Scope.of(file);
        this.builtins = new ConcurrentHashMap<>(builtins);
        this.secrets = Map.copyOf(secrets);
    }

    /**
     * The values of a deploy file's secrets by variable name, each from its credential.
     *
     * @throws MissingSecretsException naming every secret the source lacks, or whose value the run cannot use:
     *     too short to be masked without revealing it ({@link SecretMasker#isMaskable}), or holding U+0000,
     *     which no environment variable can hold
     */
    public static Map<String, String> secretValues(DeployFile file, SecretSource source) throws MissingSecretsException {
        Map<String, String> values = new LinkedHashMap<>();
        java.util.List<io.jenkins.plugins.berth.model.Secret> missing = new java.util.ArrayList<>();
        java.util.List<MissingSecretsException.Unusable> unusable = new java.util.ArrayList<>();
        for (io.jenkins.plugins.berth.model.Secret secret : file.secrets().values()) {
            Optional<String> value = source.value(secret.credentialId());
            if (value.isEmpty()) {
                missing.add(secret);
            } else if (!SecretMasker.isMaskable(value.get())) {
                unusable.add(new MissingSecretsException.Unusable(secret, "is shorter than " + SecretMasker.MIN_LENGTH
                        + " characters: masking a value that short would show it (a secret 'e' makes 'Deploying'"
                        + " read 'D****ploying'); give it a longer value"));
            } else if (value.get().indexOf('\0') >= 0) {
                unusable.add(new MissingSecretsException.Unusable(secret, "holds U+0000 (NUL), which no environment"
                        + " variable can hold"));
            } else {
                values.put(secret.name(), value.get());
            }
        }
        if (!missing.isEmpty() || !unusable.isEmpty()) {
            throw new MissingSecretsException(missing, unusable);
        }
        return values;
    }


    /**
     * The variables of a recorded environment, outside a deploy (teardown, rollback): its facts from the
     * record, its URL ({@code BERTH_ENV_URL}), images ({@code BERTH_IMAGE_<NAME>}) and builds' outputs as its last
     * deploy recorded them, the secrets from {@code source} (each added to {@code masker}).
     */
    public static RunVariables forRecord(DeployFile file, io.jenkins.plugins.berth.environments.EnvironmentRecord record,
            SecretSource source, SecretMasker masker) throws MissingSecretsException {
        Map<String, String> secrets = secretValues(file, source);
        secrets.values().forEach(masker::add);
        RunVariables variables = new RunVariables(file, RunFacts.of(record), secrets);
        record.url().ifPresent(url -> variables.setBuiltin(BuiltinVariables.ENV_URL, url));
        // The images the environment runs: a teardown stage (or a stop) of a file with images sees them too.
        record.images().forEach((image, pinned) -> variables.publish(BuiltinVariables.imageVariable(image), pinned));
        // The builds' outputs as recorded (an AMI id a teardown stage deregisters); stacks' are read from the stacks.
        file.builds().forEach(build -> build.outputs().forEach(output -> Optional.ofNullable(
                record.outputs().get(output.variable())).ifPresent(value -> variables.publish(output.variable(), value))));
        return variables;
    }

    /** An output or image reference, known from now on. */
    public void publish(String name, String value) {
        published.put(name, value);
    }

    /** Sets a built-in that becomes known during the run ({@code BERTH_ENV_URL}). */
    public void setBuiltin(String name, String value) {
        if (!BuiltinVariables.isBuiltin(name)) {
            throw new IllegalArgumentException(name + " is not a Berth variable");
        }
        builtins.put(name, value);
    }

    /** What phases have published so far (outputs, image references), by variable name. */
    public Map<String, String> published() {
        return Map.copyOf(published);
    }

    public Optional<String> builtin(String name) {
        return Optional.ofNullable(builtins.get(name));
    }

    /**
     * The variables a task at {@code site} sees, by name. {@code taskValues} are built-ins the task
     * itself fixes ({@code BERTH_COLOR} in a deploy, {@code BERTH_STAGE} in a release). Built-ins
     * without a value here ({@code BERTH_STAGE} outside a release) are empty strings.
     */
    public Map<String, String> environment(Scope.Site site, Map<String, String> taskValues) {
        Map<String, String> resolved = new HashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (Scope.Definition definition : scope.visibleAt(site)) {
            environment.put(definition.name(), value(definition.name(), taskValues, resolved));
        }
        return environment;
    }

    /**
     * A template's value at {@code site} (a stack's {@code vars}, a health URL): every reference
     * resolved the way {@link #environment} resolves it.
     */
    public String resolve(io.jenkins.plugins.berth.model.Template template, Scope.Site site) {
        return resolve(template, site, Map.of());
    }

    /** {@link #resolve(io.jenkins.plugins.berth.model.Template, Scope.Site)} with built-ins the task fixes. */
    public String resolve(io.jenkins.plugins.berth.model.Template template, Scope.Site site,
            Map<String, String> taskValues) {
        Map<String, String> resolved = new HashMap<>();
        return template.resolve(ref -> Optional.of(value(ref, taskValues, resolved)));
    }

    /**
     * Like {@link #environment}, leaving out what has no value in this run (outputs and image references
     * when their phase did not run, as in a rollback outside a deploy).
     */
    public Map<String, String> knownEnvironment(Scope.Site site, Map<String, String> taskValues) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Scope.Definition definition : scope.visibleAt(site)) {
            try {
                environment.put(definition.name(), value(definition.name(), taskValues, new HashMap<>()));
            } catch (IllegalStateException e) {
                // Not known here: left out.
            }
        }
        return environment;
    }

    private String value(String name, Map<String, String> taskValues, Map<String, String> resolved) {
        Scope.Definition definition = scope.definition(name)
                .orElseThrow(() -> new IllegalStateException(name + " is not defined"));
        return switch (definition.origin()) {
            case BUILTIN -> taskValues.getOrDefault(name, builtins.getOrDefault(name, ""));
            case SECRET -> required(name, secrets.get(name));
            case OUTPUT, IMAGE, BUILD -> required(name, published.get(name));
            case VARIABLE -> {
                String known = resolved.get(name);
                if (known == null) {
                    Variable variable = file.variables().get(name);
                    known = variable.value().resolve(ref -> Optional.of(value(ref, taskValues, resolved)));
                    resolved.put(name, known);
                }
                yield known;
            }
        };
    }

    private static String required(String name, String value) {
        if (value == null) {
            throw new IllegalStateException(name + " has no value yet: the phase that sets it has not run");
        }
        return value;
    }
}
