package io.ovserve.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.ovserve.model.ModelManager;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Base of the tests that talk to the running server: real gRPC over a socket on the server's port,
 * with the stock generated stubs, once the start-up loading of the test models is done.
 */
@QuarkusTestResource(FreePortsResource.class)
public abstract class ServingTest {

    @Inject
    protected ModelManager models;

    protected ManagedChannel channel;
    protected PredictionServiceGrpc.PredictionServiceBlockingStub predictions;
    protected ModelServiceGrpc.ModelServiceBlockingStub modelService;

    @BeforeEach
    void connect() {
        assertThat(models.awaitInitialLoad(Duration.ofMinutes(3))).as("models loaded").isTrue();
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        predictions = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        modelService = ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
