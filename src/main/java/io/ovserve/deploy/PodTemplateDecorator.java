package io.ovserve.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finishes the Deployment's pod template in the manifests quarkus-openshift wrote, for what its
 * properties cannot say: the {@code modelserver.annotations."key"} on the pod template only (where
 * Istio and the kubelet read them; {@code quarkus.kubernetes.annotations} lands on every resource),
 * {@code modelserver.termination-grace-period-seconds}, and a container that runs with a read-only
 * root filesystem, no privilege escalation and no capabilities (the "restricted" Pod Security
 * Standard, as OpenShift's restricted-v2 SCC runs it), and TLS from a secret ({@link ServingTls}): on by default in
 * openshift.yml ({@code modelserver.openshift-tls}, the service CA's certificate), off in kubernetes.yml unless
 * {@code modelserver.kubernetes-tls} asks for it (a secret from cert-manager, src/main/kubernetes/cert-manager.yml).
 * Quarkus's own merging of {@code src/main/kubernetes} fragments duplicates the Deployment, hence this.
 * <p>
 * Run by the build right after {@code quarkus:build} (exec:java, in Maven's JVM so {@code -D}
 * overrides apply): {@code PodTemplateDecorator <application.properties> <manifest.yml|.json>...}.
 */
public final class PodTemplateDecorator {

    private static final String ANNOTATIONS = "modelserver.annotations.";
    private static final String TERMINATION_GRACE = "modelserver.termination-grace-period-seconds";

    private final Map<String, String> annotations;
    private final int terminationGracePeriodSeconds;
    private final Optional<ServingTls> openShiftTls;
    private final Optional<ServingTls> kubernetesTls;

    PodTemplateDecorator(Map<String, String> annotations, int terminationGracePeriodSeconds,
            Optional<ServingTls> openShiftTls, Optional<ServingTls> kubernetesTls) {
        this.annotations = annotations;
        this.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
        this.openShiftTls = openShiftTls;
        this.kubernetesTls = kubernetesTls;
    }

    public static void main(String[] args) throws IOException {
        SmallRyeConfig config = config(Path.of(args[0]));
        String secret = config.getValue("modelserver.tls-secret-name", String.class);
        PodTemplateDecorator decorator = new PodTemplateDecorator(annotations(config),
                config.getValue(TERMINATION_GRACE, Integer.class),
                tls(config, "modelserver.openshift-tls", new ServingTls(secret, true)),
                tls(config, "modelserver.kubernetes-tls", new ServingTls(secret, false)));
        for (int i = 1; i < args.length; i++) {
            decorator.decorate(Path.of(args[i]));
        }
    }

    /** application.properties, overridden by system properties ({@code -D} on Maven's command line). */
    static SmallRyeConfig config(Path applicationProperties) throws IOException {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(applicationProperties.toUri().toURL(), 250))
                .addSystemSources()
                .withProfile("prod")
                .build();
    }

    private static Optional<ServingTls> tls(SmallRyeConfig config, String enabled, ServingTls tls) {
        return config.getValue(enabled, Boolean.class) ? Optional.of(tls) : Optional.empty();
    }

    private static Map<String, String> annotations(SmallRyeConfig config) {
        Map<String, String> annotations = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(ANNOTATIONS)) {
                config.getOptionalValue(name, String.class).ifPresent(
                        value -> annotations.put(unquote(name.substring(ANNOTATIONS.length())), value));
            }
        }
        return annotations;
    }

    void decorate(Path manifest) throws IOException {
        ManifestFile file = ManifestFile.read(manifest);
        List<ObjectNode> resources = file.resources();
        resources.forEach(this::decorateDeployment);
        boolean openShift = manifest.getFileName().toString().startsWith("openshift");
        (openShift ? openShiftTls : kubernetesTls).ifPresent(tls -> tls.apply(resources, file::add));
        file.writeTo(manifest);
    }

    private void decorateDeployment(JsonNode resource) {
        if (!"Deployment".equals(resource.path("kind").asText())) { // the one workload quarkus-openshift writes here
            return;
        }
        ObjectNode template = (ObjectNode) resource.path("spec").path("template");
        ObjectNode podAnnotations = template.withObjectProperty("metadata").withObjectProperty("annotations");
        annotations.forEach(podAnnotations::put);
        template.withObjectProperty("spec").put("terminationGracePeriodSeconds", terminationGracePeriodSeconds);
        ObjectNode podSecurity = template.withObjectProperty("spec").withObjectProperty("securityContext");
        podSecurity.put("runAsNonRoot", true);
        podSecurity.withObjectProperty("seccompProfile").put("type", "RuntimeDefault");
        for (String containers : List.of("initContainers", "containers")) {
            template.path("spec").path(containers).forEach(PodTemplateDecorator::restrict);
        }
    }

    private static void restrict(JsonNode container) {
        ObjectNode security = ((ObjectNode) container).withObjectProperty("securityContext");
        security.put("readOnlyRootFilesystem", true);
        security.put("allowPrivilegeEscalation", false);
        security.withObjectProperty("capabilities").putArray("drop").add("ALL");
    }

    private static String unquote(String key) {
        return key.length() > 1 && key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1)
                : key;
    }
}
