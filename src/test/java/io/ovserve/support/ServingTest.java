package io.ovserve.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.restassured.RestAssured;
import io.quarkus.test.common.QuarkusTestResource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Base of the tests that talk to the running server: real gRPC over a socket on the server's port,
 * with the stock generated stubs, once the server reports ready. Subclasses named {@code ...IT}
 * rerun the same tests against the packaged application.
 */
@QuarkusTestResource(FreePortsResource.class)
public abstract class ServingTest {

    protected ManagedChannel channel;
    protected PredictionServiceGrpc.PredictionServiceBlockingStub predictions;
    protected ModelServiceGrpc.ModelServiceBlockingStub modelService;

    @BeforeEach
    void connect() {
        awaitProbe(awaitedProbe());
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        predictions = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        modelService = ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /**
     * The probe that must answer 200 before the tests run. By default readiness, as the kubelet waits:
     * every model is loaded and warmed up. Tests of models that fail to load wait for start-up instead.
     */
    protected String awaitedProbe() {
        return "/q/health/ready";
    }

    private static void awaitProbe(String probe) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (RestAssured.get(probe).statusCode() != 200) {
            assertThat(System.nanoTime()).as("%s UP within 3 minutes", probe).isLessThan(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The server still answers a good request correctly: a bad one before it poisoned nothing. */
    protected void assertStillServes() {
        PredictResponse response = predictions.predict(Tensors.request("affine")
                .putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build());
        assertThat(Tensors.floatsOf(response, "y")).containsExactly(4, 7, 10, 13);
    }

    /** The call fails with this gRPC code and a message that says what was wrong. */
    protected static void assertFails(Runnable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
            assertThat(error.getStatus().getCode()).isEqualTo(code);
            assertThat(error.getStatus().getDescription()).contains(messagePart);
        });
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
