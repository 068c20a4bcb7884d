package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.client.support.ChangingDiscovery;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.client.support.HeldLoadBalancer;
import io.ovserve.client.support.Replica;
import io.ovserve.support.Images;
import io.ovserve.support.Tensors;
import io.smallrye.stork.impl.RoundRobinLoadBalancer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/**
 * What the balancing client does when a replica or discovery misbehaves, against real server processes:
 * which failures it retries, which eject a replica, and that no call outlives close or waits past its
 * deadline for an instance list.
 */
class ClientFailuresIT {

    /** Decodes to 192 bytes for the 8x8 image model, but holds more than queue-bytes as it arrives. */
    private static final PredictRequest LARGER_THAN_QUEUE_BYTES = Tensors.request("image")
            .putInputs("image", Tensors.images(Images.noise("jpg", 256, 256))).build();
    private static final float[] AFFINE_REPLY = {4, 7, 10, 13};

    private static Replica first;
    private static Replica second;
    private static Replica hung;
    private static Replica failing;

    @BeforeAll
    static void startReplicas() {
        List<CompletableFuture<Replica>> starting = List.of(
                CompletableFuture.supplyAsync(() -> Replica.start("ovserve.queue-bytes=4k")),
                CompletableFuture.supplyAsync(() -> Replica.start("ovserve.queue-bytes=4k")),
                CompletableFuture.supplyAsync(() -> Replica.start("ovserve.fault.delay.fixed-delay=10m")),
                CompletableFuture.supplyAsync(() -> Replica.start("ovserve.fault.abort.grpc-status=INTERNAL")));
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        first = starting.get(0).getNow(null);
        second = starting.get(1).getNow(null);
        hung = starting.get(2).getNow(null);
        failing = starting.get(3).getNow(null);
        if (first == null || second == null || hung == null || failing == null) {
            stopReplicas();
            starting.forEach(CompletableFuture::join); // throws the failure
        }
    }

    @AfterAll
    static void stopReplicas() {
        List<Replica> started = new ArrayList<>();
        for (Replica replica : new Replica[] {first, second, hung, failing}) {
            if (replica != null) {
                started.add(replica);
            }
        }
        started.parallelStream().forEach(Replica::close);
    }

    @Test
    void aRequestTooLargeForQueueBytesIsReturnedAtOnceAndEjectsNoReplica() {
        try (PredictClient client = PredictClient.builder().staticTargets(first.target(), second.target())
                .loadBalancer("round-robin").build()) {
            for (int i = 0; i < 6; i++) {
                assertThatThrownBy(() -> client.predict(LARGER_THAN_QUEUE_BYTES))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
                        .hasMessageContaining("does not fit");
            }

            assertThat(client.stats().retries()).as("retries").isZero();
            assertThat(client.stats().ejections()).as("ejections").isZero();
            ClosedLoop run = new ClosedLoop(client, 40).run(2);
            assertThat(run.failures()).isEmpty();
            assertThat(client.stats().okPerInstance()).containsKeys(first.target(), second.target());
        }
    }

    @Test
    void aReplicaThatFailsEveryCallIsEjectedAfterThreeAndItsFailuresAreNotRetried() {
        try (PredictClient client = PredictClient.builder().staticTargets(first.target(), failing.target())
                .loadBalancer("round-robin").retryPolicy(RetryPolicy.DEFAULT.withEjection(3, Duration.ofMinutes(10),
                        Duration.ofMinutes(10))).build()) {
            List<Status.Code> failures = failuresUntilAnEjection(client);

            assertThat(failures).containsExactly(Status.Code.INTERNAL, Status.Code.INTERNAL, Status.Code.INTERNAL);
            assertThat(client.stats().retries()).as("retries").isZero();
            assertOnlyTheOtherServesNow(client, failing);
        }
    }

    @Test
    void aReplicaThatDoesNotAnswerWithinTheDeadlineIsEjectedAfterThree() {
        try (PredictClient client = PredictClient.builder().staticTargets(first.target(), hung.target())
                .loadBalancer("round-robin").deadline(Duration.ofSeconds(2))
                .retryPolicy(RetryPolicy.DEFAULT.withEjection(3, Duration.ofMinutes(10), Duration.ofMinutes(10)))
                .build()) {
            List<Status.Code> failures = failuresUntilAnEjection(client);

            assertThat(failures).containsExactly(Status.Code.DEADLINE_EXCEEDED, Status.Code.DEADLINE_EXCEEDED,
                    Status.Code.DEADLINE_EXCEEDED);
            assertOnlyTheOtherServesNow(client, hung);
        }
    }

    @Test
    void aCallStartedWhileDiscoveryListsNoInstanceWaitsAndSucceedsOnTheNextInstance() throws Exception {
        ChangingDiscovery discovery = new ChangingDiscovery();
        discovery.list(first.target());
        try (PredictClient client = TestClients.over(discovery, new RoundRobinLoadBalancer(), Duration.ofSeconds(30))) {
            assertThat(Tensors.floatsOf(client.predict(ClosedLoop.AFFINE), "y")).containsExactly(AFFINE_REPLY);
            discovery.list();
            discovery.awaitTaken();

            CompletableFuture<PredictResponse> inTheGap = client.predictAsync(ClosedLoop.AFFINE);
            assertThat(inTheGap).as("a call while no instance is listed").isNotDone();
            discovery.list(second.target());

            assertThat(Tensors.floatsOf(inTheGap.get(30, TimeUnit.SECONDS), "y")).containsExactly(AFFINE_REPLY);
            assertThat(client.stats().okPerInstance()).containsEntry(second.target(), 1L);
        }
    }

    @Test
    void closeCompletesACallHeldBetweenItsClosedCheckAndItsChannel() throws Exception {
        ChangingDiscovery discovery = new ChangingDiscovery();
        discovery.list(first.target());
        HeldLoadBalancer loadBalancer = new HeldLoadBalancer();
        PredictClient client = TestClients.over(discovery, loadBalancer, Duration.ofSeconds(10));
        try {
            client.predict(ClosedLoop.AFFINE);
            HeldLoadBalancer.Hold hold = loadBalancer.holdNext();
            CompletableFuture<CompletableFuture<PredictResponse>> starting =
                    CompletableFuture.supplyAsync(() -> client.predictAsync(ClosedLoop.AFFINE));
            hold.awaitHeld();
            client.close();
            hold.release();

            CompletableFuture<PredictResponse> call = starting.get(30, TimeUnit.SECONDS);
            assertClosedUnavailable(call);
        } finally {
            client.close();
        }
    }

    @Test
    void closeCompletesEveryCallInFlight() throws Exception {
        PredictClient client = PredictClient.builder().staticTargets(hung.target()).deadline(Duration.ofMinutes(5))
                .build();
        List<CompletableFuture<PredictResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(client.predictAsync(ClosedLoop.AFFINE));
        }
        client.close();

        for (CompletableFuture<PredictResponse> call : calls) {
            assertClosedUnavailable(call);
        }
    }

    /** Calls one at a time until the client ejects an instance: the failures on the way. */
    private static List<Status.Code> failuresUntilAnEjection(PredictClient client) {
        List<Status.Code> failures = new ArrayList<>();
        for (int i = 0; i < 20 && client.stats().ejections() == 0; i++) {
            try {
                assertThat(Tensors.floatsOf(client.predict(ClosedLoop.AFFINE), "y")).containsExactly(AFFINE_REPLY);
            } catch (StatusRuntimeException e) {
                failures.add(e.getStatus().getCode());
            }
        }
        assertThat(client.stats().ejections()).as("ejections after %s", failures).isEqualTo(1);
        return failures;
    }

    private static void assertOnlyTheOtherServesNow(PredictClient client, Replica ejected) {
        ClosedLoop run = new ClosedLoop(client, 40).run(2);
        assertThat(run.failures()).as("calls once the replica is ejected").isEmpty();
        assertThat(client.stats().okPerInstance()).doesNotContainKey(ejected.target());
    }

    /** The call ends, well before its deadline, with UNAVAILABLE saying the client is closed. */
    private static void assertClosedUnavailable(CompletableFuture<PredictResponse> call) {
        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(Status.Code.UNAVAILABLE))
                .hasMessageContaining("closed");
    }
}
