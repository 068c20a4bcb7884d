package io.ovserve.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;

/**
 * TLS on both ports of the server in a manifest, from a Kubernetes TLS secret ({@code tls.crt}, {@code tls.key})
 * mounted at {@value #MOUNT}: the registry's configuration {@code quarkus.tls.ovserve} reads it, HTTP and gRPC
 * serve it (HTTP refuses plaintext), and the kubelet's probes ask over HTTPS. On OpenShift the Service also asks
 * the service CA for that secret ({@value #SERVING_CERT}) and a ConfigMap receives the CA bundle clients verify
 * with ({@value #INJECT_CA_BUNDLE}); elsewhere the secret comes from cert-manager or the user.
 * <p>
 * The paths go in as {@code -D} options appended to {@code JAVA_OPTS_APPEND}, not as environment variables:
 * SmallRye Config cannot tell a named TLS configuration's keys from an environment variable's name alone.
 */
final class ServingTls {

    static final String MOUNT = "/etc/ovserve/tls";
    static final String SERVING_CERT = "service.beta.openshift.io/serving-cert-secret-name";
    static final String INJECT_CA_BUNDLE = "service.beta.openshift.io/inject-cabundle";
    static final String CLIENT_CA_MOUNT = "/etc/ovserve/ca";
    private static final String CONFIGURATION = "ovserve";
    private static final String VOLUME = "tls";

    private final String secretName;
    private final boolean openShiftServiceCa;

    /**
     * @param secretName the TLS secret holding the serving certificate
     * @param openShiftServiceCa whether OpenShift's service CA issues it (and fills a CA bundle ConfigMap)
     */
    ServingTls(String secretName, boolean openShiftServiceCa) {
        this.secretName = secretName;
        this.openShiftServiceCa = openShiftServiceCa;
    }

    /** Wires TLS into the Deployment and Service among {@code resources}, and adds the CA bundle ConfigMap. */
    void apply(List<ObjectNode> resources, Consumer<ObjectNode> sink) {
        String application = null;
        for (ObjectNode resource : resources) {
            switch (resource.path("kind").asText()) {
                case "Deployment" -> {
                    serveFromSecret(resource);
                    application = resource.path("metadata").path("name").asText();
                }
                case "Service" -> {
                    ObjectNode annotations = ((ObjectNode) resource.path("metadata")).withObjectProperty("annotations");
                    if (annotations.has("prometheus.io/scheme")) {
                        annotations.put("prometheus.io/scheme", "https");
                    }
                    if (openShiftServiceCa) {
                        annotations.put(SERVING_CERT, secretName);
                    }
                }
                case "ServiceMonitor" -> resource.path("spec").path("endpoints").forEach(ServingTls::scrapeOverTls);
                default -> { }
            }
        }
        if (openShiftServiceCa && application != null) {
            sink.accept(caBundle(application));
        }
    }

    private void serveFromSecret(ObjectNode deployment) {
        ObjectNode pod = deployment.withObjectProperty("spec").withObjectProperty("template").withObjectProperty("spec");
        ObjectNode volume = pod.withArrayProperty("volumes").addObject().put("name", VOLUME);
        volume.withObjectProperty("secret").put("secretName", secretName);
        for (JsonNode container : pod.path("containers")) {
            ObjectNode server = (ObjectNode) container;
            server.withArrayProperty("volumeMounts").addObject().put("name", VOLUME).put("mountPath", MOUNT)
                    .put("readOnly", true);
            ArrayNode env = server.withArrayProperty("env");
            appendJavaOptions(env, "-Dquarkus.tls." + CONFIGURATION + ".key-store.pem.0.cert=" + MOUNT + "/tls.crt"
                    + " -Dquarkus.tls." + CONFIGURATION + ".key-store.pem.0.key=" + MOUNT + "/tls.key");
            env.addObject().put("name", "QUARKUS_HTTP_TLS_CONFIGURATION_NAME").put("value", CONFIGURATION);
            env.addObject().put("name", "QUARKUS_HTTP_INSECURE_REQUESTS").put("value", "disabled");
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                if (server.path(probe).has("httpGet")) {
                    ((ObjectNode) server.path(probe).path("httpGet")).put("scheme", "HTTPS");
                }
            }
        }
    }

    /**
     * Prometheus scrapes pods by address, which the certificate (naming the Service) does not carry; as the
     * kubelet's probes, it skips verification for these health and metrics paths, which carry no model data.
     */
    private static void scrapeOverTls(JsonNode endpoint) {
        ((ObjectNode) endpoint).put("scheme", "https").withObjectProperty("tlsConfig").put("insecureSkipVerify", true);
    }

    private static void appendJavaOptions(ArrayNode env, String options) {
        for (JsonNode variable : env) {
            if ("JAVA_OPTS_APPEND".equals(variable.path("name").asText())) {
                ((ObjectNode) variable).put("value", (variable.path("value").asText() + " " + options).trim());
                return;
            }
        }
        env.addObject().put("name", "JAVA_OPTS_APPEND").put("value", options);
    }

    /**
     * The client Job's container made to verify the servers with the service CA's bundle: {@code --tls}, and the
     * bundle's ConfigMap mounted at {@value #CLIENT_CA_MOUNT}.
     */
    static void verifyWithServiceCaBundle(ObjectNode job, String application) {
        ObjectNode pod = job.withObjectProperty("spec").withObjectProperty("template").withObjectProperty("spec");
        pod.withArrayProperty("volumes").addObject().put("name", "ca").withObjectProperty("configMap")
                .put("name", caBundleName(application));
        for (JsonNode container : pod.path("containers")) {
            ObjectNode client = (ObjectNode) container;
            client.withArrayProperty("args").add("--tls").add("--server_cert=" + CLIENT_CA_MOUNT + "/service-ca.crt");
            client.withArrayProperty("volumeMounts").addObject().put("name", "ca").put("mountPath", CLIENT_CA_MOUNT)
                    .put("readOnly", true);
        }
    }

    private static String caBundleName(String application) {
        return application + "-ca-bundle";
    }

    private static ObjectNode caBundle(String application) {
        ObjectNode map = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode metadata = map.withObjectProperty("metadata").put("name", caBundleName(application));
        metadata.withObjectProperty("labels").put("app.kubernetes.io/name", application);
        metadata.withObjectProperty("annotations").put(INJECT_CA_BUNDLE, "true");
        return map;
    }
}
