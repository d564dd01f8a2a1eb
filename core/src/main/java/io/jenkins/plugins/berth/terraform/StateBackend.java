package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.model.TerraformSettings;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a stack's state lives, as Terraform is told: a backend block written into the stack's folder
 * ({@code berth_backend_override.tf}) and environment variables for what must not be written down.
 */
public interface StateBackend extends AutoCloseable {

    /** {@code http} or {@code s3}, as recorded with the environment. */
    String name();

    /** The contents of {@code berth_backend_override.tf} for a state key. */
    String overrideFile(String key);

    /** Variables for Terraform's process (addresses, credentials). */
    Map<String, String> environment(String key) throws IOException;

    /** The lock holder of a state, when the backend can tell without Terraform. */
    default Optional<LockInfo> lockHolder(String key) throws IOException {
        return Optional.empty();
    }

    @Override
    default void close() {}

    /** The backend a deploy file asks for; {@code http} states go where {@code states} says. */
    static StateBackend of(TerraformSettings settings, HttpStates states, java.util.function.Consumer<String> onSecret) {
        if (settings.backend() instanceof TerraformSettings.S3 s3) {
            return new S3(s3);
        }
        if (states instanceof HttpStates.Hosted hosted) {
            onSecret.accept(hosted.password());
        }
        return new Http(states, onSecret);
    }

    /**
     * Berth's own HTTP backend. Embedded: {@link StateServer}, started when the first stack needs it
     * and stopped when the run ends, its password a secret of the run. Hosted: the server's address
     * and the run's password, given.
     */
    final class Http implements StateBackend {
        private final HttpStates states;
        private final java.util.function.Consumer<String> onSecret;
        private StateServer server;

        Http(HttpStates states, java.util.function.Consumer<String> onSecret) {
            this.states = states;
            this.onSecret = onSecret;
        }

        @Override
        public String name() {
            return "http";
        }

        @Override
        public String overrideFile(String key) {
            return "# Written by Berth: the state lives in Berth's HTTP backend (address and password come from\n"
                    + "# TF_HTTP_* variables, so they are never written down).\nterraform {\n  backend \"http\" {}\n}\n";
        }

        @Override
        public synchronized Map<String, String> environment(String key) throws IOException {
            String address;
            String password;
            if (states instanceof HttpStates.Hosted hosted) {
                address = hosted.address(key);
                password = hosted.password();
            } else {
                if (server == null) {
                    server = StateServer.start(((HttpStates.Embedded) states).storage());
                    onSecret.accept(server.password());
                }
                address = server.address(key);
                password = server.password();
            }
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("TF_HTTP_ADDRESS", address);
            environment.put("TF_HTTP_LOCK_ADDRESS", address);
            environment.put("TF_HTTP_UNLOCK_ADDRESS", address);
            environment.put("TF_HTTP_USERNAME", StateEndpoint.USER);
            environment.put(HttpStates.PASSWORD_VARIABLE, password);
            return environment;
        }

        @Override
        public Optional<LockInfo> lockHolder(String key) throws IOException {
            return states.lockHolder(key);
        }

        @Override
        public synchronized void close() {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }

    /** An S3 bucket: the backend block carries the settings; AWS credentials come from the environment. */
    final class S3 implements StateBackend {
        private final TerraformSettings.S3 settings;

        S3(TerraformSettings.S3 settings) {
            this.settings = settings;
        }

        @Override
        public String name() {
            return "s3";
        }

        @Override
        public String overrideFile(String key) {
            StringBuilder block = new StringBuilder("# Written by Berth from the deploy file's terraform.s3.\n")
                    .append("terraform {\n  backend \"s3\" {\n")
                    .append("    bucket = ").append(quote(settings.bucket())).append('\n')
                    .append("    key    = ").append(quote(settings.keyPrefix() + "/" + key + ".tfstate")).append('\n')
                    .append("    region = ").append(quote(settings.region())).append('\n');
            settings.dynamodbTable().ifPresent(t -> block.append("    dynamodb_table = ").append(quote(t)).append('\n'));
            if (settings.useLockfile()) {
                block.append("    use_lockfile = true\n");
            }
            settings.endpoint().ifPresent(e -> block
                    .append("    endpoints = { s3 = ").append(quote(e))
                    .append(settings.dynamodbTable().isPresent() ? ", dynamodb = " + quote(e) : "").append(" }\n")
                    .append("    use_path_style              = true\n")
                    .append("    skip_credentials_validation = true\n")
                    .append("    skip_requesting_account_id  = true\n")
                    .append("    skip_metadata_api_check     = true\n")
                    .append("    skip_region_validation      = true\n"));
            return block.append("  }\n}\n").toString();
        }

        @Override
        public Map<String, String> environment(String key) {
            return Map.of();
        }

        /** An HCL string literal. */
        private static String quote(String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("${", "$${").replace("%{", "%%{")
                    + "\"";
        }
    }
}
