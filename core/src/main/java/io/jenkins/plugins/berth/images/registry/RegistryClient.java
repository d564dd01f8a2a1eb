package io.jenkins.plugins.berth.images.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution API of one registry, over the JDK HTTP client. It answers authentication
 * challenges itself: {@code Basic} with the credentials it has, {@code Bearer} by fetching a token from
 * the realm the registry names (with those credentials, if any) for the scope of the request, cached
 * per scope. HTTPS always, except for a registry on the loopback interface (127.0.0.1, localhost),
 * which is spoken to over plain HTTP; credentials therefore never cross a network in clear text.
 */
public final class RegistryClient {

    private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String registry;
    private final Optional<Credentials> credentials;
    private final HttpClient http;
    private final String base;
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private volatile HttpClient downloads;

    public RegistryClient(String registry, Optional<Credentials> credentials) {
        this(registry, credentials, client(registry));
    }

    /** A loopback registry's client makes its TLS context only if a redirect or a token service needs one. */
    private static HttpClient client(String registry) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (isLoopback(registry)) {
            builder.sslContext(new LazyTls()).sslParameters(LazyTls.parameters());
        }
        return builder.build();
    }

    public RegistryClient(String registry, Optional<Credentials> credentials, HttpClient http) {
        this.registry = registry;
        this.credentials = credentials;
        this.http = http;
        this.base = (isLoopback(registry) ? "http://" : "https://") + registry;
    }

    /** Whether {@code registry} ({@code host[:port]}) is on the loopback interface, which Berth speaks plain HTTP to. */
    public static boolean isLoopback(String registry) {
        String host = registry.replaceFirst(":[0-9]+$", "");
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    }

    public String registry() {
        return registry;
    }

    /** The digest and media type of a manifest, or empty when the registry has none under that reference. */
    public Optional<ManifestHead> headManifest(String repository, String reference) throws RegistryException {
        HttpResponse<byte[]> response = send("HEAD", "/v2/" + repository + "/manifests/" + reference,
                Map.of("Accept", String.join(", ", ManifestMediaTypes.ALL)), null, pull(repository),
                "check manifest " + repository + ":" + reference);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200, "check manifest " + repository + ":" + reference);
        return Optional.of(new ManifestHead(header(response, "Docker-Content-Digest").orElseThrow(() ->
                new RegistryException(registry + " sent no Docker-Content-Digest for " + repository + ":" + reference)),
                header(response, "Content-Type").orElse("")));
    }

    /** Digest and media type, as a manifest HEAD gives them. */
    public record ManifestHead(String digest, String mediaType) {}

    /**
     * The digest {@code reference} (a tag) names now, for a build's base image: the manifest HEAD's
     * {@code Docker-Content-Digest}, or, from a registry that sends none with a HEAD, the digest of the manifest's
     * bytes (one GET). Empty when the registry has no such manifest.
     */
    public Optional<String> headDigest(String repository, String reference) throws RegistryException {
        String action = "check manifest " + repository + ":" + reference;
        HttpResponse<byte[]> response = send("HEAD", "/v2/" + repository + "/manifests/" + reference,
                Map.of("Accept", String.join(", ", ManifestMediaTypes.ALL)), null, pull(repository), action);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200, action);
        Optional<String> digest = header(response, "Docker-Content-Digest").filter(Digest::isDigest);
        return digest.isPresent() ? digest : Optional.of(getManifest(repository, reference).digest());
    }

    /** A manifest, exactly as stored; its digest is checked against its bytes. */
    public Manifest getManifest(String repository, String reference) throws RegistryException {
        String action = "read manifest " + repository + ":" + reference;
        HttpResponse<byte[]> response = send("GET", "/v2/" + repository + "/manifests/" + reference,
                Map.of("Accept", String.join(", ", ManifestMediaTypes.ALL)), null, pull(repository), action);
        if (response.statusCode() == 404) {
            throw new ManifestNotFoundException(registry, repository, reference);
        }
        expect(response, 200, action);
        String digest = sha256(response.body());
        if (Digest.isDigest(reference) && !reference.equals(digest)) {
            throw new RegistryException(registry + " sent manifest " + digest + " for " + reference);
        }
        String mediaType = header(response, "Content-Type").map(t -> t.split(";")[0].trim()).orElse("");
        if (!ManifestMediaTypes.ALL.contains(mediaType)) {
            throw new RegistryException(repository + ":" + reference + " is a " + mediaType + " manifest, which Berth"
                    + " does not move (it knows " + String.join(", ", ManifestMediaTypes.ALL) + ")");
        }
        return new Manifest(response.body(), mediaType, digest);
    }

    /** Stores {@code manifest} under {@code reference} (a tag, or its digest) and returns its digest. */
    public String putManifest(String repository, String reference, Manifest manifest) throws RegistryException {
        String action = "write manifest " + repository + ":" + reference;
        HttpResponse<byte[]> response = send("PUT", "/v2/" + repository + "/manifests/" + reference,
                Map.of("Content-Type", manifest.mediaType()), manifest.content(), push(repository), action);
        expect(response, 201, action);
        return header(response, "Docker-Content-Digest").orElse(manifest.digest());
    }

    /** The tags of a repository (none when the repository does not exist). */
    public java.util.List<String> listTags(String repository) throws RegistryException {
        String action = "list the tags of " + repository;
        HttpResponse<byte[]> response = send("GET", "/v2/" + repository + "/tags/list?n=10000", Map.of(), null,
                pull(repository), action);
        if (response.statusCode() == 404) {
            return java.util.List.of();
        }
        expect(response, 200, action);
        try {
            java.util.List<String> tags = new java.util.ArrayList<>();
            JSON.readTree(response.body()).path("tags").forEach(t -> tags.add(t.asText()));
            return tags;
        } catch (IOException e) {
            throw new RegistryException(registry + " sent a tag list that is not JSON: " + e.getMessage(), e);
        }
    }

    /** Deletes a manifest by digest (every tag pointing at it goes with it). */
    public void deleteManifest(String repository, String digest) throws RegistryException {
        String action = "delete manifest " + repository + "@" + digest;
        HttpResponse<byte[]> response = send("DELETE", "/v2/" + repository + "/manifests/" + digest, Map.of(), null,
                "repository:" + repository + ":delete", action);
        if (response.statusCode() != 404) {
            expect(response, 202, action);
        }
    }

    public boolean hasBlob(String repository, String digest) throws RegistryException {
        HttpResponse<byte[]> response = send("HEAD", "/v2/" + repository + "/blobs/" + digest, Map.of(), null,
                pull(repository), "check blob " + digest + " in " + repository);
        if (response.statusCode() == 404) {
            return false;
        }
        expect(response, 200, "check blob " + digest + " in " + repository);
        return true;
    }

    /**
     * Asks the registry to link a blob of {@code from} into {@code repository} without any byte moving.
     *
     * @return false when the registry would not mount it (it then expects an upload, which is cancelled)
     */
    public boolean mountBlob(String repository, String digest, String from) throws RegistryException {
        Optional<String> upload = startUpload(repository, digest, from);
        if (upload.isPresent()) {
            cancelUpload(repository, upload.get());
        }
        return upload.isEmpty();
    }

    /** Ends an upload session without a blob (the registry would otherwise keep it until it purges old ones). */
    public void cancelUpload(String repository, String location) throws RegistryException {
        send("DELETE", relative(location), Map.of(), null, push(repository), "cancel upload to " + repository);
    }

    /**
     * One request that both links a blob and, when it cannot, opens an upload: a cross-repository mount of
     * {@code digest} from {@code from} (a repository of this registry; {@code repository} itself when the blob
     * comes from another registry, so that a blob the repository already has is found). The registry answers 201
     * when the blob is now in {@code repository}, and 202 with an upload session when it is not, as the OCI
     * distribution spec has it for a mount it cannot do.
     *
     * @return the upload's location, or empty when {@code repository} has the blob
     */
    public Optional<String> startUpload(String repository, String digest, String from) throws RegistryException {
        String action = "mount blob " + digest + " from " + from + " into " + repository;
        String scope = from.equals(repository) ? push(repository) : push(repository) + " " + pull(from);
        HttpResponse<byte[]> response = send("POST", "/v2/" + repository + "/blobs/uploads/?mount="
                + encode(digest) + "&from=" + encode(from), Map.of(), new byte[0], scope, action);
        if (response.statusCode() == 201) {
            return Optional.empty();
        }
        expect(response, 202, action);
        return Optional.of(header(response, "Location").orElseThrow(() ->
                new RegistryException(registry + " opened an upload to " + repository + " but gave no location")));
    }

    /**
     * A blob's bytes as a stream, straight from the registry (or from where it redirects to, which gets no
     * credentials: a storage service has its own signature in the address). The caller closes it.
     */
    public Blob openBlob(String repository, String digest) throws RegistryException {
        String action = "read blob " + digest + " of " + repository;
        String path = "/v2/" + repository + "/blobs/" + digest;
        HttpResponse<InputStream> response = send("GET", path, Map.of(), null, pull(repository), action,
                HttpResponse.BodyHandlers.ofInputStream(), downloads());
        URI at = URI.create(base + path);
        for (int hops = 0; hops < 5 && isRedirect(response.statusCode()); hops++) {
            close(response);
            at = at.resolve(header(response, "Location").orElseThrow(() ->
                    new RegistryException(registry + " redirected " + action + " without a location")));
            boolean sameHost = at.getAuthority() != null && at.getAuthority().equals(URI.create(base).getAuthority());
            response = sendOnce(downloads(), "GET", at, Map.of(), null,
                    sameHost ? authorizations.get(pull(repository)) : null, action,
                    HttpResponse.BodyHandlers.ofInputStream());
        }
        if (response.statusCode() != 200) {
            close(response);
            throw new RegistryException("registry " + registry + " answered " + response.statusCode()
                    + " when asked to " + action);
        }
        return new Blob(response.body(), response.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** An open blob download: its bytes and, when the registry said it, their length (else -1). */
    public record Blob(InputStream content, long length) implements java.io.Closeable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    /**
     * Ends an upload that {@link #startUpload} opened with the whole blob in one request, streamed from
     * {@code content} ({@code size} bytes): nothing is held in memory or written to disk. The registry checks
     * the bytes against {@code digest}.
     */
    public void finishUpload(String repository, String location, String digest, InputStream content, long size)
            throws RegistryException {
        String action = "upload blob " + digest + " to " + repository;
        String put = relative(location);
        put = put + (put.contains("?") ? "&" : "?") + "digest=" + encode(digest);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> content), size);
        // The upload's POST was authorized for this scope just before, so the PUT (whose body cannot be sent twice)
        // carries that authorization and meets no challenge.
        HttpResponse<byte[]> done = send("PUT", put, Map.of("Content-Type", "application/octet-stream"), body,
                push(repository), action);
        expect(done, 201, action);
    }

    /** Uploads a blob in one request (for content Berth makes itself, and for tests and benchmarks). */
    public void uploadBlob(String repository, String digest, Path content) throws RegistryException {
        String action = "upload blob " + digest + " to " + repository;
        HttpResponse<byte[]> start = send("POST", "/v2/" + repository + "/blobs/uploads/", Map.of(), new byte[0],
                push(repository), action);
        expect(start, 202, action);
        String location = relative(header(start, "Location").orElseThrow(() ->
                new RegistryException(registry + " gave no upload location for " + repository)));
        String put = location + (location.contains("?") ? "&" : "?") + "digest=" + encode(digest);
        HttpResponse<byte[]> done = send("PUT", put, Map.of("Content-Type", "application/octet-stream"), content,
                push(repository), action);
        expect(done, 201, action);
    }

    public static String sha256(byte[] content) {
        return Digest.of(content).value();
    }

    private static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }

    private static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    // ---- transport -----------------------------------------------------------------------------

    /** Sends a request, answering one authentication challenge. {@code body}: byte[], Path, a publisher or null. */
    private HttpResponse<byte[]> send(String method, String path, Map<String, String> headers, Object body,
            String scope, String action) throws RegistryException {
        return send(method, path, headers, body, scope, action, HttpResponse.BodyHandlers.ofByteArray(), http);
    }

    private <T> HttpResponse<T> send(String method, String path, Map<String, String> headers, Object body,
            String scope, String action, HttpResponse.BodyHandler<T> handler, HttpClient client)
            throws RegistryException {
        URI uri = URI.create(base + path);
        HttpResponse<T> response = sendOnce(client, method, uri, headers, body, authorizations.get(scope), action,
                handler);
        if (response.statusCode() != 401) {
            return response;
        }
        close(response);
        if (body instanceof HttpRequest.BodyPublisher) {
            // A streamed body is gone once sent: it cannot be sent again with the answer to a challenge.
            throw new RegistryUnauthorizedException(registry, action);
        }
        String challenge = header(response, "WWW-Authenticate").orElse("");
        String authorization = authorize(challenge, scope, action);
        authorizations.put(scope, authorization);
        response = sendOnce(client, method, uri, headers, body, authorization, action, handler);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            close(response);
            throw new RegistryUnauthorizedException(registry, action);
        }
        return response;
    }

    private <T> HttpResponse<T> sendOnce(HttpClient client, String method, URI uri, Map<String, String> headers,
            Object body, String authorization, String action, HttpResponse.BodyHandler<T> handler)
            throws RegistryException {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : body instanceof Path file ? HttpRequest.BodyPublishers.ofFile(file)
                    : body instanceof HttpRequest.BodyPublisher given ? given
                    : HttpRequest.BodyPublishers.ofByteArray((byte[]) body);
        } catch (IOException e) {
            throw new RegistryException("cannot read what to " + action + ": " + e.getMessage(), e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, publisher)
                .timeout(Duration.ofMinutes(30));
        headers.forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return client.send(request.build(), handler);
        } catch (IOException e) {
            throw new RegistryException("cannot reach registry " + registry + " to " + action + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while trying to " + action, e);
        }
    }

    /** Closes a streamed body that will not be read (a byte[] body has nothing to close). */
    private static void close(HttpResponse<?> response) {
        if (response.body() instanceof InputStream stream) {
            try {
                stream.close();
            } catch (IOException e) {
                // Nothing more to read from it either way.
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * The client for blob downloads: it follows no redirect itself, so that credentials meant for the registry are
     * never sent on to the storage service a registry redirects to. Made on the first download.
     */
    private HttpClient downloads() {
        HttpClient known = downloads;
        if (known == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (isLoopback(registry)) {
                builder.sslContext(new LazyTls()).sslParameters(LazyTls.parameters());
            }
            known = builder.build();
            downloads = known;
        }
        return known;
    }

    /** The Authorization header that answers {@code challenge}. */
    private String authorize(String challenge, String scope, String action) throws RegistryException {
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            return credentials.orElseThrow(() -> new RegistryUnauthorizedException(registry, action)).basicHeader();
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw new RegistryException(registry + " asked for an authentication Berth does not speak: " + challenge);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAMETER.matcher(challenge);
        while (m.find()) {
            parameters.put(m.group(1), m.group(2));
        }
        String realm = parameters.get("realm");
        if (realm == null) {
            throw new RegistryException(registry + " sent a Bearer challenge without a realm");
        }
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (parameters.containsKey("service")) {
            url.append("service=").append(encode(parameters.get("service")));
        }
        for (String part : scope.split(" ")) {
            url.append("&scope=").append(encode(part));
        }
        URI tokenUri = URI.create(url.toString());
        if (credentials.isPresent() && tokenUri.getScheme().equals("http") && !isLoopback(tokenUri.getAuthority())) {
            throw new RegistryException("the token realm of " + registry + " is plain HTTP (" + realm + "); Berth"
                    + " does not send credentials there");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri).GET().timeout(Duration.ofMinutes(1));
        credentials.ifPresent(c -> request.header("Authorization", c.basicHeader()));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new RegistryUnauthorizedException(registry, action);
            }
            if (response.statusCode() != 200) {
                throw new RegistryException("the token service of " + registry + " answered " + response.statusCode());
            }
            JsonNode token = JSON.readTree(response.body());
            String value = token.hasNonNull("token") ? token.get("token").asText() : token.path("access_token").asText();
            if (value.isEmpty()) {
                throw new RegistryException("the token service of " + registry + " sent no token");
            }
            return "Bearer " + value;
        } catch (IOException e) {
            throw new RegistryException("cannot get a token for " + registry + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while getting a token for " + registry, e);
        }
    }

    private void expect(HttpResponse<byte[]> response, int status, String action) throws RegistryException {
        if (response.statusCode() == status) {
            return;
        }
        String detail = "";
        try {
            JsonNode errors = JSON.readTree(response.body()).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                detail = ": " + errors.get(0).path("code").asText() + " " + errors.get(0).path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: the status says enough.
        }
        throw new RegistryException("registry " + registry + " answered " + response.statusCode() + " when asked to "
                + action + detail);
    }

    private static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    /** Upload locations may be absolute URLs or paths. */
    private String relative(String location) {
        URI uri = URI.create(location);
        return uri.isAbsolute() ? uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) : location;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
