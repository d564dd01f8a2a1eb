package io.jenkins.plugins.berth.steps;

import hudson.console.ConsoleLogFilter;
import hudson.console.LineTransformationOutputStream;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.berth.run.SecretMasker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Masks secret values as {@code ****} in the console of the steps inside {@code berthEnvironment}, the
 * way credentials binding does: a console filter over each line. The values are kept as {@link Secret}s,
 * so the build's saved program holds them encrypted only.
 */
final class MaskingFilter extends ConsoleLogFilter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Secret> secrets;

    MaskingFilter(List<Secret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public OutputStream decorateLogger(Run build, OutputStream logger) throws IOException, InterruptedException {
        SecretMasker masker = SecretMasker.of(secrets.stream().map(Secret::getPlainText).toList());
        return new LineTransformationOutputStream.Delegating(logger) {
            @Override
            protected void eol(byte[] b, int len) throws IOException {
                String line = new String(b, 0, len, StandardCharsets.UTF_8);
                out.write(masker.mask(line).getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}
