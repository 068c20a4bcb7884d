package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PredictClientBuilderTest {

    @Test
    void clientsWithTheSameDiscoveryAndBalancerShareOneStorkService() {
        try (PredictClient first = PredictClient.builder().serviceName("shared").staticTargets("127.0.0.1:9")
                .build();
                PredictClient second = PredictClient.builder().serviceName("shared").staticTargets("127.0.0.1:9")
                        .build()) {
            assertThat(second.serviceName()).isEqualTo(first.serviceName()).isEqualTo("shared");
        }
    }

    @Test
    void aDifferentDefinitionUnderATakenNameGetsANumberedName() {
        try (PredictClient first = PredictClient.builder().serviceName("taken").staticTargets("127.0.0.1:9")
                .build();
                PredictClient second = PredictClient.builder().serviceName("taken").staticTargets("127.0.0.1:9")
                        .loadBalancer("least-requests").build()) {
            assertThat(first.serviceName()).isEqualTo("taken");
            assertThat(second.serviceName()).isEqualTo("taken-2");
        }
    }

    @Test
    void aCallWithNoReachableInstanceFailsUnavailableBeforeItsDeadline() {
        try (PredictClient client = PredictClient.builder().staticTargets("127.0.0.1:9")
                .deadline(Duration.ofSeconds(5)).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.getModelStatus(
                    tensorflow.serving.GetModelStatus.GetModelStatusRequest.getDefaultInstance()))
                    .hasMessageContaining("UNAVAILABLE");
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        }
    }

    @Test
    void aCallOnAClosedClientFailsAtOnce() {
        PredictClient client = PredictClient.builder().staticTargets("127.0.0.1:9").build();
        client.close();
        assertThatThrownBy(() -> client.getModelStatus(
                tensorflow.serving.GetModelStatus.GetModelStatusRequest.getDefaultInstance()))
                .hasMessageContaining("UNAVAILABLE").hasMessageContaining("closed");
    }

    @Test
    void aKeepaliveThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> PredictClient.builder().keepAliveTime(Duration.ZERO))
                .hasMessageContaining("keepalive time must be positive");
        assertThatThrownBy(() -> PredictClient.builder().keepAliveTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("keepalive timeout must be positive");
    }

    @Test
    void aTargetWithoutAPortIsRefused() {
        assertThatThrownBy(() -> PredictClient.builder().staticTargets("localhost"))
                .hasMessageContaining("host:port");
    }

    @Test
    void aClientNeedsADiscovery() {
        assertThatThrownBy(() -> PredictClient.builder().build()).hasMessageContaining("choose a discovery");
    }

    @Test
    void theApiServerAndPortNameCanOnlyBeSetForKubernetesDiscovery() {
        assertThatThrownBy(() -> PredictClient.builder().staticTargets("a:1").kubernetesApiServer("http://x"))
                .hasMessageContaining("kubernetes(namespace, service)");
        assertThatThrownBy(() -> PredictClient.builder().staticTargets("a:1").portName("grpc"))
                .hasMessageContaining("kubernetes(namespace, service)");
    }
}
