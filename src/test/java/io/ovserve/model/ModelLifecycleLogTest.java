package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.fault.NoFaults;
import io.ovserve.support.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One log line per lifecycle event of each model: loading, available (with its streams and infer requests), failed, unloading, unloaded. */
class ModelLifecycleLogTest {

    @Test
    void eachModelLogsOneLinePerLifecycleEvent() throws InterruptedException {
        List<String> logged;
        try (LogCapture log = LogCapture.of(ModelManager.class)) {
            ModelManager manager = new ModelManager(
                    TestServingConfig.of("target/test-classes/broken-model-models.json"), NoFaults.injector());
            manager.start(null);
            ModelStates.await(manager.model("affine"), ModelState.AVAILABLE);
            ModelStates.await(manager.model("broken"), ModelState.END);
            manager.stop(null);
            logged = log.messages();
        }

        assertThat(logged).filteredOn(line -> line.startsWith("model affine ")).satisfiesExactly(
                loading -> assertThat(loading).matches("model affine version \\d+ loading: .*model\\.xml"),
                available -> assertThat(available).matches(
                        "model affine version \\d+ available: \\d+ streams, \\d+ infer requests, inputs \\[x:F32\\[1,4]],"
                                + " outputs \\[y:F32\\[1,4]] \\(\\d+ ms\\)"),
                unloading -> assertThat(unloading).matches("model affine version \\d+ unloading \\(0 calls hold it\\)"),
                unloaded -> assertThat(unloaded).matches("model affine version \\d+ unloaded"));
        assertThat(logged).filteredOn(line -> line.startsWith("model broken ")).satisfiesExactly(
                loading -> assertThat(loading).matches("model broken version 1 loading: .*model\\.xml"),
                failed -> assertThat(failed).isEqualTo("model broken version 1 failed to load"));
    }
}
