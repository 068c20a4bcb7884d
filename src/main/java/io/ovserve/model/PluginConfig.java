package io.ovserve.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenVINO plugin properties as OVMS accepts them: a JSON object of strings or numbers. Legacy
 * OpenVINO 1.x keys the seed's deployments still pass are renamed to their 2.0 names.
 */
public final class PluginConfig {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> LEGACY_KEYS = Map.of("CPU_THROUGHPUT_STREAMS", "NUM_STREAMS",
            "CPU_THREADS_NUM", "INFERENCE_NUM_THREADS", "CPU_BIND_THREAD", "ENABLE_CPU_PINNING");
    private static final Map<String, String> LEGACY_VALUES = Map.of("CPU_THROUGHPUT_AUTO", "AUTO",
            "CPU_THROUGHPUT_NUMA", "NUMA");

    private PluginConfig() {
    }

    public static Map<String, String> parse(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("plugin config is not a JSON object: " + e.getMessage(), e);
        }
    }

    static Map<String, String> fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return withDefaults(Map.of());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("plugin config must be a JSON object, got: " + node);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            String text = value.isTextual() ? value.asText() : value.toString();
            properties.put(LEGACY_KEYS.getOrDefault(field.getKey(), field.getKey()),
                    LEGACY_VALUES.getOrDefault(text, text));
        });
        return withDefaults(properties);
    }

    /** A server is there for throughput: without any hint or stream count, ask for THROUGHPUT. */
    private static Map<String, String> withDefaults(Map<String, String> properties) {
        if (properties.containsKey("PERFORMANCE_HINT") || properties.containsKey("NUM_STREAMS")) {
            return Map.copyOf(properties);
        }
        Map<String, String> withHint = new LinkedHashMap<>(properties);
        withHint.put("PERFORMANCE_HINT", "THROUGHPUT");
        return Map.copyOf(withHint);
    }
}
