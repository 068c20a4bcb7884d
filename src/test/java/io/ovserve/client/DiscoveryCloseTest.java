package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.LogCapture;
import io.smallrye.mutiny.Uni;
import io.smallrye.stork.api.Service;
import io.smallrye.stork.api.ServiceDiscovery;
import io.smallrye.stork.api.observability.NoopObservationCollector;
import io.smallrye.stork.impl.RoundRobinLoadBalancer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing a client while discovery is fetching its list. */
class DiscoveryCloseTest {

    @Test
    void closeDuringAFetchLogsNoDiscoveryFailure() throws Exception {
        CountDownLatch fetching = new CountDownLatch(1);
        // a fetch that never ends, as a slow API server's: close interrupts it
        ServiceDiscovery slow = () -> Uni.createFrom().emitter(emitter -> fetching.countDown());
        String name = "slow-discovery-" + System.nanoTime();
        Service service = new Service(name, "test", "test", new NoopObservationCollector(),
                new RoundRobinLoadBalancer(), slow, null, false);
        try (LogCapture log = LogCapture.of(Instances.class)) {
            Instances instances = new Instances(service, port -> true, Duration.ofMillis(20), listed -> {
            });
            assertThat(fetching.await(30, TimeUnit.SECONDS)).as("fetch started").isTrue();
            Thread refresher = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("ovserve-discovery-" + name)).findFirst()
                    .orElseThrow();

            instances.close();
            refresher.join(TimeUnit.SECONDS.toMillis(30));

            assertThat(refresher.isAlive()).as("refresher still running").isFalse();
            assertThat(log.messages()).as("log").isEmpty();
        }
    }
}
