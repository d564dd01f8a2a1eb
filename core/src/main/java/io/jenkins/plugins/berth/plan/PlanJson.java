package io.jenkins.plugins.berth.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.berth.Json;
import java.util.Map;

/** A plan as JSON, and as the plain maps and lists a Pipeline script walks. */
public final class PlanJson {

    private PlanJson() {}

    public static String write(Plan plan) {
        try {
            return Json.mapper().writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan is plain data and always serializes", e);
        }
    }

    public static Map<String, Object> toPlainData(Plan plan) {
        return Json.mapper().convertValue(plan, new TypeReference<Map<String, Object>>() {});
    }
}
