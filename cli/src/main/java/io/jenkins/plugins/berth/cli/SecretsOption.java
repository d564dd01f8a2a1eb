package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.run.SecretSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --secrets FILE}: secret values by credential id, for the commands that run something. */
final class SecretsOption {

    @Option(names = "--secrets", paramLabel = "FILE",
            description = "Secret values, one credential-id=value line each; the ids are those the deploy file's"
                    + " secrets name.")
    Optional<Path> file = Optional.empty();

    @Option(names = "--secrets-from-env",
            description = "Read each secret from the variable BERTH_SECRET_<CREDENTIAL_ID> (upper case, other"
                    + " characters as _), as a Jenkins build passes them.")
    boolean fromEnvironment;

    /** The secrets, or empty after telling {@code err} why the file cannot be used. */
    Optional<SecretSource> read(PrintWriter err, RunnerEnvironment environment) {
        if (fromEnvironment && file.isPresent()) {
            err.println("berth: give --secrets FILE or --secrets-from-env, not both");
            return Optional.empty();
        }
        if (fromEnvironment) {
            return Optional.of(SecretSource.fromEnvironment(environment.variables()));
        }
        if (file.isEmpty()) {
            return Optional.of(SecretSource.none());
        }
        try {
            return Optional.of(SecretsFile.read(file.get()));
        } catch (IOException e) {
            err.println("berth: cannot read the secrets file " + file.get() + ": " + e.getMessage());
        } catch (SecretsFile.SecretsFileException e) {
            err.println("berth: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Tells a user whose run lacks secrets which ones and how to give them; the exit code to return. */
    int reportMissing(PrintWriter err, io.jenkins.plugins.berth.run.MissingSecretsException e) {
        err.println(e.getMessage());
        err.println(missingHint());
        return ExitCodes.USAGE;
    }

    private String missingHint() {
        if (fromEnvironment) {
            return "berth: nothing ran. Set BERTH_SECRET_<CREDENTIAL_ID> for each secret (in Jenkins,"
                    + " berthEnvironment binds them).";
        }
        return "berth: nothing ran. Give the secrets with --secrets FILE, one credential-id=value line each, values"
                + " of at least " + io.jenkins.plugins.berth.run.SecretMasker.MIN_LENGTH + " characters"
                + file.map(f -> " (" + f + " lacks them)").orElse("") + ".";
    }
}
