package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.fault.NoFaults;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stopping while models still compile: stop must wait for the loader before freeing OpenVINO. Freeing
 * the Core under a running compile crashed the JVM (SIGSEGV in ov_core_read_model), which would kill
 * this test's JVM; and the loader must not publish a model after stop.
 */
class ModelManagerShutdownTest {

    private record Config(Optional<Path> configPath) implements ServingConfig {
        public Optional<String> modelName() {
            return Optional.empty();
        }

        public Optional<Path> modelPath() {
            return Optional.empty();
        }

        public Optional<String> pluginConfig() {
            return Optional.empty();
        }

        public Optional<Integer> nireq() {
            return Optional.empty();
        }

        public String targetDevice() {
            return "CPU";
        }

        public int queueSize() {
            return 4;
        }

        public long maxImagePixels() {
            return 1 << 20;
        }
    }

    @Test
    void stoppingWhileModelsLoadWaitsForTheLoaderAndLeavesNothingServed() throws InterruptedException {
        for (long delayMs : new long[] {0, 50, 300, 800}) {
            ModelManager manager = new ModelManager(
                    new Config(Optional.of(Path.of("target/test-classes/test-models.json"))), NoFaults.injector());
            manager.start(null);
            Thread.sleep(delayMs);

            manager.stop(null);

            assertThat(manager.models()).as("after a stop %d ms into loading", delayMs)
                    .noneMatch(model -> model.state() == ModelState.AVAILABLE);
        }
    }
}
