package io.ovserve.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What ovserve does with each field of an OVMS config.json: every field OVMS's schema defines is read,
 * refused by name (where serving without it would answer differently from OVMS), or warned about by
 * name (where OVMS would serve the same requests the same way without it); none is silently ignored.
 * Fields OVMS's schema does not define are refused, as OVMS refuses them.
 */
final class ConfigJsonFields {

    private static final Logger LOG = Logger.getLogger(ConfigJsonFields.class);

    /** Fields of a model's "config" that ovserve reads. */
    private static final Set<String> READ = Set.of("name", "base_path", "model_version_policy", "nireq",
            "target_device", "plugin_config");

    /** Fields of a model's "config" ovserve does not implement and that change what is served: why each is refused. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("batch_size", "ovserve serves a model's own input shapes and does not reshape it"),
            Map.entry("shape", "ovserve serves a model's own input shapes and does not reshape it"),
            Map.entry("layout", "ovserve serves a model's own layout and does not transpose its inputs"),
            Map.entry("graph_path", "ovserve serves no MediaPipe graphs"),
            Map.entry("subconfig", "ovserve serves no MediaPipe graphs"),
            Map.entry("custom_loader_options", "ovserve has no custom loaders"),
            Map.entry("low_latency_transformation", "ovserve serves no stateful models"),
            Map.entry("idle_sequence_cleanup", "ovserve serves no stateful models"),
            Map.entry("max_sequence_number", "ovserve serves no stateful models"));

    /** Fields of a model's "config" served without: what OVMS would do differently, which no request sees. */
    private static final Map<String, String> WARNED = Map.of(
            "allow_cache", "ovserve keeps no compiled-model cache (OVMS's --cache_dir); every start compiles");

    /** Top-level lists of servables ovserve does not serve. */
    private static final Map<String, String> REFUSED_LISTS = Map.of(
            "pipeline_config_list", "ovserve serves no DAG pipelines",
            "mediapipe_config_list", "ovserve serves no MediaPipe graphs",
            "custom_node_library_config_list", "ovserve serves no DAG pipelines, so no custom nodes",
            "custom_loader_config_list", "ovserve has no custom loaders");

    private ConfigJsonFields() {
    }

    /** Checks the top level: model_config_list read, "monitoring" warned about, the other lists refused unless empty. */
    static void checkTopLevel(JsonNode root, Path file) {
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": not a JSON object with a model_config_list");
        }
        for (Iterator<String> fields = root.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (field.equals("model_config_list")) {
                continue;
            }
            if (field.equals("monitoring")) {
                LOG.warnf("%s: \"monitoring\" is not read: ovserve always serves OVMS's metrics, at /q/metrics", file);
            } else if (REFUSED_LISTS.containsKey(field)) {
                if (!root.get(field).isEmpty()) {
                    throw refused(file, field, REFUSED_LISTS.get(field));
                }
            } else {
                throw notOvms(file, field, "the top level");
            }
        }
    }

    /** Checks one entry of model_config_list: {"config": {...}} with fields ovserve reads or warns about. */
    static void checkModel(JsonNode entry, Path file) {
        for (Iterator<String> fields = entry.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (!field.equals("config")) {
                throw notOvms(file, field, "a model_config_list entry (it holds \"config\" only)");
            }
        }
        JsonNode model = entry.path("config");
        String name = model.path("name").asText("?");
        for (Iterator<Map.Entry<String, JsonNode>> fields = model.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (READ.contains(key)) {
                continue;
            }
            if (key.equals("stateful")) {
                if (field.getValue().asBoolean(true)) { // false is what ovserve does
                    throw refused(file, "stateful", "ovserve serves no stateful models", name);
                }
            } else if (WARNED.containsKey(key)) {
                LOG.warnf("%s: model %s: \"%s\" is not implemented and has no effect: %s", file, name, key,
                        WARNED.get(key));
            } else if (REFUSED.containsKey(key)) {
                throw refused(file, key, REFUSED.get(key), name);
            } else {
                throw notOvms(file, key, "model " + name + "'s config");
            }
        }
    }

    private static IllegalArgumentException refused(Path file, String field, String why, String model) {
        return new IllegalArgumentException(file + ": model " + model + ": \"" + field
                + "\" is not supported: " + why);
    }

    private static IllegalArgumentException refused(Path file, String field, String why) {
        return new IllegalArgumentException(file + ": \"" + field + "\" is not supported: " + why);
    }

    private static IllegalArgumentException notOvms(Path file, String field, String where) {
        return new IllegalArgumentException(file + ": \"" + field + "\" is no field of " + where
                + " in OVMS's config.json schema");
    }
}
