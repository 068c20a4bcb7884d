package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A call its client gives up on while it waits for the one infer request (gRPC cancel, REST
 * disconnect) frees its admission at once and never runs: the infer request is held by a call the
 * test releases, and the inferences are counted.
 */
@QuarkusTest
@TestProfile(CancelledCallsTest.OneInferRequest.class)
class CancelledCallsTest extends ServingTest {

    public static class OneInferRequest extends ServingProfile {
        public OneInferRequest() {
            super(Map.of("ovserve.model-name", "affine", "ovserve.model-path", "target/models/affine",
                    "ovserve.nireq", "1"));
        }
    }

    private static final long REQUEST_BYTES = 4 * Float.BYTES; // x: [1, 4] f32
    private static final byte[] REST_BODY = "{\"instances\": [[1, 2, 3, 4]]}".getBytes(StandardCharsets.US_ASCII);

    @Inject
    ModelManager models;

    private ModelInstance affine;
    private HoldFirst runs;

    @BeforeEach
    void holdTheFirstInference() {
        affine = models.instance(new ModelRef("affine", OptionalLong.empty(), Optional.empty()));
        runs = new HoldFirst();
        affine.observe(runs);
    }

    @AfterEach
    void releaseTheInferRequest() {
        runs.gate.release(); // if a test failed while holding it, the next one still gets it
    }

    @Test
    void aGrpcCallItsClientCancelsWhileItWaitsNeverRunsAndFreesItsAdmission() throws Exception {
        ListenableFuture<PredictResponse> held = holdTheInferRequest();
        ClientCall<PredictRequest, PredictResponse> call = channel.newCall(PredictionServiceGrpc.getPredictMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.MINUTES));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.sendMessage(request());
        call.halfClose();
        call.request(1);
        awaitUntil(() -> affine.requestsInProgress() == 2, "the second call waits for the infer request");

        call.cancel("the caller gives up", null);

        assertThat(closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
        assertOnlyTheHeldCallRuns(held);
    }

    @Test
    void aRestCallWhoseClientDisconnectsWhileItWaitsNeverRunsAndFreesItsAdmission() throws Exception {
        ListenableFuture<PredictResponse> held = holdTheInferRequest();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/models/affine:predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + REST_BODY.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(REST_BODY);
            out.flush();
            awaitUntil(() -> affine.requestsInProgress() == 2, "the REST call waits for the infer request");
        } // the client goes away

        assertOnlyTheHeldCallRuns(held);
    }

    private ListenableFuture<PredictResponse> holdTheInferRequest() throws InterruptedException {
        ListenableFuture<PredictResponse> held = PredictionServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(1, TimeUnit.MINUTES).predict(request());
        runs.gate.awaitHeld();
        return held;
    }

    /** The given-up call frees its admission while the infer request is still held, and never runs after. */
    private void assertOnlyTheHeldCallRuns(ListenableFuture<PredictResponse> held) throws Exception {
        awaitUntil(() -> affine.requestsInProgress() == 1, "the given-up call's admission freed");
        assertThat(affine.bytesInProgress()).as("bytes of the held call only").isEqualTo(REQUEST_BYTES);

        runs.gate.release();
        held.get(10, TimeUnit.SECONDS);
        assertStillServes(); // queued behind the given-up call: the worker has passed it

        assertThat(runs.inferences).as("the held call and the next; never the given-up one").hasValue(2);
        assertThat(affine.requestsInProgress()).isZero();
        assertThat(affine.bytesInProgress()).isZero();
    }

    private static PredictRequest request() {
        return Tensors.request("affine").putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build();
    }

    /** Waits for a condition the server reaches on its own threads; only a broken server takes the whole minute. */
    private static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Holds the first job a worker takes until the test releases it, and counts the inferences. */
    private static final class HoldFirst implements ModelInstance.Observer {

        final Gate gate = new Gate();
        final AtomicInteger inferences = new AtomicInteger();
        private final AtomicInteger taken = new AtomicInteger();

        @Override
        public void waited(long nanos) {
            if (taken.getAndIncrement() == 0) {
                gate.hold();
            }
        }

        @Override
        public void inferred(long nanos) {
            inferences.incrementAndGet();
        }
    }
}
