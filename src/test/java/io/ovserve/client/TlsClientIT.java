package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.ovserve.client.support.ClosedLoop;
import io.ovserve.client.support.Replica;
import io.ovserve.support.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * The client over TLS against real server processes on loopback, whose certificates name the Service
 * ({@code ovserve.apps.svc}), not the addresses the client reaches them at; and the one-line causes of TLS failures.
 */
class TlsClientIT {

    private static final String SERVICE = "ovserve.apps.svc";

    private static Path dir;
    private static TestCertificates.Authority ca;
    private static Replica first;
    private static Replica second;

    @BeforeAll
    static void startTlsReplicas() throws IOException {
        dir = Files.createTempDirectory("ovserve-tls-client-");
        ca = TestCertificates.authority(dir, "ovserve-ca");
        TestCertificates.Issued server = ca.issue("server", "ovserve", List.of(SERVICE, SERVICE + ".cluster.local"),
                List.of());
        first = Replica.start(grpcTls(server));
        second = Replica.start(grpcTls(server));
    }

    @AfterAll
    static void stopReplicas() {
        first.close();
        second.close();
    }

    /** TLS on the gRPC port only, so that the replica's plain HTTP probes and metrics serve the test. */
    private static String[] grpcTls(TestCertificates.Issued server) {
        return new String[] {"quarkus.tls.ovserve.key-store.pem.0.cert=" + server.cert(),
                "quarkus.tls.ovserve.key-store.pem.0.key=" + server.key(),
                "ovserve.tls.grpc-configuration-name=ovserve"};
    }

    @Test
    void balancingClientReachesReplicasByAddressAndVerifiesTheServiceName() {
        long firstBefore = first.predictsServed();
        long secondBefore = second.predictsServed();
        try (PredictClient client = PredictClient.builder().staticTargets(first.target(), second.target())
                .tls(ca.cert()).authority(SERVICE).metrics(false).build()) {
            ClosedLoop run = new ClosedLoop(client, 200).run(4);
            assertThat(run.failures()).isEmpty();
        }
        assertThat(first.predictsServed() - firstBefore).isPositive();
        assertThat(second.predictsServed() - secondBefore).isPositive();
    }

    @Test
    void aServerWhoseCertificateDoesNotNameTheAddressIsRefusedWithTheName() {
        assertFailsSaying(ChannelSecurity.tls(ca.cert(), null, null, null), first, "does not name 127.0.0.1");
    }

    @Test
    void aServerCertifiedByAnUnknownCaIsRefusedSayingSo() {
        Path other = TestCertificates.authority(dir, "unknown-ca").cert();
        assertFailsSaying(ChannelSecurity.tls(other, null, null, SERVICE), first,
                "not signed by a CA of the client's CA bundle");
    }

    @Test
    void anExpiredServerCertificateIsRefusedSayingSo() {
        TestCertificates.Issued expired = ca.issueExpired("expired", "ovserve", List.of(SERVICE), List.of());
        try (Replica replica = Replica.start(grpcTls(expired))) {
            assertFailsSaying(ChannelSecurity.tls(ca.cert(), null, null, SERVICE), replica, "certificate has expired");
        }
    }

    @Test
    void aPlaintextClientOnTheTlsPortIsToldSoAndTheServerKeepsServing() {
        assertFailsSaying(ChannelSecurity.plaintext(), first, "a plaintext client on a TLS port?");
        assertServes(ChannelSecurity.tls(ca.cert(), null, null, SERVICE), first);
    }

    @Test
    void aTlsClientOnAPlaintextPortIsToldSoAndTheServerKeepsServing() {
        try (Replica plaintext = Replica.start()) {
            assertFailsSaying(ChannelSecurity.tls(ca.cert(), null, null, SERVICE), plaintext,
                    "TLS client on a plaintext port");
            assertServes(ChannelSecurity.plaintext(), plaintext);
        }
    }

    private static void assertFailsSaying(ChannelSecurity security, Replica replica, String cause) {
        ManagedChannel channel = channel(security, replica);
        try {
            assertThatThrownBy(() -> PredictionServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).predict(ClosedLoop.AFFINE))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
                        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(error.getStatus().getDescription()).contains(cause).doesNotContain("\n");
                    });
        } finally {
            channel.shutdownNow();
        }
    }

    private static void assertServes(ChannelSecurity security, Replica replica) {
        ManagedChannel channel = channel(security, replica);
        try {
            assertThat(PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .predict(ClosedLoop.AFFINE).getOutputsMap()).isNotEmpty();
        } finally {
            channel.shutdownNow();
        }
    }

    private static ManagedChannel channel(ChannelSecurity security, Replica replica) {
        return security.applyTo(NettyChannelBuilder.forAddress("127.0.0.1", replica.grpcPort()), "127.0.0.1").build();
    }
}
