package io.ovserve.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerReadyRequest;
import io.ovserve.client.PredictClient;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.client.support.Replica;
import io.ovserve.client.support.Replicas;
import io.ovserve.support.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.PredictionServiceGrpc.PredictionServiceBlockingStub;

/**
 * SIGTERM as a rolling update sends it, to real server processes: readiness goes DOWN while calls
 * still succeed, then new calls are refused UNAVAILABLE (503 over REST) while admitted ones finish, and the process
 * exits within its grace period; a balancing client loses no call.
 */
class GracefulShutdownIT {

    private static final String REST_PREDICT = "/v1/models/affine:predict";
    private static final String REST_AFFINE = "{\"instances\": [[1, 2, 3, 4]]}";

    /**
     * The shutdown delay and the fault delay that holds the admitted calls are the server's own clocks; the test
     * waits for what they start (readiness DOWN, the log line that refusing began) and reads from that line how
     * many calls the server held then, so a slow test sees the same verdict. Only the delay must outlast a few
     * steps of the test (readiness seen DOWN, two calls sent), and the held calls the delay: 4 s and 10 s.
     */
    @Test
    void readinessGoesDownFirstWhileCallsStillSucceedThenNewCallsAreRefusedAsUnavailable() throws Exception {
        try (Replica replica = Replica.start("quarkus.shutdown.delay=4s", "ovserve.fault.delay.fixed-delay=10s",
                "ovserve.shutdown.grace-period=30s")) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(replica.target()).usePlaintext().build();
            try {
                PredictionServiceBlockingStub stub = PredictionServiceGrpc.newBlockingStub(channel);
                var kserve = GRPCInferenceServiceGrpc.newBlockingStub(channel);
                assertThat(kserve.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).as("connected, ready")
                        .isTrue();

                replica.terminate();
                Conditions.await("readiness DOWN after SIGTERM", () -> replica.readinessStatus() == 503);

                assertThat(kserve.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
                        .as("KServe ServerReady during the delay").isFalse();
                var admitted = PredictionServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .predict(ClosedLoop.AFFINE); // held 10 s by the fault: past the 4 s delay
                var admittedOverRest = replica.post(REST_PREDICT, REST_AFFINE);
                assertThat(replica.awaitLogLine("shutting down: refusing new calls")).as("when the delay ended")
                        .endsWith("refusing new calls, 2 in flight");

                assertThatThrownBy(() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).predict(ClosedLoop.AFFINE))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                                e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
                assertThat(replica.post(REST_PREDICT, REST_AFFINE).get(5, TimeUnit.SECONDS).statusCode())
                        .as("a new REST call after the delay").isEqualTo(503);
                assertThat(admitted.get(60, TimeUnit.SECONDS).getOutputsMap()).as("the admitted call's answer")
                        .containsKey("y");
                assertThat(admittedOverRest.get(60, TimeUnit.SECONDS).body()).as("the admitted REST call's answer")
                        .contains("predictions");
                assertThat(replica.awaitExit(Duration.ofSeconds(40))).as("exited within the grace period").isTrue();
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void callsSentThroughTheWholeShutdownAreAnsweredOrRefusedAsUnavailable() throws Exception {
        int callers = 4; // a connection each: the server spreads connections over its event loops
        try (Replica replica = Replica.start("quarkus.shutdown.delay=500ms", "ovserve.shutdown.linger=200ms")) {
            List<ManagedChannel> channels = new ArrayList<>();
            Map<Status.Code, AtomicLong> statuses = new ConcurrentHashMap<>();
            AtomicLong sent = new AtomicLong();
            AtomicBoolean sending = new AtomicBoolean(true);
            ExecutorService sender = Executors.newFixedThreadPool(callers);
            try {
                for (int i = 0; i < callers; i++) {
                    ManagedChannel channel = ManagedChannelBuilder.forTarget(replica.target()).usePlaintext().build();
                    channels.add(channel);
                    PredictionServiceBlockingStub stub = PredictionServiceGrpc.newBlockingStub(channel);
                    stub.withDeadlineAfter(10, TimeUnit.SECONDS).predict(ClosedLoop.AFFINE); // connected, warm
                    sender.execute(() -> {
                        while (sending.get()) {
                            Status.Code code = Status.Code.OK;
                            try {
                                stub.withDeadlineAfter(2, TimeUnit.SECONDS).predict(ClosedLoop.AFFINE);
                            } catch (RuntimeException e) { // not a status at all counts as UNKNOWN: refused below
                                code = Status.fromThrowable(e).getCode();
                            }
                            statuses.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
                            sent.incrementAndGet();
                        }
                    });
                }
                Conditions.await("calls answered before SIGTERM", () -> sent.get() >= 4L * callers);
                replica.terminate();
                assertThat(replica.awaitExit(Duration.ofSeconds(20))).as("exited within the grace period").isTrue();
                long atExit = sent.get();
                Conditions.await("calls sent once it has gone", () -> sent.get() >= atExit + callers);
            } finally {
                sending.set(false);
                sender.shutdown();
                assertThat(sender.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                channels.forEach(ManagedChannel::shutdownNow);
            }
            assertThat(statuses.keySet()).as("statuses of %s", statuses)
                    .containsExactlyInAnyOrder(Status.Code.OK, Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void aReplicaStoppedUnderLoadCostsTheBalancingClientNoCall() {
        try (Replicas replicas = Replicas.start(2, "quarkus.shutdown.delay=1s", "ovserve.shutdown.grace-period=10s",
                "ovserve.fault.delay.fixed-delay=20ms");
                PredictClient client = PredictClient.builder().staticTargets(replicas.targets())
                        .loadBalancer("round-robin").build()) {
            Replica stopping = replicas.get(0);
            AtomicLong stoppedInMillis = new AtomicLong(-1);
            ClosedLoop run = new ClosedLoop(client, 3000).at(500, () -> {
                long start = System.nanoTime();
                stopping.close();
                stoppedInMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }).run(8);

            assertThat(run.failures()).as("failed calls").isEmpty();
            assertThat(run.ok()).isEqualTo(3000);
            assertThat(stopping.isAlive()).isFalse();
            assertThat(stoppedInMillis.get()).as("ms from SIGTERM to exit: the delay, then the drain")
                    .isBetween(1_000L, 11_000L);
            assertThat(client.stats().okPerInstance().get(replicas.get(1).target())).as("calls the other replica took")
                    .isGreaterThan(3000 / 2);
        }
    }
}
