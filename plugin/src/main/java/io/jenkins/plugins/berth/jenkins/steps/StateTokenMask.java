package io.jenkins.plugins.berth.jenkins.steps;

import hudson.console.ConsoleLogFilter;
import hudson.model.Run;
import hudson.util.Secret;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import org.jenkinsci.plugins.credentialsbinding.masking.SecretPatterns;

/**
 * Masks a deploy's state token in everything its {@code berthEnvironment} body logs, from the first line, the
 * way {@code withCredentials} masks a bound credential (credentials-binding's own patterns, so encoded forms
 * the installed pattern factories know are masked too). Saved with the build's program, so the token is kept
 * only encrypted.
 */
final class StateTokenMask extends ConsoleLogFilter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Secret token;
    private final String charset;

    StateTokenMask(String token, String charset) {
        this.token = Secret.fromString(token);
        this.charset = charset;
    }

    @Override
    public OutputStream decorateLogger(Run build, OutputStream logger) {
        return new SecretPatterns.MaskingOutputStream(logger,
                () -> SecretPatterns.getAggregateSecretPattern(List.of(token.getPlainText())), charset);
    }
}
