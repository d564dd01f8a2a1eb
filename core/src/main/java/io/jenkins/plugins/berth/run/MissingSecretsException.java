package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.model.Secret;
import java.util.List;
import java.util.stream.Collectors;

/** Secrets the deploy file names that the run was not given: nothing runs until they are. */
public final class MissingSecretsException extends BerthException {
    private static final long serialVersionUID = 1L;

    private final List<String> credentialIds;

    public MissingSecretsException(List<Secret> missing) {
        super(message(missing));
        this.credentialIds = missing.stream().map(Secret::credentialId).toList();
    }

    private static String message(List<Secret> missing) {
        return missing.stream()
                .map(s -> s.position() + ": secret " + s.name() + " needs credential '" + s.credentialId()
                        + "', which this run was not given")
                .collect(Collectors.joining("\n"));
    }

    public List<String> credentialIds() {
        return credentialIds;
    }
}
