package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import io.ovserve.support.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigsTest {

    @TempDir
    Path dir;

    @Test
    void readsOvmsConfigJsonWithPathsRelativeToTheFile() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"model_config_list": [
                  {"config": {"name": "resnet", "base_path": "models/resnet", "nireq": 4,
                              "plugin_config": {"CPU_THROUGHPUT_STREAMS": 2}}}
                ]}""");

        List<ModelConfig> models = ModelConfigs.fromConfigJson(config, "CPU");

        assertThat(models).singleElement().satisfies(model -> {
            assertThat(model.name()).isEqualTo("resnet");
            assertThat(model.basePath()).isEqualTo(dir.resolve("models/resnet"));
            assertThat(model.nireq()).isEqualTo(Optional.of(4));
            assertThat(model.pluginConfig()).containsEntry("NUM_STREAMS", "2");
            assertThat(model.targetDevice()).isEqualTo("CPU");
        });
    }

    @Test
    void refusesAModelWithoutBasePath() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"),
                "{\"model_config_list\": [{\"config\": {\"name\": \"resnet\"}}]}");

        assertThatThrownBy(() -> ModelConfigs.fromConfigJson(config, "CPU")).hasMessageContaining("base_path");
    }

    @Test
    void refusesAnEmptyModelList() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), "{\"model_config_list\": []}");

        assertThatThrownBy(() -> ModelConfigs.fromConfigJson(config, "CPU")).hasMessageContaining("no model");
    }

    @Test
    void readsEachModelsVersionPolicyDefaultingToTheLatestOne() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"model_config_list": [
                  {"config": {"name": "a", "base_path": "a", "model_version_policy": {"all": {}}}},
                  {"config": {"name": "b", "base_path": "b", "model_version_policy": {"specific": {"versions": [1, 3]}}}},
                  {"config": {"name": "c", "base_path": "c"}}
                ]}""");

        assertThat(ModelConfigs.fromConfigJson(config, "CPU")).extracting(ModelConfig::versionPolicy).containsExactly(
                new VersionPolicy.All(), new VersionPolicy.Specific(new java.util.TreeSet<>(List.of(1L, 3L))),
                new VersionPolicy.Latest(1));
    }

    @Test
    void refusesAMalformedVersionPolicyNamingTheModel() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"model_config_list": [
                  {"config": {"name": "a", "base_path": "a", "model_version_policy": {"latest": {"num_versions": 0}}}}
                ]}""");

        assertThatThrownBy(() -> ModelConfigs.fromConfigJson(config, "CPU"))
                .hasMessageContaining("model a").hasMessageContaining("Model version policy is in wrong format");
    }

    @Test
    void refusesEachOvmsFieldThatChangesWhatIsServedByName() throws IOException {
        for (String field : List.of("\"batch_size\": 4", "\"shape\": \"(1,4)\"", "\"layout\": \"NHWC\"",
                "\"stateful\": true", "\"idle_sequence_cleanup\": false", "\"max_sequence_number\": 10",
                "\"low_latency_transformation\": true", "\"graph_path\": \"g.pbtxt\"", "\"subconfig\": \"s.json\"",
                "\"custom_loader_options\": {\"loader_name\": \"l\"}")) {
            Path config = Files.writeString(dir.resolve("config.json"), "{\"model_config_list\": [{\"config\": "
                    + "{\"name\": \"a\", \"base_path\": \"a\", " + field + "}}]}");
            String name = field.substring(1, field.indexOf('"', 1));

            assertThatThrownBy(() -> ModelConfigs.fromConfigJson(config, "CPU")).as(name)
                    .hasMessageContaining("model a: \"" + name + "\" is not supported");
        }
    }

    @Test
    void servesAModelWithTheFieldsThatChangeNoAnswerWarningOfEachByName() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"model_config_list": [{"config": {"name": "a", "base_path": "a", "allow_cache": true,
                  "stateful": false}}],
                 "monitoring": {"metrics": {"enable": true}}}""");

        try (LogCapture log = LogCapture.of(ConfigJsonFields.class)) {
            assertThat(ModelConfigs.fromConfigJson(config, "CPU")).singleElement()
                    .extracting(ModelConfig::name).isEqualTo("a");

            assertThat(log.messages()).anySatisfy(line -> assertThat(line).contains("\"allow_cache\"", "model a"))
                    .anySatisfy(line -> assertThat(line).contains("\"monitoring\""));
        }
    }

    @Test
    void refusesAFieldOutsideOvmsSchemaByName() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"model_config_list": [{"config": {"name": "a", "base_path": "a", "nireqs": 2}}]}""");

        assertThatThrownBy(() -> ModelConfigs.fromConfigJson(config, "CPU")).hasMessageContaining("\"nireqs\"");
    }

    @Test
    void refusesPipelinesByNameAndAcceptsAnEmptyList() throws IOException {
        Path pipelines = Files.writeString(dir.resolve("config.json"), """
                {"model_config_list": [{"config": {"name": "a", "base_path": "a"}}],
                 "pipeline_config_list": [{"name": "p", "nodes": [], "inputs": [], "outputs": []}]}""");
        assertThatThrownBy(() -> ModelConfigs.fromConfigJson(pipelines, "CPU"))
                .hasMessageContaining("\"pipeline_config_list\" is not supported");

        Path none = Files.writeString(dir.resolve("config.json"), """
                {"model_config_list": [{"config": {"name": "a", "base_path": "a"}}], "pipeline_config_list": []}""");
        assertThat(ModelConfigs.fromConfigJson(none, "CPU")).hasSize(1);
    }
}
