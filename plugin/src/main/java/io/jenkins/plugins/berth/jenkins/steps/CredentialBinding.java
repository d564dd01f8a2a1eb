package io.jenkins.plugins.berth.jenkins.steps;

import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Secret;
import io.jenkins.plugins.berth.run.SecretSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A credential to bind, as the steps hand it to the {@code berth} variable: a map with
 * {@code credentialsId} and {@code variable}, which the variable turns into
 * {@code string(credentialsId: ..., variable: ...)} for {@code withCredentials}.
 */
final class CredentialBinding {

    private CredentialBinding() {}

    /** What a deploy (or its teardown) binds: each credential its secrets name, as the runner reads it ({@code BERTH_SECRET_<ID>}). */
    static List<Map<String, String>> forDeployFile(DeployFile file) {
        return file.secrets().values().stream().map(Secret::credentialId).distinct()
                .map(id -> of(id, SecretSource.environmentName(id))).toList();
    }

    static Map<String, String> of(String credentialsId, String variable) {
        Map<String, String> binding = new LinkedHashMap<>();
        binding.put("credentialsId", credentialsId);
        binding.put("variable", variable);
        return binding;
    }
}
