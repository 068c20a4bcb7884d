package io.ovserve.fault;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/** A replica slowed down on purpose: every Predict waits the fixed delay, then answers correctly. */
@QuarkusTest
@TestProfile(FaultDelayTest.Delayed.class)
class FaultDelayTest extends ServingTest {

    /** Long beside a call on loopback (a millisecond), so that the upper bounds below hold on a loaded machine. */
    private static final long DELAY_MS = 1000;
    private static final int CALLS = 16;
    private static final PredictRequest AFFINE = request("affine")
            .putInputs("x", floats(new long[] {1, 4}, 1, 2, 3, 4)).build();

    public static class Delayed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ovserve.fault.delay.fixed-delay", DELAY_MS + "ms", "ovserve.fault.delay.percentage", "100");
        }
    }

    @Test
    void predictTakesAtLeastTheDelayAndStillAnswersRight() {
        long start = System.nanoTime();
        PredictResponse response = predictions.predict(AFFINE);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(DELAY_MS);
        assertThat(floatsOf(response, "y")).containsExactly(4, 7, 10, 13);
    }

    /** Waiting out the delay blocks no thread: calls sent together are delayed together, not one after another. */
    @Test
    void concurrentCallsAreDelayedTogether() throws Exception {
        PredictionServiceGrpc.PredictionServiceFutureStub stub = PredictionServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        predictions.predict(AFFINE);

        long start = System.nanoTime();
        List<ListenableFuture<PredictResponse>> calls = IntStream.range(0, CALLS).mapToObj(i -> stub.predict(AFFINE))
                .toList();
        for (ListenableFuture<PredictResponse> call : calls) {
            assertThat(floatsOf(call.get(), "y")).containsExactly(4, 7, 10, 13);
        }

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("one after another: %d ms",
                CALLS * DELAY_MS).isGreaterThanOrEqualTo(DELAY_MS).isLessThan(CALLS / 2 * DELAY_MS);
    }

    @Test
    void otherCallsAreNotDelayed() {
        predictions.predict(AFFINE);

        long start = System.nanoTime();
        modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("affine")).build());

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(DELAY_MS);
    }
}
