package io.ovserve.client;

import io.smallrye.stork.api.Service;
import io.smallrye.stork.api.ServiceInstance;
import io.smallrye.stork.impl.CachingServiceDiscovery;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The instances Stork's discovery lists for one service, refreshed in the background. Calls read the
 * latest list and never wait on discovery: Stork's Kubernetes discovery makes blocking API calls when
 * its cache is stale, which must not happen on a caller's thread or on an event loop.
 *
 * <p>Every {@link #RESYNC} the cache of a caching discovery is invalidated, as informers resync:
 * Stork 2.7.9's Kubernetes discovery loses a change that arrives while it is fetching (it clears its
 * "invalidated" flag when the fetch ends), and would otherwise keep the stale list until the next
 * change.
 */
final class Instances implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Instances.class.getName());

    private final Service service;
    private final IntPredicate portFilter;
    private final Consumer<Set<String>> onListed;
    private final ScheduledExecutorService refresher;
    static final Duration RESYNC = Duration.ofSeconds(10);

    /** The latest list, by "host:port": keyed once per refresh rather than once per call. */
    private volatile Map<String, ServiceInstance> current = Map.of();
    /** Complete while {@link #current} lists an instance; a new, pending one while it lists none. */
    private volatile CompletableFuture<Void> anyListed = new CompletableFuture<>();
    /** Why the last fetch failed, until one succeeds: for the message of a call that found no instance. */
    private volatile String lastFailure;
    private long lastResync = System.nanoTime();
    private volatile boolean closed;

    Instances(Service service, IntPredicate portFilter, Duration refreshPeriod, Consumer<Set<String>> onListed) {
        this.service = service;
        this.portFilter = portFilter;
        this.onListed = onListed;
        this.refresher = Executors.newSingleThreadScheduledExecutor(
                Threads.daemon("ovserve-discovery-" + service.getServiceName()));
        // The first list is fetched on the refresher too: a client may be built on an event loop.
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (Throwable e) { // an escaping throwable would end the schedule for good
                if (!closed) {
                    LOG.log(System.Logger.Level.ERROR, "service " + service.getServiceName() + ": discovery failed", e);
                }
            }
        }, 0, refreshPeriod.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Completes once the list names an instance: at once if it does now. Calls that find none wait for it
     * (within their deadline), before the first list as in a gap between two (a one-replica rollout).
     */
    CompletableFuture<Void> whenListed() {
        return anyListed;
    }

    /** Why discovery's last fetch failed, or null if it succeeded. */
    String lastFailure() {
        return lastFailure;
    }

    Map<String, ServiceInstance> current() {
        return current;
    }

    static String key(ServiceInstance instance) {
        return instance.getHost() + ":" + instance.getPort();
    }

    private void refresh() {
        try {
            if (System.nanoTime() - lastResync > RESYNC.toNanos()
                    && service.getServiceDiscovery() instanceof CachingServiceDiscovery caching) {
                caching.invalidate();
                lastResync = System.nanoTime();
            }
            Map<String, ServiceInstance> listed = new LinkedHashMap<>();
            for (ServiceInstance instance : service.getInstances().await().atMost(Duration.ofSeconds(30))) {
                if (portFilter.test(instance.getPort())) {
                    listed.put(key(instance), instance);
                }
            }
            if (!listed.keySet().equals(current.keySet())) {
                LOG.log(System.Logger.Level.INFO, "service {0}: instances {1}", service.getServiceName(),
                        listed.keySet());
            }
            current = Collections.unmodifiableMap(listed);
            lastFailure = null;
            // After current is set, so that a call that saw no instance and then reads a done future finds one.
            if (!listed.isEmpty()) {
                anyListed.complete(null);
            } else if (anyListed.isDone()) {
                anyListed = new CompletableFuture<>();
            }
            // On every refresh, not only on changes: a call may have reopened a channel to a vanished instance.
            onListed.accept(current.keySet());
        } catch (RuntimeException e) {
            if (closed) {
                return; // close interrupted the fetch: not a discovery failure
            }
            lastFailure = e.toString();
            // Keep the last list: a discovery hiccup must not drop every instance.
            LOG.log(System.Logger.Level.WARNING, "service {0}: discovery failed, keeping {1} instances: {2}",
                    service.getServiceName(), current.size(), e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        refresher.shutdownNow();
        try {
            // an interrupted fetch ends at once: nothing of this client runs once close returns
            refresher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
