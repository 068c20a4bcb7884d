package io.ovserve.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.ovserve.support.Conditions;
import io.ovserve.support.TestCertificates;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Bytes that are no TLS handshake, sent first to the TLS ports ({@link MutualTlsTest}'s server, mTLS required on
 * gRPC): the server closes the connection, after a TLS alert at most, without waiting for more bytes, and serves the
 * next good TLS call. A plaintext client on a TLS port is {@link MutualTlsTest}'s.
 */
@QuarkusTest
@TestProfile(MutualTlsTest.Profile.class)
class HandshakeGarbageTest {

    /** How long the server may take to answer garbage: a hang fails the test, a loaded machine does not. */
    private static final int ANSWER_TIMEOUT_MILLIS = 30_000;
    private static final byte ALERT = 0x15;
    private static final byte FATAL = 2;

    /** What a broken or hostile client sends where its ClientHello should be. */
    enum Garbage {
        /** Bytes that are no TLS record at all. */
        NOISE(noise(512)),
        /** A handshake record, complete, whose message is no ClientHello. */
        MALFORMED_CLIENT_HELLO(concat(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40}, noise(0x40))),
        /**
         * A handshake record announcing 65,535 bytes, more than TLS allows (2^14 + 2,048), that never ends: Netty
         * waits for the whole record before TLS reads it, so the server's handshake timeout (Netty's 10 s) ends it.
         */
        OVERSIZED_RECORD(concat(new byte[] {0x16, 0x03, 0x03, (byte) 0xff, (byte) 0xff}, noise(64)));

        private final byte[] bytes;

        Garbage(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private MutualTlsFiles files;
    private int grpcPort;
    private int httpsPort;

    @BeforeEach
    void awaitReady() {
        files = MutualTlsFiles.read(Path.of(ConfigProvider.getConfig().getValue("test.tls.dir", String.class)));
        grpcPort = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        httpsPort = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        Conditions.await("ready over HTTPS", () -> restInfer().statusCode() == 200);
    }

    @ParameterizedTest
    @EnumSource(Garbage.class)
    void garbageOnTheGrpcPortIsClosedAndTheNextTlsCallServed(Garbage garbage) throws IOException {
        assertClosedAfterAnAlertAtMost(answerTo(grpcPort, garbage));
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", grpcPort)
                .sslContext(GrpcSslContexts.forClient().trustManager(files.ca().toFile())
                        .keyManager(files.allowed().cert().toFile(), files.allowed().key().toFile()).build())
                .build();
        try {
            var reply = PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .predict(Tensors.request("affine").putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4))
                            .build());
            assertThat(Tensors.floatsOf(reply, "y")).containsExactly(4, 7, 10, 13);
        } finally {
            channel.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Garbage.class)
    void garbageOnTheHttpPortIsClosedAndTheNextTlsCallServed(Garbage garbage) throws IOException {
        assertClosedAfterAnAlertAtMost(answerTo(httpsPort, garbage));
        HttpResponse<String> reply = restInfer();
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).contains("[4.0,7.0,10.0,13.0]");
    }

    /** What the server sends back on a connection that began with {@code garbage}, until it closes it. */
    private static byte[] answerTo(int port, Garbage garbage) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            socket.getOutputStream().write(garbage.bytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException hang) {
            throw new AssertionError("the connection was still open " + ANSWER_TIMEOUT_MILLIS
                    + " ms after the garbage, having answered " + answer.size() + " bytes", hang);
        } catch (SocketException reset) {
            // closed with our garbage unread: a reset, as clear an end as a close
        }
        return answer.toByteArray();
    }

    /** Nothing, or one fatal TLS alert record (type 0x15, 2 bytes: level 2, a description), then the close. */
    private static void assertClosedAfterAnAlertAtMost(byte[] answer) {
        if (answer.length > 0) {
            assertThat(answer).as("the answer before the close: one fatal TLS alert record, %s",
                    HexFormat.of().formatHex(answer)).hasSize(7).startsWith(ALERT);
            assertThat(answer[3] << 8 | answer[4]).as("the alert's length").isEqualTo(2);
            assertThat(answer[5]).as("the alert's level: fatal").isEqualTo(FATAL);
        }
    }

    private HttpResponse<String> restInfer() {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(TestCertificates.sslContext(files.ca(), files.allowed())).build();
        try {
            return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort
                    + "/v2/models/affine/infer")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}"""))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] noise(int length) {
        byte[] bytes = new byte[length];
        new Random(20).nextBytes(bytes);
        bytes[0] = 0x47; // no TLS record type (0x14-0x17) nor SSLv2 hello: noise, whatever the seed gives
        return bytes;
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] bytes = new byte[head.length + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(tail, 0, bytes, head.length, tail.length);
        return bytes;
    }
}
