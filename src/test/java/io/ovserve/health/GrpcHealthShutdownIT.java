package io.ovserve.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.client.support.Replica;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * grpc.health.v1 through a rolling update's SIGTERM, on real server processes: NOT_SERVING from the
 * start of the shutdown delay, as {@code /q/health/ready}, while calls are still served; and an open
 * Watch does not keep the process from exiting.
 */
class GrpcHealthShutdownIT {

    private static final HealthCheckRequest SERVER = HealthCheckRequest.getDefaultInstance();

    @Test
    void notServingFromTheStartOfTheShutdownDelayWhileCallsAreStillServed() throws Exception {
        try (Replica replica = Replica.start("quarkus.shutdown.delay=60s")) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(replica.target()).usePlaintext().build();
            try {
                Iterator<HealthCheckResponse> watch = HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(50, TimeUnit.SECONDS).watch(SERVER);
                assertThat(watch.next().getStatus()).as("before SIGTERM").isEqualTo(ServingStatus.SERVING);

                replica.terminate();

                assertThat(watch.next().getStatus()).as("the next message, after SIGTERM")
                        .isEqualTo(ServingStatus.NOT_SERVING);
                assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(SERVER)
                        .getStatus()).as("Check during the delay").isEqualTo(ServingStatus.NOT_SERVING);
                assertThat(replica.readinessStatus()).as("/q/health/ready during the delay").isEqualTo(503);
                assertThat(PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .predict(ClosedLoop.AFFINE).getOutputsMap()).as("a call during the delay").containsKey("y");
            } finally {
                channel.shutdownNow();
                replica.kill(); // not 60 s of delay
            }
        }
    }

    @Test
    void anOpenWatchEndsUnavailableAndDoesNotHoldTheShutdown() throws Exception {
        try (Replica replica = Replica.start("quarkus.shutdown.delay=0s", "ovserve.shutdown.grace-period=30s")) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(replica.target()).usePlaintext().build();
            try {
                Iterator<HealthCheckResponse> watch = HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(60, TimeUnit.SECONDS).watch(SERVER);
                assertThat(watch.next().getStatus()).isEqualTo(ServingStatus.SERVING);

                replica.terminate();

                assertThat(replica.awaitExit(Duration.ofSeconds(20))).as("exited before the 30 s grace period")
                        .isTrue();
                assertThatThrownBy(() -> {
                    while (watch.hasNext()) {
                        assertThat(watch.next().getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
                    }
                }).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
