package io.ovserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.ovserve.support.KubernetesYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The manifests {@code ./mvnw package} writes to target/kubernetes, read with fabric8's model. */
class ManifestsIT {

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void deploysAsOneDeploymentAndNeverADeploymentConfig(String file) throws IOException {
        List<String> kinds = documents(file).stream().map(HasMetadata::getKind).toList();

        assertThat(kinds).containsOnlyOnce("Deployment").contains("Service").doesNotContain("DeploymentConfig");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void serviceExposesGrpcAndHttpEachOnItsOwnPortNumber(String file) throws IOException {
        Map<String, Integer> ports = one(file, Service.class).getSpec().getPorts().stream()
                .collect(Collectors.toMap(ServicePort::getName, ServicePort::getPort));

        assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of("grpc", 8080, "http", 8081));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void probesAskTheHealthEndpointsOnTheHttpPort(String file) throws IOException {
        Container server = container(file);

        assertThat(server.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(List.of(server.getStartupProbe(), server.getReadinessProbe(), server.getLivenessProbe()))
                .allSatisfy(probe -> assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(8081));
        assertThat(server.getStartupProbe().getPeriodSeconds() * server.getStartupProbe().getFailureThreshold())
                .as("seconds a model may take to compile").isGreaterThanOrEqualTo(300);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void podIsGuaranteedQosWithWholeCpusForTheStaticCpuManager(String file) throws IOException {
        Map<String, Quantity> requests = container(file).getResources().getRequests();
        Map<String, Quantity> limits = container(file).getResources().getLimits();

        assertThat(requests).isEqualTo(limits).containsKeys("cpu", "memory");
        assertThat(Quantity.getAmountInBytes(requests.get("cpu")).stripTrailingZeros().scale())
                .as("whole CPUs").isLessThanOrEqualTo(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void openVinoGetsOneCpuStreamPerCpuOfThePod(String file) throws IOException {
        Container server = container(file);
        String cpus = server.getResources().getLimits().get("cpu").getAmount();

        assertThat(env(server, "OVSERVE_PLUGIN_CONFIG")).contains("\"NUM_STREAMS\":\"" + cpus + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void javacppExtractsItsLibrariesIntoAWritableEmptyDir(String file) throws IOException {
        Deployment deployment = one(file, Deployment.class);
        Container server = container(file);

        Volume cache = volume(deployment, "javacpp-cache");
        assertThat(cache.getEmptyDir()).isNotNull();
        assertThat(mount(server, "javacpp-cache").getMountPath()).isEqualTo("/var/cache/javacpp");
        assertThat(env(server, "JAVA_OPTS_APPEND")).contains("-Dorg.bytedeco.javacpp.cachedir=/var/cache/javacpp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void modelIsReadFromTheModelsVolumeNotFromTheImage(String file) throws IOException {
        Deployment deployment = one(file, Deployment.class);
        Container server = container(file);

        assertThat(volume(deployment, "models").getPersistentVolumeClaim().getClaimName()).isEqualTo("ovserve-models");
        assertThat(mount(server, "models").getMountPath()).isEqualTo("/models");
        assertThat(mount(server, "models").getReadOnly()).isTrue();
        assertThat(env(server, "OVSERVE_MODEL_PATH")).startsWith("/models/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void annotationsSitOnThePodTemplateOnly(String file) throws IOException {
        Map<String, String> pod = one(file, Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(pod).containsEntry("sidecar.istio.io/inject", "false");
        assertThat(documents(file)).allSatisfy(resource -> assertThat(resource.getMetadata().getAnnotations())
                .as("annotations of %s", resource.getKind()).doesNotContainKey("sidecar.istio.io/inject"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void anInjectedIstioSidecarWouldKeepThePodGuaranteed(String file) throws IOException {
        Map<String, String> pod = one(file, Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(pod.get("sidecar.istio.io/proxyCPU")).isNotBlank()
                .isEqualTo(pod.get("sidecar.istio.io/proxyCPULimit"));
        assertThat(pod.get("sidecar.istio.io/proxyMemory")).isNotBlank()
                .isEqualTo(pod.get("sidecar.istio.io/proxyMemoryLimit"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void containerRunsAsAnyNonRootUidOnAReadOnlyRootFilesystem(String file) throws IOException {
        Deployment deployment = one(file, Deployment.class);
        Container server = container(file);

        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                .as("no fixed UID: OpenShift assigns one").isNull();
        assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(volume(deployment, "tmp").getEmptyDir()).isNotNull();
        assertThat(mount(server, "tmp").getMountPath()).isEqualTo("/tmp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void nireqZeroLetsOpenVinoChooseAsOvmsDoes(String file) throws IOException {
        assertThat(env(container(file), "OVSERVE_NIREQ")).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes.yml", "openshift.yml"})
    void theKubeletWaitsLongerThanTheShutdownDelayAndGracePeriodTogether(String file) throws IOException {
        Deployment deployment = one(file, Deployment.class);
        Container server = container(file);

        long drainSeconds = Duration.parse("PT" + env(server, "QUARKUS_SHUTDOWN_DELAY")).getSeconds()
                + Duration.parse("PT" + env(server, "OVSERVE_SHUTDOWN_GRACE_PERIOD")).getSeconds();
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(drainSeconds);
    }

    @Test
    void openShiftServesTlsFromTheServiceCasCertificateOnBothPorts() throws IOException {
        Deployment deployment = one("openshift.yml", Deployment.class);
        Container server = container("openshift.yml");

        assertThat(one("openshift.yml", Service.class).getMetadata().getAnnotations())
                .containsEntry("service.beta.openshift.io/serving-cert-secret-name", "ovserve-tls")
                .containsEntry("prometheus.io/scheme", "https");
        assertThat(volume(deployment, "tls").getSecret().getSecretName()).isEqualTo("ovserve-tls");
        assertThat(mount(server, "tls").getMountPath()).isEqualTo("/etc/ovserve/tls");
        assertThat(mount(server, "tls").getReadOnly()).isTrue();
        assertThat(env(server, "JAVA_OPTS_APPEND"))
                .contains("-Dquarkus.tls.ovserve.key-store.pem.0.cert=/etc/ovserve/tls/tls.crt")
                .contains("-Dquarkus.tls.ovserve.key-store.pem.0.key=/etc/ovserve/tls/tls.key")
                .contains("-Dorg.bytedeco.javacpp.cachedir=/var/cache/javacpp");
        assertThat(env(server, "QUARKUS_HTTP_TLS_CONFIGURATION_NAME")).isEqualTo("ovserve");
        assertThat(env(server, "QUARKUS_HTTP_INSECURE_REQUESTS")).isEqualTo("disabled");
    }

    @Test
    void openShiftProbesAndScrapesAskOverHttps() throws IOException {
        Container server = container("openshift.yml");

        assertThat(List.of(server.getStartupProbe(), server.getReadinessProbe(), server.getLivenessProbe()))
                .allSatisfy(probe -> assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS"));
        GenericKubernetesResource monitor = documents("openshift.yml").stream()
                .filter(resource -> resource.getKind().equals("ServiceMonitor"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertThat((Object) monitor.get("spec", "endpoints", 0, "scheme")).isEqualTo("https");
    }

    @Test
    void openShiftInjectsTheServiceCaBundleIntoAConfigMapForClients() throws IOException {
        ConfigMap bundle = one("openshift.yml", ConfigMap.class);

        assertThat(bundle.getMetadata().getName()).isEqualTo("ovserve-ca-bundle");
        assertThat(bundle.getMetadata().getAnnotations())
                .containsEntry("service.beta.openshift.io/inject-cabundle", "true");
    }

    @Test
    void openShiftClientJobVerifiesTheServersWithTheServiceCaBundle() throws IOException {
        Job job = one("openshift-client.yml", Job.class);
        Container client = job.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(client.getArgs()).contains("--service=ovserve", "--tls", "--server_cert=/etc/ovserve/ca/service-ca.crt");
        assertThat(mount(client, "ca").getMountPath()).isEqualTo("/etc/ovserve/ca");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getName().equals("ca"))
                .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("ovserve-ca-bundle"));
    }

    @Test
    void kubernetesIsPlaintextUnlessTlsIsAskedFor() throws IOException {
        Deployment deployment = one("kubernetes.yml", Deployment.class);
        Container server = container("kubernetes.yml");

        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getSecret() != null);
        assertThat(server.getEnv()).noneMatch(env -> env.getName().startsWith("QUARKUS_HTTP_TLS"));
        assertThat(server.getReadinessProbe().getHttpGet().getScheme()).isIn(null, "HTTP");
        assertThat(documents("kubernetes.yml")).noneMatch(resource -> resource.getKind().equals("ConfigMap"));
    }

    private static VolumeMount mount(Container container, String name) {
        return container.getVolumeMounts().stream().filter(mount -> mount.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of volume " + name));
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(env -> env.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static Volume volume(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Container container(String file) throws IOException {
        return one(file, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static <T extends HasMetadata> T one(String file, Class<T> kind) throws IOException {
        List<T> matching = documents(file).stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(matching).as("%s in %s", kind.getSimpleName(), file).hasSize(1);
        return matching.get(0);
    }

    private static List<HasMetadata> documents(String file) throws IOException {
        return KubernetesYaml.read(Path.of("target/kubernetes", file));
    }
}
