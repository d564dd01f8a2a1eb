package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.berth.images.registry.Credentials;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token service for the registry's token authentication (the Docker registry token protocol): it
 * checks Basic credentials and answers with a JWT signed by a key whose certificate the registry
 * trusts (made with the JDK's keytool). A small real implementation, since none is packaged here.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "berth-test-registry";
    static final String ISSUER = "berth-test-issuer";

    final List<String> scopesAsked = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final PrivateKey key;
    private final Certificate certificate;

    private TokenServer(HttpServer server, PrivateKey key, Certificate certificate) {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
    }

    /** Makes the signing key and the certificate bundle the registry trusts ({@code folder/token.pem}). */
    static TokenServer start(Path folder, Credentials user) throws Exception {
        return start(folder, user, false);
    }

    /**
     * With {@code anonymousPull}, a request without credentials gets a token for the pull part of its scopes, as Docker
     * Hub and other public registries answer anyone.
     */
    static TokenServer start(Path folder, Credentials user, boolean anonymousPull) throws Exception {
        Path keystore = folder.resolve("token.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "token", "-dname", "CN=berth-test-token",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("token", "changeit".toCharArray());
        Certificate certificate = store.getCertificate("token");
        Files.writeString(folder.resolve("token.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TokenServer tokens = new TokenServer(server, key, certificate);
        String expected = "Basic " + Base64.getEncoder().encodeToString((user.username() + ":" + user.password())
                .getBytes(StandardCharsets.UTF_8));
        server.createContext("/token", exchange -> {
            try (exchange) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                boolean anonymous = authorization == null && anonymousPull;
                if (!anonymous && !expected.equals(authorization)) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                List<String> scopes = new ArrayList<>();
                for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
                    if (pair.startsWith("scope=")) {
                        String scope = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                        scopes.add(anonymous ? scope.replaceFirst(":[^:]*$", ":pull") : scope);
                    }
                }
                tokens.scopesAsked.addAll(scopes);
                byte[] body = ("{\"token\":\"" + tokens.token(anonymous ? "anonymous" : user.username(), scopes)
                        + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        server.start();
        return tokens;
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** A JWT granting the scopes asked ({@code repository:name:actions}), with the certificate in x5c. */
    private String token(String subject, List<String> scopes) throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\""
                + Base64.getEncoder().encodeToString(certificate.getEncoded()) + "\"]}";
        StringBuilder access = new StringBuilder();
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            StringBuilder actions = new StringBuilder();
            for (String action : parts[2].split(",")) {
                actions.append(actions.length() == 0 ? "" : ",").append('"').append(action).append('"');
            }
            access.append(access.length() == 0 ? "" : ",").append("{\"type\":\"").append(parts[0])
                    .append("\",\"name\":\"").append(parts[1]).append("\",\"actions\":[").append(actions).append("]}");
        }
        long now = System.currentTimeMillis() / 1000;
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"aud\":\"" + SERVICE + "\",\"exp\":"
                + (now + 300) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID()
                + "\",\"access\":[" + access + "]}";
        String signed = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + url.encodeToString(signature.sign());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
