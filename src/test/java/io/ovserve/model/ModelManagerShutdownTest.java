package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.fault.NoFaults;
import io.quarkus.runtime.configuration.MemorySize;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stopping while models still compile: stop must wait for the loader before freeing OpenVINO. Freeing
 * the Core under a running compile crashed the JVM (SIGSEGV in ov_core_read_model), which would kill
 * this test's JVM; and the loader must not publish a model after stop.
 */
class ModelManagerShutdownTest {

    private record Config(Optional<Path> configPath, Optional<String> modelName, Optional<Path> modelPath)
            implements ServingConfig {

        static Config of(String configJson) {
            return new Config(Optional.of(Path.of(configJson)), Optional.empty(), Optional.empty());
        }

        static Config single(String name) {
            return new Config(Optional.empty(), Optional.of(name), Optional.of(Path.of("target/models", name)));
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

        public Optional<MemorySize> queueBytes() {
            return Optional.empty();
        }

        public Duration queueTime() {
            return Duration.ofSeconds(1);
        }

        public int inferenceNice() {
            return 0;
        }

        public long maxImagePixels() {
            return 1 << 20;
        }

        public Optional<Integer> maxConcurrentCalls() {
            return Optional.empty();
        }

        public Optional<Integer> grpcEventLoops() {
            return Optional.empty();
        }
    }

    @Test
    void stoppingWhileModelsLoadWaitsForTheLoaderAndLeavesNothingServed() throws InterruptedException {
        for (long delayMs : new long[] {0, 50, 300, 800}) {
            ModelManager manager = new ModelManager(
                    Config.of("target/test-classes/test-models.json"), NoFaults.injector());
            manager.start(null);
            Thread.sleep(delayMs);

            manager.stop(null);

            assertThat(manager.models()).as("after a stop %d ms into loading", delayMs)
                    .noneMatch(model -> model.state() == ModelState.AVAILABLE);
        }
    }

    @Test
    void stoppingWithCallsInFlightCompletesEveryCall() throws Exception {
        ModelManager manager = new ModelManager(Config.single("affine"), NoFaults.injector());
        manager.start(null);
        awaitAvailable(manager.model("affine"));
        List<CompletableFuture<InferenceResponse>> calls = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread caller = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    calls.add(manager.infer(affineRequest()));
                }
            });
            callers.add(caller);
            caller.start();
        }
        Thread.sleep(300);

        manager.stop(null);
        for (Thread caller : callers) {
            caller.interrupt();
            caller.join();
        }

        long answered = 0;
        for (CompletableFuture<InferenceResponse> call : calls) {
            try {
                call.get(10, TimeUnit.SECONDS);
                answered++;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(ServingException.class, error -> assertThat(
                        error.status()).isIn(StatusCode.MODEL_NOT_AVAILABLE, StatusCode.QUEUE_FULL));
            }
        }
        assertThat(answered).as("calls answered before the stop").isPositive();
        assertThat(manager.model("affine").state()).isEqualTo(ModelState.END);
    }

    private static InferenceRequest affineRequest() {
        return new InferenceRequest(new ModelRef("affine", OptionalLong.empty(), Optional.empty()),
                Map.of("x", new InputTensor.Raw(ElementType.F32, new long[] {1, 4},
                        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN))),
                Set.of());
    }

    private static void awaitAvailable(ServedModel model) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (model.state() != ModelState.AVAILABLE && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(model.state()).isEqualTo(ModelState.AVAILABLE);
    }
}
