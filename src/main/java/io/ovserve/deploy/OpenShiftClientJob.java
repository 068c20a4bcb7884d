package io.ovserve.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * openshift-client.yml: src/main/kubernetes/client.yml (the client's RBAC and benchmark Job) for openshift.yml's
 * servers, which serve TLS by default: the Job verifies them with the service CA's bundle
 * ({@link ServingTls#verifyWithServiceCaBundle}). Not written when {@code modelserver.openshift-tls} is off, when
 * client.yml serves as it is.
 * <p>
 * Run by the build after the manifests are decorated:
 * {@code OpenShiftClientJob <application.properties> <client.yml> <openshift-client.yml>}.
 */
public final class OpenShiftClientJob {

    private OpenShiftClientJob() {
    }

    public static void main(String[] args) throws IOException {
        SmallRyeConfig config = PodTemplateDecorator.config(Path.of(args[0]));
        Path out = Path.of(args[2]);
        if (!config.getValue("modelserver.openshift-tls", Boolean.class)) {
            Files.deleteIfExists(out);
            return;
        }
        String application = config.getOptionalValue("quarkus.application.name", String.class).orElse("ovserve");
        ManifestFile client = ManifestFile.read(Path.of(args[1]));
        for (ObjectNode resource : client.resources()) {
            if ("Job".equals(resource.path("kind").asText())) {
                ServingTls.verifyWithServiceCaBundle(resource, application);
            }
        }
        client.writeTo(out);
    }
}
