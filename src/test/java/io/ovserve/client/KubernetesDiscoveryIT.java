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
import io.ovserve.support.Conditions;
import io.ovserve.support.FreePortsResource;
import io.ovserve.support.LogCapture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The balancing client with Stork's Kubernetes discovery, against fabric8's mock API server (CRUD
 * mode, with watches) and real server replicas on loopback: while a closed loop of Predict calls
 * runs, the service's Endpoints (or EndpointSlices) go from 3 replicas to 2, then to 4. No call may
 * fail, and once the client lists the new replicas the replicas' own Predict counters must show the
 * calls following the new list: nothing on a replica no longer listed, an even share on each listed
 * one.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesDiscoveryIT {

    static KubernetesClient client;

    private static final String NAMESPACE = "ovserve-test";
    /** Calls in the window in which shares are measured: enough that 10% off an even share is no chance. */
    private static final int WINDOW_CALLS = 1000;
    /** How far each listed replica's share of a window may be from 1/listed. */
    private static final double SHARE_TOLERANCE = 0.10;
    private static final int LANES = 8;

    @Test
    void followsEndpointsChangesUnderLoad() {
        String service = "ovserve-endpoints";
        try (Replicas replicas = Replicas.start(4); Listed listed = new Listed(replicas.all())) {
            List<Replica> all = replicas.all();
            createService(service);
            runScenario(service, all, listed, new EndpointsPublisher(service, all));
        }
    }

    @Test
    void followsEndpointSliceChangesUnderLoad() {
        String service = "ovserve-slices";
        try (Replicas replicas = Replicas.start(4); Listed listed = new Listed(replicas.all())) {
            List<Replica> all = replicas.all();
            createService(service);
            runScenario(service, all, listed, new SlicesPublisher(service, all, listed));
            assertThat(client.endpoints().inNamespace(NAMESPACE).withName(service).get())
                    .as("no Endpoints object for the slice-mode service").isNull();
        }
    }

    /** What the API server lists as the service's endpoints: these replicas (by index), nothing else. */
    private interface Publisher {
        void publish(Set<Integer> listed);
    }

    private static void runScenario(String service, List<Replica> all, Listed clientList, Publisher publisher) {
        publisher.publish(Set.of(0, 1, 2));
        try (PredictClient predict = PredictClient.builder().kubernetes(NAMESPACE, service)
                .kubernetesApiServer(client.getConfiguration().getMasterUrl()).port(0).build();
                Load load = new Load(predict)) {
            load.start();

            // Built after the API server listed 3 replicas: those take the calls from the start.
            follow(service + ": initial", all, clientList, Set.of(0, 1, 2), null);

            follow(service + ": 3 -> 2 replicas", all, clientList, Set.of(0, 1),
                    () -> publisher.publish(Set.of(0, 1)));

            follow(service + ": 2 -> 4 replicas", all, clientList, Set.of(0, 1, 2, 3),
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
     * Applies {@code change} (if any) while the load runs and waits until the client lists the new replicas
     * (its own log line), then for 4 calls per lane more (a call still in flight to a replica left out is
     * answered by then: each takes a millisecond); then measures a window of {@link #WINDOW_CALLS} calls on the replicas' own counters and checks
     * the shares: nothing on a replica no longer listed, an even share on each listed one. Each wait is for
     * its condition, so a busy machine is slower, not wrong.
     */
    private static void follow(String phase, List<Replica> all, Listed clientList, Set<Integer> listed,
            Runnable change) {
        long start = System.nanoTime();
        if (change != null) {
            change.run();
        }
        clientList.await(phase, listed);
        long followedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long servedAtChange = total(served(all));
        Conditions.await(phase + ": calls made on the new list",
                () -> total(served(all)) >= servedAtChange + 4 * LANES);

        long[] windowStart = served(all);
        long[] delta = new long[all.size()];
        Conditions.await(phase + ": " + WINDOW_CALLS + " calls in the window", () -> {
            long[] now = served(all);
            for (int i = 0; i < all.size(); i++) {
                delta[i] = now[i] - windowStart[i];
            }
            return total(delta) >= WINDOW_CALLS;
        });
        long total = total(delta);

        Map<String, String> report = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            report.put("r" + i, String.format("%s window=%d (%.1f%%)", listed.contains(i) ? "listed" : "unlisted",
                    delta[i], 100.0 * delta[i] / Math.max(1, total)));
        }
        System.out.printf("%s: listed by the client %d ms after the change; window of %d calls: %s%n", phase,
                followedMs, total, report);

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

    private static long total(long[] counts) {
        return Arrays.stream(counts).sum();
    }

    /** The replicas the client lists, from its own log line {@code service s: instances [host:port, ...]}. */
    private static final class Listed implements AutoCloseable {
        private static final Pattern LISTED = Pattern.compile("instances \\[(.*)]$");
        private final LogCapture log = LogCapture.of(Instances.class);
        private final List<Replica> all;

        Listed(List<Replica> all) {
            this.all = all;
        }

        /** Waits until the client's latest list is exactly these replicas. */
        void await(String phase, Set<Integer> replicas) {
            Set<String> targets = replicas.stream().map(i -> all.get(i).target()).collect(Collectors.toSet());
            Conditions.await(phase + ": the client lists " + targets, () -> targets.equals(latest()));
        }

        private Set<String> latest() {
            List<String> messages = log.messages();
            for (int i = messages.size() - 1; i >= 0; i--) {
                Matcher listed = LISTED.matcher(messages.get(i));
                if (listed.find()) {
                    return listed.group(1).isEmpty() ? Set.of() : Set.of(listed.group(1).split(", "));
                }
            }
            return null;
        }

        @Override
        public void close() {
            log.close();
        }
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
     * <p>Once the client runs, each write of a change waits until the client lists the write before:
     * Stork 2.7.9's Kubernetes discovery loses a watch event that arrives while a fetch is in flight
     * (its fetch clears the "invalidated" flag when it completes, so the list stays stale until the
     * next event), and two writes a few ms apart can straddle the fetch that the first one triggers.
     * This test is about the client following each change, not about that Stork race.
     */
    private static final class SlicesPublisher implements Publisher {
        private final String service;
        private final List<Replica> all;
        private final Listed clientList;
        private final Set<Integer> published = new TreeSet<>();

        SlicesPublisher(String service, List<Replica> all, Listed clientList) {
            this.service = service;
            this.all = all;
            this.clientList = clientList;
        }

        private String sliceName(int replica) {
            return service + "-slice-" + replica;
        }

        @Override
        public void publish(Set<Integer> listed) {
            boolean live = !published.isEmpty();
            for (int replica : new TreeSet<>(published)) {
                if (!listed.contains(replica)) {
                    awaitListedIf(live);
                    client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(sliceName(replica))
                            .delete();
                    published.remove(replica);
                }
            }
            for (int replica : new TreeSet<>(listed)) {
                if (!published.contains(replica)) {
                    awaitListedIf(live);
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
                    published.add(replica);
                }
            }
        }

        /** Once the client runs, waits until it lists what the writes so far published (see above). */
        private void awaitListedIf(boolean live) {
            if (live) {
                clientList.await(service + ": before the next write", published);
            }
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
