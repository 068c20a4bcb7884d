package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PluginConfigTest {

    @Test
    void keepsOpenVinoPropertiesAsStrings() {
        assertThat(PluginConfig.parse("{\"PERFORMANCE_HINT\":\"LATENCY\",\"INFERENCE_NUM_THREADS\":2}"))
                .containsOnlyKeys("PERFORMANCE_HINT", "INFERENCE_NUM_THREADS")
                .containsEntry("INFERENCE_NUM_THREADS", "2");
    }

    @Test
    void mapsLegacyCpuThroughputStreamsToNumStreams() {
        assertThat(PluginConfig.parse("{\"CPU_THROUGHPUT_STREAMS\":\"CPU_THROUGHPUT_AUTO\"}"))
                .containsEntry("NUM_STREAMS", "AUTO")
                .doesNotContainKey("CPU_THROUGHPUT_STREAMS");
    }

    @Test
    void defaultsToTheThroughputHint() {
        assertThat(PluginConfig.parse("{}")).containsExactlyEntriesOf(java.util.Map.of("PERFORMANCE_HINT", "THROUGHPUT"));
    }

    @Test
    void explicitStreamsReplaceTheDefaultHint() {
        assertThat(PluginConfig.parse("{\"NUM_STREAMS\":1}")).containsOnlyKeys("NUM_STREAMS");
    }

    @Test
    void rejectsAnythingButAJsonObject() {
        assertThatThrownBy(() -> PluginConfig.parse("[1]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> PluginConfig.parse("{nope")).hasMessageContaining("not a JSON object");
    }
}
