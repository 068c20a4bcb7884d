package io.ovserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.ovserve.support.KubernetesYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** src/main/kubernetes/mesh.yml: the Istio resources for users who run a mesh. */
class MeshManifestTest {

    private static List<GenericKubernetesResource> resources;

    @BeforeAll
    static void read() throws IOException {
        List<HasMetadata> items = KubernetesYaml.read(Path.of("src/main/kubernetes/mesh.yml"));
        assertThat(items).allSatisfy(item -> assertThat(item.getApiVersion()).isEqualTo("networking.istio.io/v1"));
        resources = items.stream().map(GenericKubernetesResource.class::cast).toList();
    }

    @Test
    void destinationRuleBalancesEachRequestToTheLeastLoadedPod() {
        assertThat(spec("DestinationRule", "ovserve")).containsEntry("host", "ovserve")
                .extractingByKey("trafficPolicy").isEqualTo(Map.of("loadBalancer", Map.of("simple", "LEAST_REQUEST")));
    }

    @Test
    void virtualServicesShiftTrafficByWeightsThatAddUpToAHundred() {
        for (String name : List.of("ovserve", "ovserve-ingress")) {
            List<Map<String, Object>> routes = routes(spec("VirtualService", name));
            assertThat(routes).extracting(route -> ((Number) route.get("weight")).intValue())
                    .as(name).containsExactly(90, 10);
        }
    }

    @Test
    void gatewayAdmitsGrpcOnTheServersGrpcPort() {
        @SuppressWarnings("unchecked")
        Map<String, Object> server = ((List<Map<String, Object>>) spec("Gateway", "ovserve").get("servers")).get(0);

        assertThat(server.get("port")).isEqualTo(Map.of("number", 8080, "name", "grpc", "protocol", "GRPC"));
        assertThat(routes(spec("VirtualService", "ovserve-ingress"))).isNotEmpty();
        assertThat(spec("VirtualService", "ovserve-ingress").get("gateways")).isEqualTo(List.of("ovserve"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routes(Map<String, Object> virtualService) {
        return (List<Map<String, Object>>) ((List<Map<String, Object>>) virtualService.get("http")).get(0).get("route");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(String kind, String name) {
        return resources.stream()
                .filter(resource -> resource.getKind().equals(kind) && resource.getMetadata().getName().equals(name))
                .map(resource -> (Map<String, Object>) resource.getAdditionalProperties().get("spec"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
