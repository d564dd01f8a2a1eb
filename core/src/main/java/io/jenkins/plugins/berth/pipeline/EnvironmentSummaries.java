package io.jenkins.plugins.berth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.berth.Json;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import java.util.List;

/**
 * The environments as a list for other programs: the fields of each record that say where it stands, under
 * the names and with the values {@code berth envs --json} prints (they are taken from the same serialization),
 * so a script reads the Environments page's {@code json} and the command line's output alike.
 */
public final class EnvironmentSummaries {

    /** The fields kept, as the record's JSON names them; a field a record does not have is left out. */
    public static final List<String> FIELDS = List.of("name", "project", "branch", "kind", "status", "url",
            "last_deploy_at", "expires_at", "protected");

    private EnvironmentSummaries() {}

    public static ArrayNode of(List<EnvironmentRecord> records) {
        ArrayNode all = Json.mapper().createArrayNode();
        for (EnvironmentRecord record : records) {
            JsonNode full = Json.mapper().valueToTree(record);
            ObjectNode summary = all.addObject();
            for (String field : FIELDS) {
                if (full.has(field)) {
                    summary.set(field, full.get(field));
                }
            }
        }
        return all;
    }
}
