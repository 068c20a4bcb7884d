package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
}
