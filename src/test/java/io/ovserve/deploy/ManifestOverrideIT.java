package io.ovserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.ovserve.support.KubernetesYaml;
import io.ovserve.support.ProcessRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ModelServer properties are overridable with -D at build time: the same two package-phase steps
 * that write the manifests ({@code quarkus:build}, then the pod-template decoration), run again with
 * overrides into target/override-manifests.
 */
class ManifestOverrideIT {

    private static final String OUTPUT = "target/override-manifests";

    @BeforeAll
    static void buildTheManifestsWithOverrides() throws IOException, InterruptedException {
        ProcessRun run = ProcessRun.of(ProcessRun.maven("quarkus:build", "exec:java@decorate-manifests",
                "-Dquarkus.package.output-directory=override-app",
                "-Dquarkus.kubernetes.output-directory=" + OUTPUT,
                "-Dquarkus.openshift.output-directory=" + OUTPUT,
                "-Dmanifests.directory=" + OUTPUT,
                "-Dmodelserver.replicas=3", "-Dmodelserver.cpus=4", "-Dmodelserver.model-name=mobilenet",
                "-Dmodelserver.openshift-service-mesh=true", "-Dmodelserver.annotations.team=vision",
                "-Dmodelserver.kubernetes-tls=true", "-Dmodelserver.tls-secret-name=vision-tls"), 300);
        assertThat(run.exit()).as("build with overrides:\n%s", run.output()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void replicasCpusAndModelNameReachTheDeployment(String file) throws IOException {
        Deployment deployment = deployment(file);
        Container server = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(server.getResources().getRequests().get("cpu").toString()).isEqualTo("4");
        assertThat(server.getResources().getLimits().get("cpu").toString()).isEqualTo("4");
        assertThat(server.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("OVSERVE_MODEL_PATH");
            assertThat(env.getValue()).isEqualTo("/models/mobilenet");
        }).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("OVSERVE_PLUGIN_CONFIG");
            assertThat(env.getValue()).contains("\"NUM_STREAMS\":\"4\"");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void meshFlagAndExtraAnnotationsReachThePodTemplate(String file) throws IOException {
        Map<String, String> pod = deployment(file).getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(pod).containsEntry("sidecar.istio.io/inject", "true").containsEntry("team", "vision");
    }

    @Test
    void kubernetesServesTlsFromTheNamedSecretWhenAskedTo() throws IOException {
        Deployment deployment = deployment("kubernetes.yml");
        Container server = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getSecret() != null)
                .singleElement().satisfies(volume -> assertThat(volume.getSecret().getSecretName()).isEqualTo("vision-tls"));
        assertThat(server.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(server.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("QUARKUS_HTTP_TLS_CONFIGURATION_NAME");
            assertThat(env.getValue()).isEqualTo("ovserve");
        });
        assertThat(KubernetesYaml.read(Path.of(OUTPUT, "kubernetes.yml")))
                .as("no OpenShift service-CA wiring on Kubernetes").noneMatch(r -> r.getKind().equals("ConfigMap"));
    }

    private static Deployment deployment(String file) throws IOException {
        List<HasMetadata> documents = KubernetesYaml.read(Path.of(OUTPUT, file));
        return documents.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment in " + file));
    }
}
