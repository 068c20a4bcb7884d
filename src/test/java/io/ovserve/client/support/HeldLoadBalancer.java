package io.ovserve.client.support;

import io.smallrye.stork.api.LoadBalancer;
import io.smallrye.stork.api.ServiceInstance;
import io.smallrye.stork.impl.RoundRobinLoadBalancer;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stork's round-robin, except that the selection after {@link #holdNext} waits until the test releases
 * it: the load balancer runs inside the client's per-call step, after the client checked it is open and
 * before it opens the instance's channel, so a test can close the client inside that window.
 */
public final class HeldLoadBalancer implements LoadBalancer {

    private final LoadBalancer roundRobin = new RoundRobinLoadBalancer();
    private volatile Hold next;

    public Hold holdNext() {
        Hold hold = new Hold();
        next = hold;
        return hold;
    }

    @Override
    public ServiceInstance selectServiceInstance(Collection<ServiceInstance> instances) {
        Hold hold = next;
        if (hold != null) {
            next = null;
            hold.held.countDown();
            try {
                if (!hold.released.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held selection never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return roundRobin.selectServiceInstance(instances);
    }

    /** One held selection. */
    public static final class Hold {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public void awaitHeld() throws InterruptedException {
            if (!held.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no call reached the load balancer within 30 s");
            }
        }

        public void release() {
            released.countDown();
        }
    }
}
