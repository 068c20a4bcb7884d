package io.ovserve.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns ovserve's configuration, or an OVMS config.json, into the list of models to serve. */
public final class ModelConfigs {

    private ModelConfigs() {
    }

    public static List<ModelConfig> from(ServingConfig config) {
        if (config.configPath().isPresent()) {
            return fromConfigJson(config.configPath().get(), config.targetDevice());
        }
        String name = config.modelName().orElseThrow(() -> new IllegalArgumentException(
                "set ovserve.model-name and ovserve.model-path, or ovserve.config-path"));
        Path path = config.modelPath().orElseThrow(() -> new IllegalArgumentException(
                "ovserve.model-path is not set for model " + name));
        return List.of(new ModelConfig(name, path,
                config.pluginConfig().map(PluginConfig::parse).orElseGet(() -> PluginConfig.parse("{}")),
                config.nireq(), config.targetDevice(), config.modelVersionPolicy()
                        .map(json -> VersionPolicy.parse(json, "ovserve.model-version-policy"))
                        .orElse(VersionPolicy.DEFAULT)));
    }

    /**
     * OVMS's format: {"model_config_list":[{"config":{"name":..,"base_path":..,"plugin_config":{..}}}]}; a field
     * ovserve does not implement is refused or warned about by name ({@link ConfigJsonFields}).
     */
    static List<ModelConfig> fromConfigJson(Path file, String defaultDevice) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        ConfigJsonFields.checkTopLevel(root, file);
        List<ModelConfig> models = new ArrayList<>();
        for (JsonNode entry : root.path("model_config_list")) {
            ConfigJsonFields.checkModel(entry, file);
            JsonNode model = entry.path("config");
            String name = required(model, "name", file);
            Path basePath = file.toAbsolutePath().getParent().resolve(required(model, "base_path", file)).normalize();
            Optional<Integer> nireq = model.has("nireq") ? Optional.of(model.get("nireq").asInt()) : Optional.empty();
            models.add(new ModelConfig(name, basePath, PluginConfig.fromJson(model.get("plugin_config")), nireq,
                    model.path("target_device").asText(defaultDevice),
                    VersionPolicy.of(model.get("model_version_policy"), file + ": model " + name)));
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException(file + " lists no model under model_config_list");
        }
        return models;
    }

    private static String required(JsonNode model, String field, Path file) {
        if (!model.hasNonNull(field)) {
            throw new IllegalArgumentException(file + ": a model config lacks \"" + field + "\"");
        }
        return model.get(field).asText();
    }
}
