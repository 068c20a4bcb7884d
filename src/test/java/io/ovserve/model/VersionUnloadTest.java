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
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unloading one version of a model served with several (policy all over affine 2x+1 as version 1 and
 * 3x+1 as version 2), on a ModelManager with real OpenVINO: a call that holds the version finishes on
 * it, and only then is the version's instance closed.
 */
class VersionUnloadTest {

    private static final Path BASE = Path.of("target/version-unload/affine");

    private ModelManager manager;

    @BeforeEach
    void serveBothVersions() {
        VersionDirectories.affine(BASE, Map.of(1L, VersionDirectories.TWO_X, 2L, VersionDirectories.THREE_X));
        manager = new ModelManager(TestServingConfig.single("affine", BASE, Optional.of("{\"all\": {}}")),
                NoFaults.injector());
        manager.start(null);
        ModelStates.await(manager.model("affine"), ModelState.AVAILABLE);
        ServedModel model = manager.model("affine");
        model.versions().forEach(version -> Conditions.await("version " + version.number()
                + " available", () -> version.state() == ModelState.AVAILABLE));
    }

    @AfterEach
    void stop() {
        manager.stop(null);
    }

    @Test
    void aCallHoldingTheVersionFinishesOnItBeforeItsInstanceCloses() throws Exception {
        ModelInstance version1 = manager.instance(ref(OptionalLong.of(1)));
        CountDownLatch inferring = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        version1.observe(new ModelInstance.Observer() {
            @Override
            public void inferred(long nanos) { // on the inference thread, the call holding its lease
                inferring.countDown();
                await(gate);
            }
        });
        CompletableFuture<InferenceResponse> held = manager.infer(request(OptionalLong.of(1)));
        await(inferring);

        CompletableFuture<Void> unloaded = manager.unload("affine", 1);

        ServedVersion version = manager.model("affine").version(ref(OptionalLong.of(1)));
        assertThat(version.state()).isEqualTo(ModelState.UNLOADING);
        assertThat(version1.leasesHeld()).isEqualTo(1);
        assertThat(unloaded).as("closed while a call holds it").isNotDone();
        assertThat(held).isNotDone();
        gate.countDown();

        assertThat(outputOf(held.get(30, TimeUnit.SECONDS))).containsExactly(3, 5, 7, 9);
        unloaded.get(30, TimeUnit.SECONDS);
        assertThat(version.state()).isEqualTo(ModelState.END);
    }

    @Test
    void anUnloadingVersionRefusesNewCallsAsRetired() throws Exception {
        manager.unload("affine", 1).get(30, TimeUnit.SECONDS);

        assertThat(failureOf(manager.infer(request(OptionalLong.of(1))))).satisfies(error -> {
            assertThat(error.status()).isEqualTo(StatusCode.MODEL_VERSION_NOT_FOUND);
            assertThat(error.getMessage()).startsWith("Model with requested version is retired");
        });
    }

    @Test
    void callsNamingNoVersionGoToTheNextHighestOnceTheHighestUnloads() throws Exception {
        assertThat(outputOf(manager.infer(request(OptionalLong.empty())).get(30, TimeUnit.SECONDS)))
                .containsExactly(4, 7, 10, 13);

        manager.unload("affine", 2).get(30, TimeUnit.SECONDS);

        InferenceResponse response = manager.infer(request(OptionalLong.empty())).get(30, TimeUnit.SECONDS);
        assertThat(response.version()).isEqualTo(1);
        assertThat(outputOf(response)).containsExactly(3, 5, 7, 9);
    }

    private static ModelRef ref(OptionalLong version) {
        return new ModelRef("affine", version, Optional.empty());
    }

    private static InferenceRequest request(OptionalLong version) {
        ByteBuffer x = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3)
                .putFloat(4).flip();
        return new InferenceRequest(ref(version), Map.of("x", new InputTensor.Raw(ElementType.F32, new long[] {1, 4}, x)),
                Set.of());
    }

    private static float[] outputOf(InferenceResponse response) {
        ByteBuffer y = ByteBuffer.wrap(response.outputs().get("y").data()).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[y.remaining() / 4];
        y.asFloatBuffer().get(values);
        return values;
    }

    private static ServingException failureOf(CompletableFuture<InferenceResponse> call) {
        try {
            call.get(30, TimeUnit.SECONDS);
            throw new AssertionError("the call succeeded");
        } catch (ExecutionException e) {
            return (ServingException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).as("latch released").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
