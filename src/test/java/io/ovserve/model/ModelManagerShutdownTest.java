package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.fault.NoFaults;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.ElementType;
import io.ovserve.support.Conditions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Stopping while models still compile: stop must wait for the loader before freeing OpenVINO. Freeing
 * the Core under a running compile crashed the JVM (SIGSEGV in ov_core_read_model), which would kill
 * this test's JVM; and the loader must not publish a model after stop.
 */
class ModelManagerShutdownTest {

    @Test
    void stoppingWhileModelsLoadWaitsForTheLoaderAndLeavesNothingServed() {
        // where the loader is when stop comes: not started yet, compiling resnet (the first and largest), on to the next
        Map<String, Predicate<ModelManager>> moments = new LinkedHashMap<>();
        moments.put("at once", manager -> true);
        moments.put("while resnet loads", manager -> reached(manager, "resnet", ModelState.LOADING));
        moments.put("once affine loads", manager -> reached(manager, "affine", ModelState.LOADING));
        moments.forEach((moment, reached) -> {
            ModelManager manager = new ModelManager(
                    TestServingConfig.of("target/test-classes/test-models.json"), NoFaults.injector());
            manager.start(null);
            Conditions.await("the loader " + moment, () -> reached.test(manager));

            manager.stop(null);

            assertThat(manager.models()).as("after a stop %s", moment)
                    .noneMatch(model -> model.state() == ModelState.AVAILABLE);
        });
    }

    /** Whether the model has reached this state or a later one (states only move forward). */
    private static boolean reached(ModelManager manager, String model, ModelState state) {
        return manager.model(model).state().compareTo(state) >= 0;
    }

    @Test
    void stoppingWithCallsInFlightCompletesEveryCall() throws Exception {
        ModelManager manager = new ModelManager(TestServingConfig.single("affine"), NoFaults.injector());
        manager.start(null);
        ModelStates.await(manager.model("affine"), ModelState.AVAILABLE);
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
        Conditions.await("a call answered", () -> calls.stream()
                .anyMatch(call -> call.isDone() && !call.isCompletedExceptionally()));

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
}
