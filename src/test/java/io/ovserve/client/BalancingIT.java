package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.grpc.ManagedChannelBuilder;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.client.support.ConnectionBalancer;
import io.ovserve.client.support.Replica;
import io.ovserve.client.support.Replicas;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * The balancing client against real server processes on loopback: shares, a killed replica, a
 * slow replica, an overloaded replica.
 */
class BalancingIT {

    @Test
    void roundRobinGivesEachReplicaAThirdWhileOnePlainChannelPinsOneReplica() {
        try (Replicas replicas = Replicas.start(3);
                PredictClient client = PredictClient.builder().staticTargets(replicas.targets())
                        .loadBalancer("round-robin").build()) {
            ClosedLoop run = new ClosedLoop(client, 3000).run(8);

            assertThat(run.failures()).isEmpty();
            for (int i = 0; i < 3; i++) {
                assertThat(replicas.get(i).predictsServed() / 3000.0).as("share of replica %d", i)
                        .isCloseTo(1 / 3.0, within(0.03));
            }

            List<Long> before = served(replicas);
            try (ConnectionBalancer service = new ConnectionBalancer(replicas.targets())) {
                ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", service.port()).usePlaintext()
                        .build();
                var stub = PredictionServiceGrpc.newBlockingStub(channel);
                for (int i = 0; i < 300; i++) {
                    stub.withDeadlineAfter(10, TimeUnit.SECONDS).predict(ClosedLoop.AFFINE);
                }
                channel.shutdownNow();
            }
            List<Long> after = served(replicas);
            List<Long> delta = List.of(after.get(0) - before.get(0), after.get(1) - before.get(1),
                    after.get(2) - before.get(2));
            assertThat(delta).as("calls per replica through one L4-balanced channel").containsOnlyOnce(300L)
                    .containsOnly(0L, 300L);
        }
    }

    @Test
    void aReplicaKilledMidRunCostsNoCallAndIsEjected() {
        try (Replicas replicas = Replicas.start(3);
                PredictClient client = PredictClient.builder().staticTargets(replicas.targets())
                        .loadBalancer("round-robin").build()) {
            Replica victim = replicas.get(1);
            ClosedLoop run = new ClosedLoop(client, 4000).at(1000, victim::kill).run(8);

            assertThat(victim.isAlive()).isFalse();
            assertThat(run.failures()).as("failed calls").isEmpty();
            assertThat(run.ok()).isEqualTo(4000);
            ClientStats stats = client.stats();
            assertThat(stats.ejections()).as("ejections").isPositive();
            assertThat(stats.okPerInstance().get(replicas.get(0).target()) + stats.okPerInstance()
                    .get(replicas.get(2).target())).as("calls on the survivors").isGreaterThan(4000 - 1000);
        }
    }

    /**
     * One replica in five delays 10% of its calls by 1 s. Round-robin sends it a fifth of the calls,
     * so 2% are slow and the p99 is the delay. Stork's power-of-two-choices still picks it when both
     * random picks land on it (1 in 25), least-requests less often still.
     */
    @Test
    void loadAwareBalancersSendLessToASlowReplicaAndCutTheTail() {
        try (Replicas replicas = Replicas.start(4);
                Replica slow = Replica.start("ovserve.fault.delay.fixed-delay=1s",
                        "ovserve.fault.delay.percentage=10")) {
            replicas.add(slow);
            Outcome roundRobin = runWith("round-robin", replicas, slow);
            Outcome leastRequests = runWith("least-requests", replicas, slow);
            Outcome powerOfTwo = runWith("power-of-two-choices", replicas, slow);

            assertThat(roundRobin.slowShare()).isCloseTo(1 / 5.0, within(0.02));
            assertThat(roundRobin.p99Ms()).isGreaterThan(1000);
            for (Outcome loadAware : List.of(leastRequests, powerOfTwo)) {
                assertThat(loadAware.slowShare()).as(loadAware.balancer() + " share of the slow replica")
                        .isLessThan(roundRobin.slowShare() / 2);
                assertThat(loadAware.p99Ms()).as(loadAware.balancer() + " p99 vs round-robin's " + roundRobin.p99Ms())
                        .isLessThan(roundRobin.p99Ms() / 2);
            }
        }
    }

    private record Outcome(String balancer, double slowShare, double p99Ms) {
    }

    private static Outcome runWith(String balancer, Replicas replicas, Replica slow) {
        try (PredictClient client = PredictClient.builder().staticTargets(replicas.targets()).loadBalancer(balancer)
                .build()) {
            long before = slow.predictsServed();
            ClosedLoop run = new ClosedLoop(client, 3000).run(8);
            assertThat(run.failures()).as(balancer + " failures").isEmpty();
            return new Outcome(balancer, (slow.predictsServed() - before) / 3000.0, run.percentileMs(0.99));
        }
    }

    @Test
    void anOverloadedReplicaIsAvoidedWithinTheRetryBudget() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        try (Replicas replicas = Replicas.start(2);
                Replica overloaded = Replica.start("ovserve.fault.abort.grpc-status=RESOURCE_EXHAUSTED",
                        "ovserve.fault.abort.percentage=100")) {
            replicas.add(overloaded);
            try (PredictClient client = PredictClient.builder().staticTargets(replicas.targets())
                    .loadBalancer("round-robin")
                    .retryPolicy(RetryPolicy.DEFAULT.withEjection(3, Duration.ofSeconds(1), Duration.ofSeconds(10)))
                    .build()) {
                ClosedLoop run = new ClosedLoop(client, 3000).run(8);

                assertThat(run.failures()).as("failed calls").isEmpty();
                ClientStats stats = client.stats();
                assertThat(stats.okPerInstance()).doesNotContainKey(overloaded.target());
                assertThat(stats.retries()).as("retries").isPositive()
                        .isLessThanOrEqualTo((long) (0.1 * 3000 + RetryPolicy.DEFAULT.retryBudgetBurst()));
                assertThat(stats.ejections()).isPositive();

                String service = client.serviceName();
                assertThat(meters.get("ovserve.client.retries").tag("service", service).counter().count())
                        .isEqualTo(stats.retries());
                assertThat(meters.get("ovserve.client.ejections").tag("service", service).tag("instance", overloaded.target()).counter()
                        .count()).isEqualTo(stats.ejections());
                assertThat(meters.get("ovserve.client.requests").tag("service", service).tag("instance", overloaded.target())
                        .tag("status", "RESOURCE_EXHAUSTED").counter().count()).isPositive();
                assertThat(meters.get("ovserve.client.calls").tag("service", service).tag("status", "OK").timer().count()).isEqualTo(3000);
            }
        } finally {
            Metrics.removeRegistry(meters);
        }
    }

    private static List<Long> served(Replicas replicas) {
        return replicas.all().stream().map(Replica::predictsServed).toList();
    }
}
