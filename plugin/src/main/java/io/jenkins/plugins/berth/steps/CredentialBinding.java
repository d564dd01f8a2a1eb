package io.jenkins.plugins.berth.steps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A credential to bind, as the steps hand it to the {@code berth} variable: a map with
 * {@code credentialsId} and {@code variable}, which the variable turns into
 * {@code string(credentialsId: ..., variable: ...)} for {@code withCredentials}.
 */
final class CredentialBinding {

    private CredentialBinding() {}

    static Map<String, String> of(String credentialsId, String variable) {
        Map<String, String> binding = new LinkedHashMap<>();
        binding.put("credentialsId", credentialsId);
        binding.put("variable", variable);
        return binding;
    }
}
