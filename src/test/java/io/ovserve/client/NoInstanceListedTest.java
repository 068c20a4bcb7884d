package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.client.support.ChangingDiscovery;
import io.ovserve.client.support.ClosedLoop;
import io.smallrye.stork.impl.RoundRobinLoadBalancer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NoInstanceListedTest {

    @Test
    void aCallWhileDiscoveryListsNothingFailsAtItsDeadlineSayingSo() throws Exception {
        ChangingDiscovery discovery = new ChangingDiscovery();
        discovery.list();
        try (PredictClient client = TestClients.over(discovery, new RoundRobinLoadBalancer(), Duration.ofMillis(300))) {
            discovery.awaitTaken();

            assertThatThrownBy(() -> client.predict(ClosedLoop.AFFINE))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED))
                    .hasMessageContaining("no instance of service")
                    .hasMessageContaining("listed by discovery before the deadline");
        }
    }
}
