package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryException;
import io.jenkins.plugins.berth.model.DockerfileArgs;
import io.jenkins.plugins.berth.model.DockerfileStages;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base images of a build, each pinned to the digest its tag names now: {@code FROM}, {@code COPY --from} and
 * {@code RUN --mount from=} images of the stages the build reaches ({@link DockerfileStages}), one manifest
 * {@code HEAD} each (none for a name already pinned {@code @sha256:}), answered once per run for every image that
 * uses the same name. Their digests are part of the {@link ContentTag}, so a new base image under the same tag is a
 * new build; builders that can (buildah, buildx) are told to build from exactly those digests.
 *
 * <p>Names are read as Docker reads them: no registry host means Docker Hub ({@code docker.io}, spoken to at
 * {@code registry-1.docker.io}, one-word names under {@code library/}), no tag means {@code latest}. Docker Hub and
 * other public registries answer with an anonymous token; a private one with the credentials the client has.
 */
final class BaseImages {

    /** A Docker Hub name's registry, as references name it, and the host its API answers on. */
    static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
    private static final Pattern DOMAIN = Pattern.compile("(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*|\\[[0-9a-fA-F:]+])"
            + "(?::[0-9]{1,5})?");

    /**
     * An image name as Docker reads it: {@code registry} ({@code docker.io} for Docker Hub), {@code path}
     * ({@code library/node}), a tag ({@code latest} when neither tag nor digest is written) and a digest.
     */
    record Name(String registry, String path, Optional<String> tag, Optional<String> digest) {

        /**
         * @throws IllegalArgumentException when {@code text} is no image name
         */
        static Name parse(String text) {
            String rest = text;
            Optional<String> digest = Optional.empty();
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = Optional.of(rest.substring(at + 1));
                rest = rest.substring(0, at);
                if (!DIGEST.matcher(digest.get()).matches()) {
                    throw new IllegalArgumentException("'" + text + "' has no valid digest after '@'");
                }
            }
            Optional<String> tag = Optional.empty();
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = Optional.of(rest.substring(colon + 1));
                rest = rest.substring(0, colon);
                if (!TAG.matcher(tag.get()).matches()) {
                    throw new IllegalArgumentException("'" + text + "' has no valid tag after ':'");
                }
            }
            String registry = DOCKER_HUB;
            int slash = rest.indexOf('/');
            if (slash > 0) {
                String first = rest.substring(0, slash);
                if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                    if (!DOMAIN.matcher(first).matches()) {
                        throw new IllegalArgumentException("'" + text + "' names no valid registry host");
                    }
                    registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
                    rest = rest.substring(slash + 1);
                }
            }
            if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
                rest = "library/" + rest;
            }
            for (String component : rest.split("/", -1)) {
                if (!COMPONENT.matcher(component).matches()) {
                    throw new IllegalArgumentException("'" + text + "' is not an image name: each part of the"
                            + " repository is lowercase letters and digits, separated by '.', '_', '__' or '-'");
                }
            }
            return new Name(registry, rest, tag.isEmpty() && digest.isEmpty() ? Optional.of("latest") : tag, digest);
        }

        /** The host the registry's API answers on. */
        String apiHost() {
            return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
        }

        /** {@code docker.io/library/node}: the repository with its registry. */
        String repository() {
            return registry + "/" + path;
        }

        /**
         * The name as BuildKit keys a named context that replaces it: Docker Hub's host and {@code library/} left out,
         * {@code :latest} too ({@code node}, {@code ghcr.io/o/app:1}).
         */
        String familiar() {
            String shown = !registry.equals(DOCKER_HUB) ? repository()
                    : path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
            String withTag = shown + tag.filter(t -> !(t.equals("latest") && digest.isEmpty())).map(t -> ":" + t)
                    .orElse("");
            return withTag + digest.map(d -> "@" + d).orElse("");
        }
    }

    /**
     * A base image of a build and the reference that pins it: {@code docker.io/library/node@sha256:...}.
     *
     * @param key the name as the Dockerfile gives it (its ARGs expanded): what a builder is told to replace
     */
    record Pinned(DockerfileStages.ImageUse use, String key, Name name, String pinned) {}

    private final Function<String, RegistryClient> clients;
    private final Map<String, String> digests = new ConcurrentHashMap<>();

    /** @param clients the registry client for an API host (the one of the deploy's registry for its host) */
    BaseImages(Function<String, RegistryClient> clients) {
        this.clients = clients;
    }

    /**
     * The base images a build of {@code dockerfile} takes, pinned; those whose names need what only the builder
     * knows are left out, and the log says so.
     *
     * @param image the image's name, for messages
     * @param dockerfilePath the Dockerfile's repository path, for messages
     * @throws TaskFailedException when BuildKit would refuse the Dockerfile or the target, a name is no image name,
     *     a registry cannot be reached or refuses the request, or has no such image: the message names the
     *     Dockerfile line
     */
    List<Pinned> pin(String image, String dockerfilePath, String dockerfile, Map<String, String> args,
            Optional<String> target, List<String> platforms, Log log) throws TaskFailedException {
        List<DockerfileStages.ImageUse> uses;
        try {
            uses = DockerfileStages.imagesUsed(dockerfile, target, args, platforms);
        } catch (DockerfileArgs.DockerfileException e) {
            throw new TaskFailedException("image " + image + ": " + dockerfilePath + (e.line() > 0 ? ":" + e.line() : "")
                    + ": BuildKit would refuse to build it: " + e.getMessage() + "; fix the Dockerfile or the image's"
                    + " target");
        }
        Map<String, Pinned> pinned = new LinkedHashMap<>();
        for (DockerfileStages.ImageUse use : uses) {
            String where = "image " + image + ": " + dockerfilePath + ":" + use.line() + ": ";
            if (use.name().isEmpty()) {
                log.info(where + use.instruction() + " " + use.written() + " needs " + String.join(", ", use.unknown()
                        .stream().map(n -> "$" + n).toList()) + ", which the builder sets: that image's digest is not"
                        + " part of the content tag (a new one rebuilds only with up --rebuild)");
                continue;
            }
            String key = use.name().get();
            if (pinned.containsKey(key)) {
                continue;
            }
            Name name;
            try {
                name = Name.parse(key);
            } catch (IllegalArgumentException e) {
                throw new TaskFailedException(where + use.instruction() + ": " + e.getMessage());
            }
            String digest = name.digest().isPresent() ? name.digest().get() : digest(name, where + use.instruction());
            pinned.put(key, new Pinned(use, key, name, name.repository() + "@" + digest));
        }
        return new ArrayList<>(pinned.values());
    }

    private String digest(Name name, String where) throws TaskFailedException {
        String tagged = name.repository() + ":" + name.tag().orElseThrow();
        String known = digests.get(tagged);
        if (known != null) {
            return known;
        }
        Optional<String> digest;
        try {
            digest = clients.apply(name.apiHost()).headDigest(name.path(), name.tag().orElseThrow());
        } catch (RegistryException | RuntimeException e) {
            throw new TaskFailedException(where + ": cannot find the digest of base image " + tagged + ": "
                    + e.getMessage() + "; Berth puts each base image's digest in the content tag. Check the network"
                    + " and the registry's credentials (docker login), or run up --offline to build without asking"
                    + " (the content tag then covers the Dockerfile's text only)");
        }
        String found = digest.orElseThrow(() -> new TaskFailedException(where + ": base image " + tagged
                + " does not exist in its registry (" + name.apiHost() + " has no manifest " + name.path() + ":"
                + name.tag().orElseThrow() + ")"));
        digests.put(tagged, found);
        return found;
    }
}
