package io.ovserve.tls;

import io.ovserve.support.FreePortsResource;
import io.ovserve.support.TestCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The application under test with TLS on both ports from one TLS registry configuration, certificates made
 * now: gRPC requires a client certificate, HTTP requests one (application.properties, build time), and only
 * {@code allowed-client} may call. The test finds the files in {@code test.tls.dir} ({@link MutualTlsFiles}).
 */
public class MutualTlsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("ovserve-mtls-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCertificates.Authority ca = TestCertificates.authority(dir, "ovserve-ca");
        TestCertificates.Issued server = ca.issue("server", "ovserve", List.of("localhost"), List.of("127.0.0.1"));
        MutualTlsFiles.write(dir, ca);
        String grpcPort = Integer.toString(FreePortsResource.freePort());
        String httpsPort = Integer.toString(FreePortsResource.freePort());
        return Map.ofEntries(
                Map.entry("ovserve.model-name", "affine"),
                Map.entry("ovserve.model-path", "target/models/affine"),
                Map.entry("quarkus.grpc.server.test-port", grpcPort),
                Map.entry("quarkus.grpc.server.port", grpcPort),
                Map.entry("quarkus.http.test-port", Integer.toString(FreePortsResource.freePort())),
                Map.entry("quarkus.http.test-ssl-port", httpsPort),
                Map.entry("quarkus.tls.ovserve.key-store.pem.0.cert", server.cert().toString()),
                Map.entry("quarkus.tls.ovserve.key-store.pem.0.key", server.key().toString()),
                Map.entry("quarkus.tls.ovserve.trust-store.pem.certs", ca.cert().toString()),
                Map.entry("quarkus.http.tls-configuration-name", "ovserve"),
                Map.entry("quarkus.http.insecure-requests", "disabled"),
                Map.entry("quarkus.grpc.server.ssl.client-auth", "required"),
                Map.entry("ovserve.tls.allowed-clients", "allowed-client,spiffe://cluster.local/ns/apps/sa/other"),
                Map.entry("test.tls.dir", dir.toString()));
    }

    @Override
    public void stop() {
    }
}
