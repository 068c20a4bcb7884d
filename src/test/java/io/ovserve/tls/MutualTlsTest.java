package io.ovserve.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.ovserve.support.Conditions;
import io.ovserve.support.TestCertificates;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * TLS on both ports from one TLS registry configuration, with client certificates: gRPC requires one, HTTP requests
 * one, and only {@code allowed-client} may call ({@link MutualTlsResource}).
 */
@QuarkusTest
@TestProfile(MutualTlsTest.Profile.class)
class MutualTlsTest {

    private static final String INFER = """
            {"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MutualTlsResource.class));
        }
    }

    private final List<ManagedChannel> channels = new ArrayList<>();
    private MutualTlsFiles files;
    private int grpcPort;
    private int httpsPort;

    @BeforeEach
    void awaitReady() {
        files = MutualTlsFiles.read(Path.of(ConfigProvider.getConfig().getValue("test.tls.dir", String.class)));
        grpcPort = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        httpsPort = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        // the readiness probe, as the kubelet sends it: HTTPS without a client certificate
        Conditions.await("ready over HTTPS", () -> get(null, "/q/health/ready").statusCode() == 200);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void grpcPredictIsServedOverTlsToAnAllowedClient() {
        assertPredictServed(files.allowed());
    }

    @Test
    void restInferIsServedOverTlsToAnAllowedClient() {
        HttpResponse<String> reply = post(files.allowed(), "/v2/models/affine/infer", INFER);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).contains("[4.0,7.0,10.0,13.0]");
    }

    @Test
    void grpcClientWithoutCertificateIsRefusedAtTheHandshake() {
        assertRefusedAtHandshake(predict(channel(builder -> builder)));
        assertPredictServed(files.allowed());
    }

    @Test
    void grpcClientCertifiedByAnotherCaIsRefusedAtTheHandshake() {
        assertRefusedAtHandshake(predict(channel(builder -> builder.keyManager(files.foreign().cert().toFile(),
                files.foreign().key().toFile()))));
        assertPredictServed(files.allowed());
    }

    @Test
    void grpcClientOffTheAllowListIsDeniedByIdentityAndTheNextAllowedCallServed() {
        double before = refusals("gRPC");
        assertThatThrownBy(() -> predict(clientChannel(files.stranger())).run())
                .isInstanceOfSatisfying(StatusRuntimeException.class, denied -> {
                    assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(denied.getStatus().getDescription()).contains("client not allowed")
                            .contains("stranger-client");
                });
        assertThat(refusals("gRPC")).isEqualTo(before + 1);
        assertPredictServed(files.allowed());
    }

    @Test
    void restClientOffTheAllowListGets403AndTheNextAllowedCallServed() {
        HttpResponse<String> denied = post(files.stranger(), "/v2/models/affine/infer", INFER);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("client not allowed").contains("stranger-client");
        assertThat(post(files.allowed(), "/v2/models/affine/infer", INFER).statusCode()).isEqualTo(200);
    }

    @Test
    void restWithoutCertificateGets403ButProbesAndMetricsAnswer() {
        assertThat(get(null, "/v2/models/affine").statusCode()).isEqualTo(403);
        assertThat(get(null, "/q/health/live").statusCode()).isEqualTo(200);
        assertThat(get(null, "/q/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void plaintextClientOnTheTlsPortFailsAndTheServerKeepsServing() {
        ManagedChannel plain = NettyChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        channels.add(plain);
        assertThatThrownBy(() -> PredictionServiceGrpc.newBlockingStub(plain).withDeadlineAfter(10, TimeUnit.SECONDS)
                .predict(Tensors.request("affine").putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4))
                        .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        error -> assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertPredictServed(files.allowed());
    }

    private void assertPredictServed(TestCertificates.Issued client) {
        var reply = PredictionServiceGrpc.newBlockingStub(clientChannel(client)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .predict(Tensors.request("affine").putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build());
        assertThat(Tensors.floatsOf(reply, "y")).containsExactly(4, 7, 10, 13);
    }

    private static void assertRefusedAtHandshake(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
            assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(error).hasRootCauseInstanceOf(SSLException.class);
        });
    }

    private Runnable predict(ManagedChannel channel) {
        return () -> PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .predict(Tensors.request("affine").putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build());
    }

    private ManagedChannel clientChannel(TestCertificates.Issued client) {
        return channel(builder -> builder.keyManager(client.cert().toFile(), client.key().toFile()));
    }

    private ManagedChannel channel(UnaryOperator<SslContextBuilder> identity) {
        try {
            ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", grpcPort)
                    .sslContext(identity.apply(GrpcSslContexts.forClient().trustManager(files.ca().toFile())).build())
                    .build();
            channels.add(channel);
            return channel;
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    private double refusals(String iface) {
        String metrics = get(null, "/q/metrics").body();
        return metrics.lines().filter(line -> line.startsWith("ovserve_tls_clients_refused_total{")
                && line.contains("interface=\"" + iface + "\"")).mapToDouble(line -> Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private HttpResponse<String> get(TestCertificates.Issued client, String path) {
        return send(client, HttpRequest.newBuilder(uri(path)).build());
    }

    private HttpResponse<String> post(TestCertificates.Issued client, String path, String body) {
        return send(client, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + httpsPort + path);
    }

    private HttpResponse<String> send(TestCertificates.Issued client, HttpRequest request) {
        HttpClient http = HttpClient.newBuilder().sslContext(TestCertificates.sslContext(files.ca(), client)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
