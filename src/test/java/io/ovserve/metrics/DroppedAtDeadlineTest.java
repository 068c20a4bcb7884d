package io.ovserve.metrics;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.floatsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.ovserve.support.ResnetReference;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A Predict whose gRPC deadline passes while it waits behind others for ResNet's one infer request
 * is dropped when its turn comes, without inference, and counted. The backlog ahead of it is sized
 * from the inference time measured here, to last four times its deadline.
 */
@QuarkusTest
@TestProfile(DroppedAtDeadlineTest.OneInferRequest.class)
class DroppedAtDeadlineTest extends ServingTest {

    public static class OneInferRequest extends ServingProfile {
        public OneInferRequest() {
            super(Map.of("ovserve.model-name", "resnet", "ovserve.model-path", "target/models/resnet",
                    "ovserve.nireq", "1", "ovserve.plugin-config", "{\"NUM_STREAMS\":\"1\"}",
                    "ovserve.queue-size", "600", "ovserve.queue-time", "0s")); // a backlog longer than 1 s
        }
    }

    private static final long DEADLINE_MS = 300;
    private static final PredictRequest REQUEST = Tensors.request("resnet")
            .putInputs("0", floats(new long[] {1, 3, 224, 224}, ResnetReference.input())).build();
    private static final String DROPPED = "ovserve_requests_dropped_deadline_total{model=\"resnet\"}";
    private static final String VERSION = "{name=\"resnet\",version=\"1\"}";

    @Test
    void aCallWhoseDeadlinePassesWhileItWaitsForTheInferRequestIsDroppedWithoutInference() throws Exception {
        int backlog = callsLasting(4 * DEADLINE_MS);
        Scrape before = Scrape.now();
        PredictionServiceGrpc.PredictionServiceFutureStub async = PredictionServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        List<ListenableFuture<PredictResponse>> ahead = IntStream.range(0, backlog)
                .mapToObj(i -> async.predict(REQUEST)).toList();
        String holding = "ovms_current_requests" + VERSION;
        assertThat(Scrape.awaiting(scrape -> scrape.value(holding) >= 0.8 * backlog).value(holding))
                .as("calls the server holds").isGreaterThanOrEqualTo(0.8 * backlog);

        // the client's own deadline answers this first; that the server dropped it is what the metrics show
        assertFails(() -> predictions.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS).predict(REQUEST),
                Status.Code.DEADLINE_EXCEEDED, "deadline");

        for (ListenableFuture<PredictResponse> call : ahead) {
            ResnetReference.assertMatches(floatsOf(call.get(60, TimeUnit.SECONDS), "1463"));
        }
        Scrape after = Scrape.awaiting(scrape -> scrape.valueOrZero(DROPPED) > before.valueOrZero(DROPPED));
        assertThat(after.value(DROPPED)).isEqualTo(before.valueOrZero(DROPPED) + 1);
        assertThat(after.value("ovms_inference_time_us_count" + VERSION)).as("inferences")
                .isEqualTo(before.value("ovms_inference_time_us_count" + VERSION) + backlog);
    }

    /** How many calls keep the infer request busy that long, from the mean inference time (after warm-up). */
    private int callsLasting(long millis) {
        for (int i = 0; i < 5; i++) {
            predictions.predict(REQUEST);
        }
        Scrape warm = Scrape.now();
        for (int i = 0; i < 5; i++) {
            predictions.predict(REQUEST);
        }
        Scrape measured = Scrape.now();
        String sum = "ovms_inference_time_us_sum" + VERSION;
        double micros = (measured.value(sum) - warm.value(sum)) / 5;
        return (int) Math.min(500, Math.max(8, Math.ceil(millis * 1000 / micros)));
    }
}
