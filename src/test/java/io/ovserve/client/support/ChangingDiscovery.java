package io.ovserve.client.support;

import io.smallrye.mutiny.Uni;
import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.ServiceInstance;
import io.smallrye.stork.impl.DefaultServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Stork discovery whose list the test sets, as Kubernetes changes a Service's endpoints during a
 * rollout; it counts the fetches that served the current list, so a test can wait until a client has
 * taken it.
 */
public final class ChangingDiscovery implements ServiceDiscovery {

    private List<ServiceInstance> instances = List.of();
    private int fetchesOfCurrent;
    private long nextId;

    /** Lists these {@code host:port} targets from the next fetch on. */
    public synchronized void list(String... targets) {
        List<ServiceInstance> listed = new ArrayList<>();
        for (String target : targets) {
            int colon = target.lastIndexOf(':');
            listed.add(new DefaultServiceInstance(nextId++, target.substring(0, colon),
                    Integer.parseInt(target.substring(colon + 1)), false));
        }
        instances = List.copyOf(listed);
        fetchesOfCurrent = 0;
    }

    @Override
    public synchronized Uni<List<ServiceInstance>> getServiceInstances() {
        fetchesOfCurrent++;
        notifyAll();
        return Uni.createFrom().item(instances);
    }

    /**
     * Waits until the current list was fetched twice: a client that fetches one at a time has applied the
     * first of them when it asks for the second.
     */
    public synchronized void awaitTaken() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (fetchesOfCurrent < 2) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the client did not fetch the new list within 30 s");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
