package io.ovserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelReadyRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerLiveRequest;
import io.grpc.ClientCall;
import io.ovserve.fault.HeldInferences;
import io.ovserve.support.HeadersOnly;
import io.ovserve.support.RawBytes;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.HeldCallsTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.quarkus.test.junit.TestProfile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Admission from a call's headers: with 2 calls in flight (held until the test releases them) and
 * {@code ovserve.max-concurrent-calls=2}, the next inference call, gRPC or REST, is refused before its
 * message is read; health and metadata calls are still answered; calls that send only their headers
 * hold no place.
 */
@QuarkusTest
@TestProfile(CallGateTest.TwoCalls.class)
class CallGateTest extends HeldCallsTest {

    public static class TwoCalls extends ServingProfile {
        public TwoCalls() {
            super(Map.of("ovserve.model-name", "affine", "ovserve.model-path", "target/models/affine",
                    "ovserve.max-concurrent-calls", "2", "ovserve.request-body-timeout", "10m"));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HeldInferences.class);
        }
    }

    @Test
    void aCallBeyondTheLimitIsRefusedAsResourceExhaustedBeforeItsMessageIsParsed() throws Exception {
        List<ListenableFuture<PredictResponse>> holding = holdTwoCalls();

        // garbage: parsed, it would be INVALID_ARGUMENT; refused from its headers, it is RESOURCE_EXHAUSTED
        assertThatThrownBy(() -> RawBytes.call(channel, PredictionServiceGrpc.getPredictMethod(),
                "not a protobuf message".getBytes(StandardCharsets.UTF_8), 10))
                .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
                    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(error.getStatus().getDescription())
                            .contains("busy", "2 calls in flight", "ovserve.max-concurrent-calls");
                });
        held.release();
        for (ListenableFuture<PredictResponse> call : holding) {
            assertThat(Tensors.floatsOf(call.get(60, TimeUnit.SECONDS), "y")).containsExactly(4, 7, 10, 13);
        }
    }

    @Test
    void healthAndMetadataCallsBeyondTheLimitAreStillAnswered() throws Exception {
        List<ListenableFuture<PredictResponse>> holding = holdTwoCalls();
        var kserve = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);

        assertThat(kserve.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(kserve.modelReady(ModelReadyRequest.newBuilder().setName("affine").build()).getReady()).isTrue();
        assertThat(modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("affine")).build()).getModelVersionStatusCount()).isOne();
        held.release();
        for (ListenableFuture<PredictResponse> call : holding) {
            call.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestInferenceBeyondTheLimitIsRefusedWith503BeforeItsBodyIsRead() throws Exception {
        List<ListenableFuture<PredictResponse>> holding = holdTwoCalls();

        // not JSON: read, it would be 400; refused from its request line, it is 503
        RestAssured.given().body("not JSON").post("/v2/models/affine/infer")
                .then().statusCode(503).body("error", containsString("busy"), "error",
                        containsString("2 calls in flight"));
        RestAssured.given().body("not JSON").post("/v1/models/affine:predict").then().statusCode(503);
        RestAssured.get("/v2/models/affine/ready").then().statusCode(200);
        RestAssured.get("/v1/models/affine").then().statusCode(200);
        held.release();
        for (ListenableFuture<PredictResponse> call : holding) {
            call.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestRefusalIsAnsweredBeforeTheBodyArrives() throws Exception {
        List<ListenableFuture<PredictResponse>> holding = holdTwoCalls();

        // the request line and headers, then 1 byte of a 1 MB body: a gate after the body read would wait for it
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /v2/models/affine/infer HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 1000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 503 Service Unavailable");
        }
        held.release();
        for (ListenableFuture<PredictResponse> call : holding) {
            call.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestInferenceInFlightCountsAgainstTheLimit() throws Exception {
        var async = PredictionServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        held.hold();
        ListenableFuture<PredictResponse> grpc = async.predict(affine());
        CompletableFuture<Integer> rest = CompletableFuture.supplyAsync(() -> RestAssured.given()
                .body("{\"instances\": [[1, 2, 3, 4]]}").post("/v1/models/affine:predict").statusCode());
        awaitInFlight(2);

        assertFails(() -> predictions.predict(affine()), Status.Code.RESOURCE_EXHAUSTED, "2 calls in flight");
        held.release();
        assertThat(rest.get(60, TimeUnit.SECONDS)).isEqualTo(200);
        grpc.get(60, TimeUnit.SECONDS);
    }

    @Test
    void theCallsAdmittedLeaveAndFreeTheirPlaces() throws Exception {
        List<ListenableFuture<PredictResponse>> holding = holdTwoCalls();
        held.release();
        for (ListenableFuture<PredictResponse> call : holding) {
            call.get(60, TimeUnit.SECONDS);
        }

        assertStillServes();
        assertStillServes();
    }

    @Test
    void callsThatSendOnlyTheirHeadersHoldNoPlace() {
        List<ClientCall<byte[], byte[]>> silent = HeadersOnly.start(channel, PredictionServiceGrpc.getPredictMethod(), 20);
        try {
            assertStillServes();
            assertStillServes();
        } finally {
            silent.forEach(call -> call.cancel("test over", null));
        }
    }

    @Test
    void aRestCallThatSendsOnlyItsHeadersHoldsNoPlace() throws Exception {
        try (Socket first = HeadersOnly.restInference(RestAssured.port, "/v2/models/affine/infer");
                Socket second = HeadersOnly.restInference(RestAssured.port, "/v2/models/affine/infer")) {
            RestAssured.given().body("{\"instances\": [[1, 2, 3, 4]]}").post("/v1/models/affine:predict")
                    .then().statusCode(200);
            assertStillServes();
        }
    }

    /** Two calls admitted and held in inference until the test releases them. */
    private List<ListenableFuture<PredictResponse>> holdTwoCalls() {
        var async = PredictionServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        held.hold();
        List<ListenableFuture<PredictResponse>> calls = List.of(async.predict(affine()), async.predict(affine()));
        awaitInFlight(2);
        return calls;
    }

    private static tensorflow.serving.Predict.PredictRequest affine() {
        return Tensors.request("affine").putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build();
    }
}
