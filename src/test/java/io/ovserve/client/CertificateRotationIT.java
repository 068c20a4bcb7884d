package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.client.support.Replica;
import io.ovserve.support.Conditions;
import io.ovserve.support.LogCapture;
import io.ovserve.support.TestCertificates;
import io.ovserve.tls.CallStream;
import io.ovserve.tls.SecretVolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Rotation under load (issue 20): three real replicas with mTLS required and an allow-list, the balancing client at
 * steady load, every file mounted as a kubelet mounts a secret and read again every second. The CA moves as a real
 * rotation moves it, with an overlap: both sides first trust the old and the new CA, then the servers' certificates
 * move to the new CA, the client drops the old CA, the client's certificate moves to the new CA, and last the servers
 * drop the old CA. Connections live at most 2 s ({@code ovserve.tls.max-connection-age}), so every step reaches every
 * connection. Not one call fails.
 */
class CertificateRotationIT {

    private static final String SERVICE = "ovserve.apps.svc";
    private static final String CLIENT = "batch-client";

    @Test
    void rotatingServerAndClientCertificatesAndTheCaUnderLoadFailsNoCall() throws Exception {
        Path dir = Files.createTempDirectory("ovserve-rotation-it-");
        TestCertificates.Authority oldCa = TestCertificates.authority(dir, "old-ca");
        TestCertificates.Authority newCa = TestCertificates.authority(dir, "new-ca");
        TestCertificates.Issued oldServer = oldCa.issue("old-server", "ovserve", List.of(SERVICE), List.of());
        TestCertificates.Issued newServer = newCa.issue("new-server", "ovserve", List.of(SERVICE), List.of());
        TestCertificates.Issued oldClient = oldCa.issue("old-client", CLIENT, List.of(), List.of());
        TestCertificates.Issued newClient = newCa.issue("new-client", CLIENT, List.of(), List.of());
        Path both = SecretVolume.bundle(dir, "both-cas.crt", oldCa.cert(), newCa.cert());
        SecretVolume serverTls = SecretVolume.create(dir.resolve("server-tls"), identity(oldServer));
        SecretVolume serverTrust = SecretVolume.create(dir.resolve("server-ca"), Map.of("ca.crt", oldCa.cert()));
        SecretVolume clientTls = SecretVolume.create(dir.resolve("client-tls"), identity(oldClient));
        SecretVolume clientTrust = SecretVolume.create(dir.resolve("client-ca"), Map.of("ca.crt", oldCa.cert()));
        List<Replica> replicas = new ArrayList<>();
        try (LogCapture clientLog = LogCapture.of(ClientTlsFiles.class)) {
            for (int i = 0; i < 3; i++) {
                replicas.add(Replica.start(
                        "quarkus.tls.ovserve.key-store.pem.0.cert=" + serverTls.file("tls.crt"),
                        "quarkus.tls.ovserve.key-store.pem.0.key=" + serverTls.file("tls.key"),
                        "quarkus.tls.ovserve.trust-store.pem.certs=" + serverTrust.file("ca.crt"),
                        "ovserve.tls.reload-period=1s",
                        "ovserve.tls.grpc-configuration-name=ovserve",
                        "quarkus.grpc.server.ssl.client-auth=required",
                        "ovserve.tls.allowed-clients=" + CLIENT,
                        "ovserve.tls.max-connection-age=2s"));
            }
            try (PredictClient client = PredictClient.builder()
                    .staticTargets(replicas.stream().map(Replica::target).toList())
                    .tls(clientTrust.file("ca.crt")).clientCertificate(clientTls.file("tls.crt"), clientTls.file("tls.key"))
                    .authority(SERVICE).tlsReloadPeriod(Duration.ofSeconds(1)).metrics(false).build()) {
                List<CallStream> load = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    load.add(new CallStream(() -> assertThat(client.predict(ClosedLoop.AFFINE).getOutputsMap())
                            .isNotEmpty()));
                }
                try {
                    awaitServedByEach(replicas);

                    // 1. both sides trust both CAs
                    clientTrust.renew(Map.of("ca.crt", both));
                    serverTrust.renew(Map.of("ca.crt", both));
                    awaitClientLog(clientLog, "renewed CA bundle", "CN=old-ca", "CN=new-ca");
                    replicas.forEach(replica -> replica.awaitLogLine("renewed CA bundle [CN=new-ca serial "
                            + serial(newCa.cert()) + ", CN=old-ca serial " + serial(oldCa.cert()) + "]"));

                    // 2. the servers' certificates move to the new CA: new connections are served by it
                    serverTls.renew(identity(newServer));
                    for (Replica replica : replicas) {
                        replica.awaitLogLine("presents the renewed certificate CN=ovserve serial "
                                + serial(newServer.cert()));
                        Conditions.await("a new connection verified against the new CA alone",
                                () -> servesOnNewConnection(replica, newCa.cert(), oldClient));
                    }
                    awaitServedByEach(replicas);

                    // 3. the client drops the old CA; 4. its certificate moves to the new CA
                    clientTrust.renew(Map.of("ca.crt", newCa.cert()));
                    awaitClientLog(clientLog, "renewed CA bundle", "[CN=new-ca]");
                    clientTls.renew(identity(newClient));
                    awaitClientLog(clientLog, "renewed client certificate", "serial " + serial(newClient.cert()));

                    // 5. the servers drop the old CA: a client still presenting the old certificate is refused
                    serverTrust.renew(Map.of("ca.crt", newCa.cert()));
                    for (Replica replica : replicas) {
                        replica.awaitLogLine("renewed CA bundle [CN=new-ca serial " + serial(newCa.cert()) + "]");
                        Conditions.await("the old client certificate refused on a new connection",
                                () -> !servesOnNewConnection(replica, newCa.cert(), oldClient));
                        assertThat(servesOnNewConnection(replica, newCa.cert(), newClient)).isTrue();
                    }
                    awaitServedByEach(replicas);
                } finally {
                    for (CallStream stream : load) {
                        stream.close();
                    }
                }
                long ok = load.stream().mapToLong(CallStream::ok).sum();
                List<Throwable> failures = load.stream().flatMap(stream -> stream.failures().stream()).toList();
                assertThat(failures).as("failed calls of %d", ok + failures.size()).isEmpty();
                assertThat(ok).isPositive();
            }
        } finally {
            replicas.forEach(Replica::close);
        }
    }

    private static Map<String, Path> identity(TestCertificates.Issued issued) {
        return Map.of("tls.crt", issued.cert(), "tls.key", issued.key());
    }

    private static String serial(Path certificate) {
        try (var in = Files.newInputStream(certificate)) {
            return ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in)).getSerialNumber().toString();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each replica serves more calls of the load: it runs through every replica, not around one. */
    private static void awaitServedByEach(List<Replica> replicas) {
        for (Replica replica : replicas) {
            long before = replica.predictsServed();
            Conditions.await("calls served by " + replica.target(), () -> replica.predictsServed() > before + 50);
        }
    }

    private static void awaitClientLog(LogCapture log, String... parts) {
        Conditions.await("the client logs " + List.of(parts), () -> log.messages().stream()
                .anyMatch(message -> List.of(parts).stream().allMatch(message::contains)));
    }

    /** Whether a new connection of this client, trusting only {@code ca}, is served by the replica. */
    private static boolean servesOnNewConnection(Replica replica, Path ca, TestCertificates.Issued client) {
        ManagedChannel channel = ChannelSecurity.tls(ca, client.cert(), client.key(), SERVICE)
                .applyTo(NettyChannelBuilder.forAddress("127.0.0.1", replica.grpcPort()), "127.0.0.1").build();
        try {
            PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .predict(ClosedLoop.AFFINE);
            return true;
        } catch (io.grpc.StatusRuntimeException refused) {
            return false;
        } finally {
            channel.shutdownNow();
        }
    }
}
