package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.client.support.Replica;
import io.ovserve.client.support.Replicas;
import io.ovserve.support.FreePortsResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The balancing client with Stork's Kubernetes discovery, against fabric8's mock API server (CRUD
 * mode, with watches) and real server replicas on loopback: while a closed loop of Predict calls
 * runs, the service's Endpoints (or EndpointSlices) go from 3 replicas to 2, then to 4. No call may
 * fail, and within a few seconds of each change the replicas' own Predict counters must show the
 * calls following the new list: nothing on a replica no longer listed, an even share on each listed
 * one.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesDiscoveryIT {

    static KubernetesClient client;

    private static final String NAMESPACE = "ovserve-test";
    /** From a change in the API server until the window in which shares are measured. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Duration WINDOW = Duration.ofMillis(1500);
    /** How far each listed replica's share of a window may be from 1/listed. */
    private static final double SHARE_TOLERANCE = 0.10;
    private static final int LANES = 8;
    /** Between two API writes of one change, once the client runs (see {@link SlicesPublisher}). */
    private static final Duration BETWEEN_WRITES = Duration.ofSeconds(1);

    @Test
    void followsEndpointsChangesUnderLoad() {
        String service = "ovserve-endpoints";
        try (Replicas replicas = Replicas.start(4)) {
            List<Replica> all = replicas.all();
            createService(service);
            runScenario(service, all, new EndpointsPublisher(service, all));
        }
    }

    @Test
    void followsEndpointSliceChangesUnderLoad() {
        String service = "ovserve-slices";
        try (Replicas replicas = Replicas.start(4)) {
            List<Replica> all = replicas.all();
            createService(service);
            runScenario(service, all, new SlicesPublisher(service, all));
            assertThat(client.endpoints().inNamespace(NAMESPACE).withName(service).get())
                    .as("no Endpoints object for the slice-mode service").isNull();
        }
    }

    /** What the API server lists as the service's endpoints: these replicas (by index), nothing else. */
    private interface Publisher {
        void publish(Set<Integer> listed);
    }

    private static void runScenario(String service, List<Replica> all, Publisher publisher) {
        publisher.publish(Set.of(0, 1, 2));
        try (PredictClient predict = PredictClient.builder().kubernetes(NAMESPACE, service)
                .kubernetesApiServer(client.getConfiguration().getMasterUrl()).port(0).build();
                Load load = new Load(predict)) {
            load.start();

            // Built after the API server listed 3 replicas: those take the calls from the start.
            follow(service + ": initial", all, Set.of(0, 1, 2), null);

            follow(service + ": 3 -> 2 replicas", all, Set.of(0, 1), () -> publisher.publish(Set.of(0, 1)));

            follow(service + ": 2 -> 4 replicas", all, Set.of(0, 1, 2, 3),
                    () -> publisher.publish(Set.of(0, 1, 2, 3)));

            load.stop();
            assertThat(load.failures()).as("failed calls (first errors: %s)", load.firstErrors()).isEmpty();
            assertThat(load.ok()).as("calls answered").isGreaterThanOrEqualTo(3000);
            assertThat(predict.stats().okPerInstance()).as("client stats").containsKey(all.get(3).target());
            System.out.printf("%s: %d calls, none failed; client stats %s%n", service, load.ok(),
                    predict.stats().okPerInstance());
        }
    }

    /**
     * Applies {@code change} (if any) while the load runs, then watches the replicas' counters for
     * {@link #SETTLE}: when the replicas left out took their last call and when the newly listed
     * ones took their first. Then measures a window and checks the shares.
     */
    private static void follow(String phase, List<Replica> all, Set<Integer> listed, Runnable change) {
        long[] previous = served(all);
        long start = System.nanoTime();
        if (change != null) {
            change.run();
        }
        long changed = System.nanoTime();
        long[] lastCallMs = new long[all.size()];
        long[] firstCallMs = new long[all.size()];
        Arrays.fill(lastCallMs, -1);
        Arrays.fill(firstCallMs, -1);
        long settleEnd = changed + SETTLE.toNanos();
        while (System.nanoTime() < settleEnd) {
            Replica.sleep(100);
            long[] now = served(all);
            long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);
            for (int i = 0; i < all.size(); i++) {
                if (now[i] > previous[i]) {
                    lastCallMs[i] = at;
                    if (firstCallMs[i] < 0) {
                        firstCallMs[i] = at;
                    }
                }
            }
            previous = now;
        }

        // The window lasts at least WINDOW and until it holds 200 calls: a busy machine is slower, not wrong.
        long[] windowStart = served(all);
        long windowDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long total;
        long[] delta = new long[all.size()];
        do {
            Replica.sleep(WINDOW.toMillis());
            long[] windowEnd = served(all);
            total = 0;
            for (int i = 0; i < all.size(); i++) {
                delta[i] = windowEnd[i] - windowStart[i];
                total += delta[i];
            }
        } while (total < 200 && System.nanoTime() < windowDeadline);

        Map<String, String> report = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            report.put("r" + i, String.format("%s window=%d (%.1f%%) firstCallAfterChange=%dms lastCallInSettle=%dms",
                    listed.contains(i) ? "listed" : "unlisted", delta[i], 100.0 * delta[i] / Math.max(1, total),
                    firstCallMs[i], lastCallMs[i]));
        }
        System.out.printf("%s: change applied in %d ms; window of %d calls: %s%n", phase,
                TimeUnit.NANOSECONDS.toMillis(changed - start), total, report);

        assertThat(total).as("%s: calls in the window", phase).isGreaterThanOrEqualTo(200);
        for (int i = 0; i < all.size(); i++) {
            if (listed.contains(i)) {
                assertThat((double) delta[i] / total).as("%s: share of listed replica r%d (%s)", phase, i, report)
                        .isCloseTo(1.0 / listed.size(), within(SHARE_TOLERANCE));
            } else {
                assertThat(delta[i]).as("%s: calls on unlisted replica r%d (%s)", phase, i, report).isZero();
            }
        }
    }

    private static long[] served(List<Replica> all) {
        return all.stream().mapToLong(Replica::predictsServed).toArray();
    }

    private static void createService(String service) {
        client.services().inNamespace(NAMESPACE).resource(new ServiceBuilder()
                .withNewMetadata().withName(service).withNamespace(NAMESPACE).addToLabels("app", service).endMetadata()
                .withNewSpec().addToSelector("app", service)
                .addNewPort().withName("grpc").withPort(9000).withNewTargetPort("grpc").withProtocol("TCP").endPort()
                .addNewPort().withName("http").withPort(8080).withNewTargetPort("http").withProtocol("TCP").endPort()
                .endSpec().build()).create();
    }

    private static String podName(String service, int replica) {
        return service + "-pod-" + replica;
    }

    private static ObjectReference podRef(String service, int replica) {
        return new ObjectReferenceBuilder().withKind("Pod").withNamespace(NAMESPACE)
                .withName(podName(service, replica)).build();
    }

    /**
     * Classic Endpoints: one object named after the service, one subset per replica (their gRPC
     * ports differ), each port list holding a decoy {@code http} port first, so that only the port
     * name {@code grpc} leads to the replica. Each address points at a Pod, which Stork looks up.
     */
    private static final class EndpointsPublisher implements Publisher {
        private final String service;
        private final List<Replica> all;
        private final int closedPort = FreePortsResource.freePort();
        private final Set<Integer> pods = new TreeSet<>();

        EndpointsPublisher(String service, List<Replica> all) {
            this.service = service;
            this.all = all;
        }

        @Override
        public void publish(Set<Integer> listed) {
            // Pods first: Stork resolves each address's targetRef when it fetches, and its informer
            // watches only Endpoints.
            for (int replica : listed) {
                if (pods.add(replica)) {
                    client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata()
                            .withName(podName(service, replica)).withNamespace(NAMESPACE)
                            .addToLabels("app", service).endMetadata()
                            .withNewStatus().withPodIP("127.0.0.1").withPhase("Running").endStatus().build()).create();
                }
            }
            List<EndpointSubset> subsets = new ArrayList<>();
            for (int replica : new TreeSet<>(listed)) {
                subsets.add(new EndpointSubsetBuilder()
                        .addToAddresses(new EndpointAddressBuilder().withIp("127.0.0.1")
                                .withTargetRef(podRef(service, replica)).build())
                        .addToPorts(new EndpointPortBuilder().withName("http").withPort(closedPort)
                                .withProtocol("TCP").build())
                        .addToPorts(new EndpointPortBuilder().withName("grpc").withPort(all.get(replica).grpcPort())
                                .withProtocol("TCP").build())
                        .build());
            }
            var endpoints = client.endpoints().inNamespace(NAMESPACE).withName(service);
            if (endpoints.get() == null) {
                client.endpoints().inNamespace(NAMESPACE).resource(new EndpointsBuilder().withNewMetadata()
                        .withName(service).withNamespace(NAMESPACE).addToLabels("app", service).endMetadata()
                        .withSubsets(subsets).build()).create();
            } else {
                endpoints.edit(current -> new EndpointsBuilder(current).withSubsets(subsets).build());
            }
        }
    }

    /**
     * EndpointSlices labelled {@code kubernetes.io/service-name}, one per replica (their ports
     * differ), each with the replica's gRPC port only (Stork ignores port names with slices). A
     * replica leaves by the deletion of its slice and joins by the creation of one.
     *
     * <p>Once the client runs, the writes of one change are {@link #BETWEEN_WRITES} apart: Stork
     * 2.7.9's Kubernetes discovery loses a watch event that arrives while a fetch is in flight (its
     * fetch clears the "invalidated" flag when it completes, so the list stays stale until the next
     * event), and two writes a few ms apart can straddle the fetch that the first one triggers. This
     * test is about the client following each change, not about that Stork race.
     */
    private static final class SlicesPublisher implements Publisher {
        private final String service;
        private final List<Replica> all;
        private final Set<Integer> published = new TreeSet<>();

        SlicesPublisher(String service, List<Replica> all) {
            this.service = service;
            this.all = all;
        }

        private String sliceName(int replica) {
            return service + "-slice-" + replica;
        }

        @Override
        public void publish(Set<Integer> listed) {
            boolean live = !published.isEmpty();
            boolean wrote = false;
            for (int replica : new TreeSet<>(published)) {
                if (!listed.contains(replica)) {
                    wrote = pauseIf(live && wrote);
                    client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(sliceName(replica))
                            .delete();
                    published.remove(replica);
                }
            }
            for (int replica : new TreeSet<>(listed)) {
                if (published.add(replica)) {
                    wrote = pauseIf(live && wrote);
                    client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(new EndpointSliceBuilder()
                            .withNewMetadata().withName(sliceName(replica)).withNamespace(NAMESPACE)
                            .addToLabels("kubernetes.io/service-name", service)
                            .addToLabels("endpointslice.kubernetes.io/managed-by", "ovserve-test")
                            .endMetadata()
                            .withAddressType("IPv4")
                            .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true)
                            .withServing(true).withTerminating(false).endConditions()
                            .withTargetRef(podRef(service, replica)).endEndpoint()
                            .addNewPort().withName("grpc").withPort(all.get(replica).grpcPort()).withProtocol("TCP")
                            .endPort()
                            .build()).create();
                }
            }
        }

        private static boolean pauseIf(boolean pause) {
            if (pause) {
                Replica.sleep(BETWEEN_WRITES.toMillis());
            }
            return true;
        }
    }

    /**
     * Load without pause: closed loops of {@value #LANES} lanes, one after the other, until stopped.
     * Failures of every loop are kept.
     */
    private static final class Load implements AutoCloseable {
        private final PredictClient client;
        private final List<ClosedLoop> loops = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean stopped;
        private volatile Throwable crashed;

        Load(PredictClient client) {
            this.client = client;
            this.thread = new Thread(this::loop, "kubernetes-discovery-it-load");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            try {
                while (!stopped) {
                    loops.add(new ClosedLoop(client, 1000).run(LANES));
                }
            } catch (Throwable e) {
                crashed = e;
            }
        }

        void stop() {
            stopped = true;
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).as("load still running 60 s after stop").isFalse();
            if (crashed != null) {
                throw new AssertionError("load crashed", crashed);
            }
        }

        long ok() {
            return loops.stream().mapToLong(ClosedLoop::ok).sum();
        }

        Map<String, Long> failures() {
            Map<String, Long> all = new TreeMap<>();
            loops.forEach(loop -> loop.failures().forEach((code, count) -> all.merge(code, count, Long::sum)));
            return all;
        }

        List<String> firstErrors() {
            return loops.stream().flatMap(loop -> loop.errors().stream()).limit(5).map(Throwable::toString).toList();
        }

        @Override
        public void close() {
            if (!stopped) {
                stopped = true;
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

}
