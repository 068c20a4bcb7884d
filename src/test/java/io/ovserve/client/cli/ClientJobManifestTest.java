package io.ovserve.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.ovserve.support.KubernetesYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** src/main/kubernetes/client.yml: the client's RBAC for Stork's discovery and the seed's benchmark Job. */
class ClientJobManifestTest {

    @Test
    void roleLetsStorkGetListAndWatchEndpointsPodsAndEndpointSlices() throws IOException {
        List<PolicyRule> rules = one(Role.class).getRules();

        for (String resource : List.of("endpoints", "pods", "endpointslices")) {
            assertThat(rules).as(resource).anySatisfy(rule -> {
                assertThat(rule.getResources()).contains(resource);
                assertThat(rule.getVerbs()).contains("get", "list", "watch");
            });
        }
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("discovery.k8s.io");
            assertThat(rule.getResources()).containsExactly("endpointslices");
        });
    }

    @Test
    void roleIsBoundToTheServiceAccountTheJobRunsAs() throws IOException {
        RoleBinding binding = one(RoleBinding.class);
        String jobAccount = one(Job.class).getSpec().getTemplate().getSpec().getServiceAccountName();

        assertThat(binding.getRoleRef().getName()).isEqualTo(one(Role.class).getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement()
                .satisfies(subject -> assertThat(subject.getName()).isEqualTo(jobAccount));
    }

    @Test
    void jobRunsTheSeedsMillionCallsThroughKubernetesDiscoveryWithFlagsTheClientModeAccepts() throws IOException {
        List<String> args = one(Job.class).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();

        assertThat(args.get(0)).isEqualTo("client");
        ClientOptions options = ClientOptions.parse(args.subList(1, args.size()).toArray(String[]::new));
        assertThat(options.service()).contains("ovserve");
        assertThat(options.iterations()).isEqualTo(1_000_000L);
        assertThat(options.modelName()).isEqualTo("resnet");
    }

    private static <T extends HasMetadata> T one(Class<T> kind) throws IOException {
        List<T> matching = KubernetesYaml.read(Path.of("src/main/kubernetes/client.yml")).stream()
                .filter(kind::isInstance).map(kind::cast).toList();
        assertThat(matching).as(kind.getSimpleName()).hasSize(1);
        return matching.get(0);
    }
}
