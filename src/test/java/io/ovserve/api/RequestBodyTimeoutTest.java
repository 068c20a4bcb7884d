package io.ovserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.ovserve.fault.HeldInferences;
import io.ovserve.support.HeadersOnly;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.HeldCallsTest;
import io.ovserve.support.RawHttp2Client;
import io.ovserve.support.RawHttp2Client.Frame;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/** {@code ovserve.request-body-timeout}: a call whose request does not arrive in time is ended and holds nothing. */
@QuarkusTest
@TestProfile(RequestBodyTimeoutTest.ShortTimeout.class)
class RequestBodyTimeoutTest extends HeldCallsTest {

    public static class ShortTimeout extends ServingProfile {
        public ShortTimeout() {
            super(Map.of("ovserve.model-name", "affine", "ovserve.model-path", "target/models/affine",
                    "ovserve.request-body-timeout", "200ms"));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HeldInferences.class);
        }
    }

    @Test
    void aGrpcCallThatSendsNoMessageIsEndedWithDeadlineExceeded() throws Exception {
        CompletableFuture<Status> closed = new CompletableFuture<>();
        HeadersOnly.start(channel, PredictionServiceGrpc.getPredictMethod(), closed);

        Status status = closed.get(60, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).contains("did not arrive within 200 ms", "ovserve.request-body-timeout");
        assertStillServes();
    }

    @Test
    void aGrpcCallWhoseMessageStopsHalfwayHasItsStreamResetAfterItsTrailers() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        try (RawHttp2Client client = RawHttp2Client.connect(port)) {
            int stream = client.startCall(PredictionServiceGrpc.getPredictMethod().getFullMethodName());
            client.send(stream, RawHttp2Client.grpcMessage(1000, new byte[100]), false);

            Frame trailers = client.next();
            assertThat(trailers.type()).as("%s", trailers).isEqualTo(RawHttp2Client.Type.HEADERS);
            assertThat(trailers.endStream()).isTrue();
            assertThat(trailers.grpcStatus()).isEqualTo(String.valueOf(Status.Code.DEADLINE_EXCEEDED.value()));
            Frame reset = client.next();
            assertThat(reset.type()).as("%s", reset).isEqualTo(RawHttp2Client.Type.RST_STREAM);
            assertThat(reset.stream()).isEqualTo(stream);
        }
        assertStillServes();
    }

    @Test
    void aRestCallThatSendsNoBodyGets408AndItsConnectionIsClosed() throws Exception {
        try (Socket socket = HeadersOnly.restInference(RestAssured.port, "/v2/models/affine/infer")) {
            BufferedReader reply = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertThat(reply.readLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
            String line;
            StringBuilder rest = new StringBuilder();
            while ((line = reply.readLine()) != null) { // null: the server closed the connection
                rest.append(line).append('\n');
            }
            assertThat(rest).contains("ovserve.request-body-timeout");
        }
        RestAssured.given().body("{\"instances\": [[1, 2, 3, 4]]}").post("/v1/models/affine:predict")
                .then().statusCode(200);
    }

    @Test
    void aCallWhoseMessageArrivedOutlivesTheTimeout() throws Exception {
        held.hold();
        ListenableFuture<PredictResponse> admitted = PredictionServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).predict(Tensors.request("affine")
                        .putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build());
        awaitInFlight(1);
        CompletableFuture<Status> late = new CompletableFuture<>();
        HeadersOnly.start(channel, PredictionServiceGrpc.getPredictMethod(), late);

        // a call started after it has timed out: the admitted call's timer would have fired too
        assertThat(late.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        held.release();
        assertThat(Tensors.floatsOf(admitted.get(60, TimeUnit.SECONDS), "y")).containsExactly(4, 7, 10, 13);
    }
}
