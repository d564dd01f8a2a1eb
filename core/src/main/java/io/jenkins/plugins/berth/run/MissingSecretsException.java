package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.model.Problem;
import io.jenkins.plugins.berth.model.Secret;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Secrets the deploy file names that the run was not given, or was given values it cannot use: nothing
 * runs until they are. Messages name the secret and its credential, never the value.
 */
public final class MissingSecretsException extends BerthException {
    private static final long serialVersionUID = 1L;

    /** A secret given a value the run cannot use, and why (without the value). */
    public record Unusable(Secret secret, String reason) {}

    private final List<String> credentialIds;

    public MissingSecretsException(List<Secret> missing) {
        this(missing, List.of());
    }

    public MissingSecretsException(List<Secret> missing, List<Unusable> unusable) {
        super(message(missing, unusable));
        this.credentialIds = Stream.concat(missing.stream(), unusable.stream().map(Unusable::secret))
                .map(Secret::credentialId).toList();
    }

    private static String message(List<Secret> missing, List<Unusable> unusable) {
        Stream<Problem> absent = missing.stream().map(s -> new Problem(s.position(), "secret " + s.name()
                + " needs credential '" + s.credentialId() + "', which this run was not given"));
        Stream<Problem> refused = unusable.stream().map(u -> new Problem(u.secret().position(), "secret "
                + u.secret().name() + ": the value of credential '" + u.secret().credentialId() + "' " + u.reason()));
        return Stream.concat(absent, refused).sorted().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /** The credentials of every secret named, missing or unusable. */
    public List<String> credentialIds() {
        return credentialIds;
    }
}
