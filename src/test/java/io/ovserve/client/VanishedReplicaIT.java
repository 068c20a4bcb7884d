package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.client.support.ChangingDiscovery;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.client.support.Replica;
import io.ovserve.client.support.Replicas;
import io.ovserve.support.Conditions;
import io.ovserve.support.Tensors;
import io.smallrye.stork.impl.RoundRobinLoadBalancer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictResponse;

/**
 * A replica that vanishes without closing its connections (a force-deleted pod, a partition: no RST
 * ever comes), played by a real server process stopped with SIGSTOP: calls in flight on it are not
 * left to wait for their deadline, whether discovery drops it or still lists it.
 */
class VanishedReplicaIT {

    private static final float[] AFFINE_REPLY = {4, 7, 10, 13};
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static Replicas replicas;
    private static Replica vanishing;
    private static Replica live;
    private static Replica hung;

    @BeforeAll
    static void startReplicas() {
        replicas = Replicas.start(2);
        vanishing = replicas.get(0);
        live = replicas.get(1);
        hung = Replica.start("ovserve.fault.delay.fixed-delay=10m");
        replicas.add(hung);
    }

    @AfterEach
    void resume() {
        vanishing.thaw();
    }

    @AfterAll
    static void stopReplicas() {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void callsOnAFrozenReplicaThatDiscoveryDropsAreMovedAndAnsweredBeforeTheirDeadline() throws Exception {
        ChangingDiscovery discovery = new ChangingDiscovery();
        discovery.list(vanishing.target(), live.target());
        try (PredictClient client = TestClients.over(discovery, new RoundRobinLoadBalancer(), DEADLINE)) {
            List<CompletableFuture<PredictResponse>> calls = callsWithTwoStuckOnTheFrozenReplica(client);

            discovery.list(live.target());

            assertEveryCallAnswered(calls);
            assertThat(client.stats().retries()).as("attempts moved off the dropped replica").isEqualTo(2);
            assertThat(client.stats().ejections()).as("ejections").isZero();
            assertThat(client.stats().okPerInstance()).containsEntry(vanishing.target(), 2L)
                    .containsEntry(live.target(), 6L);
        }
    }

    @Test
    void callsOnAFrozenReplicaStillListedFailByKeepaliveAndAreRetriedBeforeTheirDeadline() throws Exception {
        try (PredictClient client = PredictClient.builder().staticTargets(vanishing.target(), live.target())
                .loadBalancer("round-robin").deadline(DEADLINE)
                .keepAliveTime(Duration.ofSeconds(10)).keepAliveTimeout(Duration.ofSeconds(1)).build()) {
            List<CompletableFuture<PredictResponse>> calls = callsWithTwoStuckOnTheFrozenReplica(client);

            assertEveryCallAnswered(calls);
            assertThat(client.stats().retries()).as("attempts retried after the keepalive failed").isEqualTo(2);
            assertThat(client.stats().okPerInstance()).containsEntry(live.target(), 6L);
        }
    }

    /**
     * A call the server holds silent for 40 s draws a keepalive ping every 10 s (the client's default):
     * grpc-java's server, by default, answers the third with GOAWAY "too_many_pings" and the call fails
     * RESOURCE_EXHAUSTED at 30 s; ovserve permits them, so the call runs to its deadline.
     */
    @Test
    void theServerPermitsTheClientsDefaultKeepalive() {
        try (PredictClient client = PredictClient.builder().staticTargets(hung.target())
                .deadline(Duration.ofSeconds(40)).build()) {
            assertThatThrownBy(() -> client.predict(ClosedLoop.AFFINE))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .as("%s", e.getStatus()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        }
    }

    /**
     * Opens a connection to each replica (four calls, round-robin), freezes {@link #vanishing}, then sends
     * four calls: the two on {@link #live} are answered, the two on the frozen replica stay open.
     */
    private static List<CompletableFuture<PredictResponse>> callsWithTwoStuckOnTheFrozenReplica(
            PredictClient client) {
        for (int i = 0; i < 4; i++) {
            assertThat(Tensors.floatsOf(client.predict(ClosedLoop.AFFINE), "y")).containsExactly(AFFINE_REPLY);
        }
        assertThat(client.stats().okPerInstance()).containsEntry(vanishing.target(), 2L)
                .containsEntry(live.target(), 2L);
        vanishing.freeze();
        List<CompletableFuture<PredictResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(client.predictAsync(ClosedLoop.AFFINE));
        }
        Conditions.await("the live replica answers its two calls",
                () -> client.stats().okPerInstance().get(live.target()) == 4L);
        assertThat(calls.stream().filter(CompletableFuture::isDone).count()).as("calls answered while frozen")
                .isEqualTo(2);
        return calls;
    }

    /** Each call ends with its reply: none waited for its deadline (the client's backstop bounds the wait). */
    private static void assertEveryCallAnswered(List<CompletableFuture<PredictResponse>> calls) throws Exception {
        for (CompletableFuture<PredictResponse> call : calls) {
            PredictResponse reply;
            try {
                reply = call.get();
            } catch (ExecutionException e) {
                throw new AssertionError("a call failed: " + e.getCause(), e.getCause());
            }
            assertThat(Tensors.floatsOf(reply, "y")).containsExactly(AFFINE_REPLY);
        }
    }
}
