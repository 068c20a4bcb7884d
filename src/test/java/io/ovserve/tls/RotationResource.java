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
 * The application under test with TLS on both ports from files mounted as a kubelet mounts secrets
 * ({@link SecretVolume}), read again every second: gRPC requires a client certificate, and only
 * {@code allowed-client} may call. The certificates a test renews to are made now, by name
 * ({@link RotationFiles}): the test finds them in {@code test.tls.dir}.
 */
public class RotationResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("ovserve-rotation-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCertificates.Authority ca = TestCertificates.authority(dir, RotationFiles.CA);
        TestCertificates.Authority next = TestCertificates.authority(dir, RotationFiles.NEXT_CA);
        for (String server : List.of("server-0", "server-grpc", "server-http")) {
            ca.issue(server, "ovserve", List.of("localhost"), List.of("127.0.0.1"));
        }
        next.issue("server-next", "ovserve", List.of("localhost"), List.of("127.0.0.1"));
        ca.issue("allowed", "allowed-client", List.of(), List.of());
        ca.issue("stranger", "stranger-client", List.of(), List.of());
        next.issue("newcomer", "allowed-client", List.of(), List.of());
        SecretVolume.bundle(dir, "both-cas.crt", dir.resolve(RotationFiles.CA + ".crt"),
                dir.resolve(RotationFiles.NEXT_CA + ".crt"));
        RotationFiles files = RotationFiles.read(dir);
        SecretVolume server = SecretVolume.create(dir.resolve("server-tls"), files.serverFiles("server-0"));
        SecretVolume clientCa = SecretVolume.create(dir.resolve("client-ca"), Map.of("ca.crt", files.ca()));
        String grpcPort = Integer.toString(FreePortsResource.freePort());
        return Map.ofEntries(
                Map.entry("ovserve.model-name", "affine"),
                Map.entry("ovserve.model-path", "target/models/affine"),
                Map.entry("quarkus.grpc.server.test-port", grpcPort),
                Map.entry("quarkus.grpc.server.port", grpcPort),
                Map.entry("quarkus.http.test-port", Integer.toString(FreePortsResource.freePort())),
                Map.entry("quarkus.http.test-ssl-port", Integer.toString(FreePortsResource.freePort())),
                Map.entry("quarkus.tls.ovserve.key-store.pem.0.cert", server.file("tls.crt").toString()),
                Map.entry("quarkus.tls.ovserve.key-store.pem.0.key", server.file("tls.key").toString()),
                Map.entry("quarkus.tls.ovserve.trust-store.pem.certs", clientCa.file("ca.crt").toString()),
                Map.entry("ovserve.tls.reload-period", "1s"),
                Map.entry("quarkus.http.tls-configuration-name", "ovserve"),
                Map.entry("quarkus.http.insecure-requests", "disabled"),
                Map.entry("quarkus.grpc.server.ssl.client-auth", "required"),
                Map.entry("ovserve.tls.allowed-clients", "allowed-client"),
                Map.entry("test.tls.dir", dir.toString()));
    }

    @Override
    public void stop() {
    }
}
