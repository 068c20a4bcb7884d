package io.ovserve.client.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.client.PredictClient;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.stork.Stork;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * {@code @OvserveClient("loopback")} gives a client over the Stork service Quarkus built from
 * {@code quarkus.stork.loopback.*} (static discovery of this test server's own gRPC port), with the
 * settings of {@code ovserve.client."<service>".*}.
 */
@QuarkusTest
@TestProfile(StorkInjectionTest.Loopback.class)
class StorkInjectionTest extends ServingTest {

    public static class Loopback implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.stork.loopback.service-discovery.type", "static",
                    "quarkus.stork.loopback.service-discovery.address-list", "localhost:${quarkus.grpc.server.test-port}",
                    "quarkus.stork.loopback.load-balancer.type", "least-requests",
                    // a deadline that has passed when the call starts
                    "quarkus.stork.instant.service-discovery.type", "static",
                    "quarkus.stork.instant.service-discovery.address-list", "localhost:${quarkus.grpc.server.test-port}",
                    "ovserve.client.\"instant\".deadline", "PT0.000000001S",
                    // discovery lists the HTTP port too, as Kubernetes discovery does: only the gRPC one may be used
                    "quarkus.stork.two-ports.service-discovery.type", "static",
                    "quarkus.stork.two-ports.service-discovery.address-list",
                    "localhost:${quarkus.http.test-port},localhost:${quarkus.grpc.server.test-port}",
                    "ovserve.client.two-ports.port", "${quarkus.grpc.server.test-port}");
        }
    }

    @Inject
    @OvserveClient("loopback")
    PredictClient client;

    @Inject
    @OvserveClient("loopback")
    PredictClient sameService;

    @Inject
    @OvserveClient("instant")
    PredictClient instant;

    @Inject
    @OvserveClient("two-ports")
    PredictClient twoPorts;

    private static String serverAddress() {
        return "localhost:" + ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
    }

    @Test
    void injectedClientPredictsOverTheConfiguredService() {
        long before = client.stats().okPerInstance().getOrDefault(serverAddress(), 0L);

        float[] y = Tensors.floatsOf(client.predict(ClosedLoop.AFFINE), "y");

        assertThat(y).containsExactly(4, 7, 10, 13);
        assertThat(client.serviceName()).isEqualTo("loopback");
        assertThat(client.stats().okPerInstance()).containsEntry(serverAddress(), before + 1);
    }

    @Test
    void injectedClientReportsItsCallsOnTheApplicationsPrometheusEndpoint() {
        client.predict(ClosedLoop.AFFINE);

        assertThat(RestAssured.get("/q/metrics").asString())
                .containsPattern("ovserve_client_requests_total\\{[^}]*instance=\"" + serverAddress()
                        + "\"[^}]*service=\"loopback\"[^}]*status=\"OK\"[^}]*} [1-9]")
                .containsPattern("ovserve_client_calls_seconds_count\\{[^}]*method=\"Predict\"[^}]*service=\"loopback\"");
    }

    @Test
    void serviceUsesTheConfiguredLoadBalancer() {
        assertThat(Stork.getInstance().getService("loopback").getLoadBalancer().getClass().getSimpleName())
                .containsIgnoringCase("LeastRequests");
    }

    @Test
    void injectionPointsOfOneServiceShareOneClient() {
        assertThat(sameService).isSameAs(client);
        assertThat(instant).isNotSameAs(client);
    }

    @Test
    void portFromOvserveClientConfigKeepsOnlyTheGrpcInstance() {
        for (int i = 0; i < 4; i++) {
            assertThat(Tensors.floatsOf(twoPorts.predict(ClosedLoop.AFFINE), "y")).containsExactly(4, 7, 10, 13);
        }

        assertThat(twoPorts.stats().okPerInstance()).containsOnlyKeys(serverAddress());
        assertThat(twoPorts.stats().retries()).isZero();
    }

    @Test
    void deadlineComesFromOvserveClientConfig() {
        assertThat(instant.serviceName()).isEqualTo("instant");
        assertThatThrownBy(() -> instant.predict(ClosedLoop.AFFINE)).isInstanceOfSatisfying(
                StatusRuntimeException.class,
                error -> assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }
}
