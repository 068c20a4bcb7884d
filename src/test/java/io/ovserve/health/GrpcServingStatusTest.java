package io.ovserve.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.StatusRuntimeException;
import io.ovserve.model.ModelManager;
import io.ovserve.model.TestModelManagers;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * grpc.health.v1 while a model loads, on a real gRPC server and a real ModelManager: the model stays
 * unloaded until the test starts the loader, so "not loaded yet" lasts exactly as long as the test wants.
 */
class GrpcServingStatusTest {

    private static final HealthCheckRequest SERVER = HealthCheckRequest.getDefaultInstance();

    private ModelManager models;
    private GrpcServingStatus status;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void serve() throws IOException {
        models = TestModelManagers.single("affine");
        ModelsReadinessCheck readiness = new ModelsReadinessCheck(models);
        status = new GrpcServingStatus(() -> Uni.createFrom().item(() -> readiness.call().getStatus() == Status.UP),
                models);
        status.start(null);
        server = ServerBuilder.forPort(0).addService(new GrpcHealthService(status)).build().start();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        status.stop(null);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        TestModelManagers.stop(models);
    }

    @Test
    void checkIsNotServingUntilTheModelHasLoaded() throws InterruptedException {
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        assertThat(health.check(SERVER).getStatus()).as("before loading").isEqualTo(ServingStatus.NOT_SERVING);

        TestModelManagers.start(models);
        TestModelManagers.awaitAvailable(models, "affine");

        assertThat(health.check(SERVER).getStatus()).as("once loaded").isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void watchSendsServingWhenTheModelHasLoaded() {
        Iterator<HealthCheckResponse> watch = HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).watch(SERVER);
        assertThat(watch.next().getStatus()).as("before loading").isEqualTo(ServingStatus.NOT_SERVING);

        TestModelManagers.start(models);

        assertThat(watch.next().getStatus()).as("the next message").isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void watchEndsUnavailableWhenTheServerStops() throws InterruptedException {
        Iterator<HealthCheckResponse> watch = HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).watch(SERVER);
        watch.next();

        status.stop(null);

        assertThatThrownBy(watch::next).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    }
}
