package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floatsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.support.ResnetReference;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Bursts of 24 concurrent Predicts on ResNet served with 3 infer requests and room for 1 waiting
 * request ({@link SingleModelTest.SmallQueue}): the excess is refused at once, the rest is answered.
 */
@QuarkusTest
@TestProfile(SingleModelTest.SmallQueue.class)
class QueueFullTest extends ServingTest {

    private static final int BURST = 24;

    private record Outcome(int answered, List<Status> refusals) {
    }

    /** Sends the burst and waits for every reply; an answer must be the right one. */
    private Outcome burst() throws InterruptedException, TimeoutException {
        PredictionServiceGrpc.PredictionServiceFutureStub async = PredictionServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        List<ListenableFuture<PredictResponse>> replies = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            replies.add(async.predict(SingleModelTest.referenceRequest()));
        }
        int answered = 0;
        List<Status> refusals = new ArrayList<>();
        for (ListenableFuture<PredictResponse> reply : replies) {
            try {
                ResnetReference.assertMatches(floatsOf(reply.get(60, TimeUnit.SECONDS), "1463"));
                answered++;
            } catch (ExecutionException e) {
                refusals.add(((StatusRuntimeException) e.getCause()).getStatus());
            }
        }
        return new Outcome(answered, refusals);
    }

    @Test
    void aBurstBeyondTheQueueIsPartlyRefusedWithResourceExhaustedNamingTheModel() throws Exception {
        Outcome outcome = burst();

        assertThat(outcome.answered()).as("answered").isPositive();
        assertThat(outcome.refusals()).as("refused").isNotEmpty().allSatisfy(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("classifier");
        });
        ResnetReference.assertMatches(floatsOf(predictions.predict(SingleModelTest.referenceRequest()), "1463"));
    }

    /** ovserve.nireq=3 shows over gRPC only here: the refusal counts the busy infer requests. */
    @Test
    void theRefusalCountsTheConfiguredInferRequests() throws Exception {
        Outcome outcome = burst();

        assertThat(outcome.refusals()).isNotEmpty().allSatisfy(status ->
                assertThat(status.getDescription()).containsPattern("\\b3 infer requests"));
    }
}
