package io.jenkins.plugins.berth.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Values for build arguments given at run time rather than in {@code images.<name>.args}: what a Jenkins build
 * asked for when the first build of an environment lacked them ({@link MissingBuildArg}), handed to the runner as
 * {@value #ENVIRONMENT_VARIABLE} (JSON, image name to ARG name to value). The deploy file's own args win over them.
 * Build arguments are no secrets: they stay in the image's history.
 */
public record BuildArgValues(Map<String, Map<String, String>> byImage) {

    /** The variable the command line reads them from: {@code {"web": {"TOKEN": "..."}}}. */
    public static final String ENVIRONMENT_VARIABLE = "BERTH_BUILD_ARGS";

    /** Built at first use: most runs carry no build arguments, and a mapper costs a fresh process ~100 ms. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    /** An ARG name as BuildKit takes it: no '=', no whitespace; kept simple and printable. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    public BuildArgValues {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        byImage.forEach((image, values) -> copy.put(image, Collections.unmodifiableMap(new TreeMap<>(values))));
        byImage = Collections.unmodifiableMap(copy);
    }

    public static BuildArgValues none() {
        return new BuildArgValues(Map.of());
    }

    public boolean isEmpty() {
        return byImage.values().stream().allMatch(Map::isEmpty);
    }

    public Optional<String> value(String image, String name) {
        return Optional.ofNullable(byImage.getOrDefault(image, Map.of()).get(name));
    }

    /** These values with {@code image}'s {@code name} set to {@code value}. */
    public BuildArgValues with(String image, String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is no build argument name");
        }
        Map<String, Map<String, String>> copy = new TreeMap<>();
        byImage.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
        copy.computeIfAbsent(image, k -> new TreeMap<>()).put(name, value);
        return new BuildArgValues(copy);
    }

    /** These values, and {@code later}'s where both give one. */
    public BuildArgValues plus(BuildArgValues later) {
        BuildArgValues result = this;
        for (var image : later.byImage.entrySet()) {
            for (var value : image.getValue().entrySet()) {
                result = result.with(image.getKey(), value.getKey(), value.getValue());
            }
        }
        return result;
    }

    public String toJson() {
        try {
            return Mapper.JSON.writeValueAsString(byImage);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@code {"image": {"NAME": "value"}}}.
     *
     * @throws IllegalArgumentException naming what is wrong, never quoting a value
     */
    public static BuildArgValues fromJson(String json) {
        JsonNode root;
        try {
            root = Mapper.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " is not JSON: expected {\"image\": {\"NAME\":"
                    + " \"value\"}}");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " must be a JSON object: {\"image\": {\"NAME\":"
                    + " \"value\"}}");
        }
        BuildArgValues values = none();
        for (Iterator<Map.Entry<String, JsonNode>> images = root.fields(); images.hasNext();) {
            Map.Entry<String, JsonNode> image = images.next();
            if (!image.getValue().isObject()) {
                throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + ": image '" + image.getKey()
                        + "' must map ARG names to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> args = image.getValue().fields(); args.hasNext();) {
                Map.Entry<String, JsonNode> arg = args.next();
                if (!arg.getValue().isTextual()) {
                    throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + ": " + image.getKey() + "." + arg.getKey()
                            + " must be a string");
                }
                values = values.with(image.getKey(), arg.getKey(), arg.getValue().textValue());
            }
        }
        return values;
    }
}
