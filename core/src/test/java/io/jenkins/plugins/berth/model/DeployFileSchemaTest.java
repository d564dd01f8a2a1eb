package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.jenkins.plugins.berth.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/schema/berth-v1.schema.json stays in step with the model: the same keys in every block, the
 * same enums, the same required keys, and the schema and the validator agree on the examples and on
 * a set of invalid files.
 */
class DeployFileSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Schema definitions that reuse a block's keys under another name. */
    private static final Map<String, String> ALIASES = Map.of("colorNames", "colors");

    private static JsonNode schema() throws IOException {
        return JSON.readTree(TestFiles.projectRoot().resolve("docs/schema/berth-v1.schema.json").toFile());
    }

    @Test
    void everyBlockHasTheSameKeysAsTheReader() throws IOException {
        JsonNode schema = schema();
        assertThat(keys(schema.get("properties"))).as("top-level keys").isEqualTo(Keys.TOP);
        Set<String> checked = new HashSet<>();
        schema.get("$defs").fields().forEachRemaining(def -> {
            if (def.getValue().has("properties")) {
                String block = ALIASES.getOrDefault(def.getKey(), def.getKey());
                assertThat(Keys.BY_BLOCK).as("schema definition '" + def.getKey() + "' has no block in Keys")
                        .containsKey(block);
                assertThat(keys(def.getValue().get("properties"))).as("keys of " + def.getKey())
                        .isEqualTo(Keys.BY_BLOCK.get(block));
                assertThat(def.getValue().get("additionalProperties").asBoolean(true))
                        .as(def.getKey() + " must reject unknown keys").isFalse();
                checked.add(block);
            }
        });
        Set<String> blocks = new HashSet<>(Keys.BY_BLOCK.keySet());
        blocks.remove("top");
        assertThat(checked).as("every block of Keys is described by the schema").isEqualTo(blocks);
    }

    @Test
    void enumsMatch() throws IOException {
        JsonNode defs = schema().get("$defs");
        assertThat(strings(defs.at("/stage/properties/on_failure/enum"))).isEqualTo(Keys.ON_FAILURE);
        assertThat(strings(defs.at("/deploy/properties/strategy/enum"))).isEqualTo(Keys.STRATEGIES);
        assertThat(strings(defs.at("/deploy/properties/target/enum"))).isEqualTo(Keys.TARGETS);
        assertThat(Keys.ON_FAILURE).isEqualTo(Stream.of(OnFailure.values()).map(OnFailure::keyword).toList());
        assertThat(Keys.TARGETS).isEqualTo(Stream.of(Deploy.Target.values()).map(Deploy.Target::keyword).toList());
    }

    @Test
    void examplesAreValidForBothTheSchemaAndTheValidator() throws IOException {
        JsonSchema schema = compiled();
        List<Path> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        for (Path example : examples) {
            Set<ValidationMessage> messages = schema.validate(YAML.readTree(example.toFile()));
            assertThat(messages).as("schema errors in " + example).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "project: shop",
        "version: 1\nstags: []",
        "version: 2",
        "version: 1\nenvironment: {ttl: 3 days}",
        "version: 1\nstages: [{name: a, run: x, script: y}]",
        "version: 1\nstages: [{name: a, run: x, on_failure: maybe}]",
        "version: 1\nvariables: {BERTH_COMMIT: x}",
        "version: 1\nstages: [{name: a, deploy: {strategy: canary, target: nginx, health: {url: x}}}]",
        "version: 1\nstages: [{name: a, deploy: {strategy: blue-green, target: ecs, colors: {blue: 1, green: 2},"
                + " health: {url: x}}}]",
        "version: 1\ninfrastructure: [{name: a, dir: ../x}]",
        "version: 1\nrelease: [{stage: latest}]",
        "version: 1\nrelease_branches: []",
        "version: 1\nregistry: r.io/s\nimages: {web: {platforms: [Linux]}}",
        "version: 1\nregistry: r.io/s\nimages: {web: {target: \"a b\"}}",
        "version: 1\nrelease_branches: [main, main]",
        "version: 1\nrelease: [{stage: prod, registry: prod.example.com}]",
    })
    void invalidFilesAreRejectedByBoth(String yaml) throws IOException {
        assertThat(io.jenkins.plugins.berth.TestFiles.problems(yaml)).as("validator").isNotEmpty();
        assertThat(compiled().validate(YAML.readTree(yaml))).as("schema").isNotEmpty();
    }

    private static JsonSchema compiled() throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema());
    }

    private static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(TestFiles.projectRoot().resolve("examples"))) {
            return files.filter(p -> p.getFileName().toString().matches("\\.?berth\\.yml")).sorted().toList();
        }
    }

    private static Set<String> keys(JsonNode properties) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        properties.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
