package io.ovserve.client;

import io.ovserve.client.support.ChangingDiscovery;
import io.smallrye.stork.api.LoadBalancer;
import io.smallrye.stork.api.Service;
import io.smallrye.stork.api.observability.NoopObservationCollector;
import java.time.Duration;

/**
 * Clients over a discovery and load balancer a test controls, built as PredictClientBuilder builds them
 * but without keepalive: what such a client sees of a dead replica comes from discovery alone.
 */
final class TestClients {

    private TestClients() {
    }

    static PredictClient over(ChangingDiscovery discovery, LoadBalancer loadBalancer, Duration deadline) {
        Service service = new Service("test-" + System.identityHashCode(discovery), "test", "test",
                new NoopObservationCollector(), loadBalancer, discovery, null, false);
        Balancer balancer = new Balancer(service, port -> true, Duration.ofMillis(20), RetryPolicy.DEFAULT,
                ClientMetrics.NONE, new InstanceChannels.Settings(1, 64 * 1024 * 1024, null, null,
                        ChannelSecurity.plaintext()));
        return new PredictClient(balancer, deadline, true);
    }
}
