package io.ovserve.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.ovserve.client.ChannelSecurity;
import io.ovserve.support.Conditions;
import io.ovserve.support.TestCertificates;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Renewed certificate files picked up without a restart ({@link RotationResource}: mounted as a kubelet mounts
 * secrets, read again every second): the server's own certificate on both ports and its CA bundle for client
 * certificates; and the client's certificate and CA bundle ({@link ChannelSecurity}). Calls keep succeeding on
 * established connections; new connections present the renewed certificates.
 */
@QuarkusTest
@TestProfile(CertificateRotationTest.Profile.class)
class CertificateRotationTest {

    private static final Logger LOG = Logger.getLogger(CertificateRotationTest.class);
    private static final String INFER = """
            {"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RotationResource.class));
        }
    }

    private RotationFiles files;
    private int grpcPort;
    private int httpsPort;

    @BeforeEach
    void awaitReady() {
        files = RotationFiles.read(Path.of(ConfigProvider.getConfig().getValue("test.tls.dir", String.class)));
        grpcPort = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        httpsPort = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        Conditions.await("ready over HTTPS", () -> https(HttpClient.newBuilder()
                .sslContext(TestCertificates.sslContext(files.bothCas(), null)).build(), "/q/health/ready")
                .statusCode() == 200);
    }

    @Test
    void grpcPresentsTheRenewedCertificateToNewConnectionsWhileCallsKeepSucceeding() throws Exception {
        ManagedChannel established = channel(files.bothCas(), files.issued("allowed"));
        try {
            BigInteger before = grpcServedBy(established);
            BigInteger renewed = RotationFiles.serial(files.issued("server-grpc").cert());
            try (CallStream stream = new CallStream(() -> grpcServedBy(established))) {
                Conditions.await("calls on the established connection", () -> stream.ok() > 0);
                long renewedAt = System.nanoTime();
                files.serverVolume().renew(files.serverFiles("server-grpc"));
                Conditions.await("a new gRPC connection presents serial " + renewed,
                        () -> renewed.equals(onNewGrpcConnection()));
                LOG.infof("gRPC: renewed files presented to a new connection after %d ms",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewedAt));
                long afterRenewal = stream.ok();
                Conditions.await("calls on the established connection after the renewal",
                        () -> stream.ok() > afterRenewal);
                stream.close();
                assertThat(stream.failures()).isEmpty();
            }
            assertThat(grpcServedBy(established)).as("the established connection keeps its session").isEqualTo(before);
        } finally {
            established.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void httpPresentsTheRenewedCertificateToNewConnectionsWhileRequestsKeepSucceeding() throws Exception {
        HttpClient established = HttpClient.newBuilder()
                .sslContext(TestCertificates.sslContext(files.bothCas(), files.issued("allowed"))).build();
        BigInteger renewed = RotationFiles.serial(files.issued("server-http").cert());
        try (CallStream stream = new CallStream(() -> httpServedBy(established))) {
            Conditions.await("requests on the established connection", () -> stream.ok() > 0);
            long renewedAt = System.nanoTime();
            files.serverVolume().renew(files.serverFiles("server-http"));
            Conditions.await("a new HTTPS connection presents serial " + renewed, () -> renewed.equals(
                    httpServedBy(HttpClient.newBuilder()
                            .sslContext(TestCertificates.sslContext(files.bothCas(), files.issued("allowed")))
                            .build())));
            LOG.infof("HTTPS: renewed files presented to a new connection after %d ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewedAt));
            long afterRenewal = stream.ok();
            Conditions.await("requests on the established connection after the renewal",
                    () -> stream.ok() > afterRenewal);
            stream.close();
            assertThat(stream.failures()).isEmpty();
        }
    }

    @Test
    void grpcAcceptsClientsOfACaOnceItJoinsTheTrustBundle() throws Exception {
        TestCertificates.Issued newcomer = files.issued("newcomer");
        assertRefusedAtHandshake(newcomer);
        files.clientCaVolume().renew(Map.of("ca.crt", files.bothCas()));
        Conditions.await("a client of the new CA served", () -> {
            try {
                return onNewGrpcConnection(newcomer) != null;
            } catch (StatusRuntimeException refused) {
                return false;
            }
        });
    }

    @Test
    void theClientPresentsItsRenewedCertificateOnNewConnections() throws Exception {
        Path dir = Files.createTempDirectory(files.dir(), "client-");
        SecretVolume identity = SecretVolume.create(dir.resolve("tls"), Map.of("tls.crt",
                files.issued("allowed").cert(), "tls.key", files.issued("allowed").key()));
        ChannelSecurity security = ChannelSecurity.tls(files.bothCas(), identity.file("tls.crt"),
                identity.file("tls.key"), null, Duration.ofSeconds(1));
        assertThat(onNewConnection(security)).isNotNull();
        long renewedAt = System.nanoTime();
        identity.renew(Map.of("tls.crt", files.issued("stranger").cert(), "tls.key", files.issued("stranger").key()));
        // the allow-list names the identity the server saw: the renewed certificate's
        Conditions.await("the server sees the renewed client certificate", () -> {
            try {
                onNewConnection(security);
                return false;
            } catch (StatusRuntimeException denied) {
                assertThat(denied.getStatus().getCode()).as(denied.toString()).isEqualTo(Status.Code.PERMISSION_DENIED);
                return denied.getStatus().getDescription().contains("stranger-client");
            }
        });
        LOG.infof("client: renewed certificate presented on a new connection after %d ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewedAt));
    }

    @Test
    void theClientReachesAServerReissuedByANewCaOnceItsCaBundleIsRenewed() throws Exception {
        BigInteger reissued = RotationFiles.serial(files.issued("server-next").cert());
        files.serverVolume().renew(files.serverFiles("server-next"));
        Conditions.await("the server presents its certificate of the new CA",
                () -> reissued.equals(onNewGrpcConnection()));
        Path dir = Files.createTempDirectory(files.dir(), "client-ca-");
        SecretVolume bundle = SecretVolume.create(dir.resolve("ca"), Map.of("ca.crt", files.ca()));
        ChannelSecurity security = ChannelSecurity.tls(bundle.file("ca.crt"), files.issued("allowed").cert(),
                files.issued("allowed").key(), null, Duration.ofSeconds(1));
        assertThatThrownBy(() -> onNewConnection(security)).isInstanceOfSatisfying(StatusRuntimeException.class,
                unknown -> assertThat(unknown.getStatus().getDescription()).contains("not signed by a CA"));
        bundle.renew(Map.of("ca.crt", files.nextCa()));
        Conditions.await("served once the client's CA bundle names the new CA", () -> {
            try {
                return reissued.equals(onNewConnection(security));
            } catch (StatusRuntimeException unknownCa) {
                return false;
            }
        });
    }

    private void assertRefusedAtHandshake(TestCertificates.Issued client) {
        assertThatThrownBy(() -> onNewGrpcConnection(client)).isInstanceOfSatisfying(StatusRuntimeException.class,
                error -> {
                    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(error).hasRootCauseInstanceOf(SSLException.class);
                });
    }

    /** The serial of the certificate the server presents to a new connection of an allowed client. */
    private BigInteger onNewGrpcConnection() {
        return onNewGrpcConnection(files.issued("allowed"));
    }

    private BigInteger onNewGrpcConnection(TestCertificates.Issued client) {
        ManagedChannel channel = channel(files.bothCas(), client);
        try {
            return grpcServedBy(channel);
        } finally {
            channel.shutdownNow();
        }
    }

    private BigInteger onNewConnection(ChannelSecurity security) {
        ManagedChannel channel = security.applyTo(NettyChannelBuilder.forAddress("localhost", grpcPort), "localhost")
                .build();
        try {
            return grpcServedBy(channel);
        } finally {
            channel.shutdownNow();
        }
    }

    /** A Predict call served on this channel: the serial of the certificate its connection's server presented. */
    private static BigInteger grpcServedBy(Channel channel) {
        AtomicReference<SSLSession> session = new AtomicReference<>();
        var reply = PredictionServiceGrpc.newBlockingStub(channel).withInterceptors(new SessionCapture(session))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .predict(Tensors.request("affine").putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build());
        assertThat(Tensors.floatsOf(reply, "y")).containsExactly(4, 7, 10, 13);
        return serial(session.get());
    }

    /** An infer request served on this client's connection: the serial of the certificate its server presented. */
    private BigInteger httpServedBy(HttpClient client) {
        HttpResponse<String> reply;
        try {
            reply = client.send(HttpRequest.newBuilder(uri("/v2/models/affine/infer"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(INFER))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return serial(reply.sslSession().orElseThrow());
    }

    private HttpResponse<Void> https(HttpClient client, String path) {
        try {
            return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + httpsPort + path);
    }

    private static BigInteger serial(SSLSession session) {
        try {
            return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
        } catch (SSLPeerUnverifiedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new channel with its own TLS context: no session to resume, so its handshake is a full one. */
    private ManagedChannel channel(Path cas, TestCertificates.Issued client) {
        try {
            return NettyChannelBuilder.forAddress("localhost", grpcPort).sslContext(GrpcSslContexts.forClient()
                    .trustManager(cas.toFile()).keyManager(client.cert().toFile(), client.key().toFile()).build())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps the TLS session of the connection a call went on. */
    private record SessionCapture(AtomicReference<SSLSession> session) implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    ClientCall<Q, R> call = this;
                    super.start(new SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onHeaders(Metadata received) {
                            session.set(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                            super.onHeaders(received);
                        }
                    }, headers);
                }
            };
        }
    }
}
