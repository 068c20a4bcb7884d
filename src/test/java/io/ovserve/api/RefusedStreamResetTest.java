package io.ovserve.api;

import static io.ovserve.support.RawHttp2Client.Type.CONNECTION_CLOSED;
import static io.ovserve.support.RawHttp2Client.Type.DATA;
import static io.ovserve.support.RawHttp2Client.Type.GOAWAY;
import static io.ovserve.support.RawHttp2Client.Type.HEADERS;
import static io.ovserve.support.RawHttp2Client.Type.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.ovserve.fault.HeldInferences;
import io.ovserve.support.HeldCallsTest;
import io.ovserve.support.RawHttp2Client;
import io.ovserve.support.RawHttp2Client.Frame;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A gRPC call refused from its headers while its client is still sending its message has its HTTP/2
 * stream reset right after its trailers, so the stream stops counting against the connection's
 * stream limit at once; the DATA the client still sends for it is dropped without closing the
 * connection. Read from the frames the server sends, with a client that keeps sending as an
 * unpaced one whose frames are on their way does. Here one held call fills
 * {@code ovserve.max-concurrent-calls=1}, and a connection takes 2 streams at once.
 */
@QuarkusTest
@TestProfile(RefusedStreamResetTest.OneCallTwoStreams.class)
class RefusedStreamResetTest extends HeldCallsTest {

    public static class OneCallTwoStreams extends ServingProfile {
        public OneCallTwoStreams() {
            super(Map.of("ovserve.model-name", "affine", "ovserve.model-path", "target/models/affine",
                    "ovserve.max-concurrent-calls", "1", "ovserve.grpc-max-concurrent-calls-per-connection", "2",
                    "ovserve.request-body-timeout", "10m"));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HeldInferences.class);
        }
    }

    private static final String PREDICT = PredictionServiceGrpc.getPredictMethod().getFullMethodName();
    private static final byte[] PART_OF_A_MESSAGE = RawHttp2Client.grpcMessage(1000, new byte[100]);
    private static final byte[] MORE_OF_IT = new byte[100];

    private RawHttp2Client client;
    private ListenableFuture<PredictResponse> holding;

    @BeforeEach
    void fillTheServerAndConnect() throws Exception {
        held.hold();
        holding = PredictionServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .predict(affine());
        awaitInFlight(1);
        client = RawHttp2Client.connect(ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port",
                Integer.class));
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void aStreamRefusedWhileItsClientSendsIsResetAfterItsTrailers() throws Exception {
        int stream = refusedWhileSending();

        client.send(stream, MORE_OF_IT, false); // already on its way when the reset arrived
        assertThat(client.framesUntilPingAck()).allSatisfy(RefusedStreamResetTest::notAConnectionError);
        assertServesOnThisConnection();
    }

    @Test
    void refusedStreamsThatKeepSendingNeverExhaustTheConnectionsStreamLimit() throws Exception {
        int[] streams = new int[5]; // more than the connection's 2 streams at once, all still sending
        for (int i = 0; i < streams.length; i++) {
            streams[i] = refusedWhileSending();
            for (int j = 0; j <= i; j++) {
                client.send(streams[j], MORE_OF_IT, false);
            }
        }

        List<Frame> frames = client.framesUntilPingAck();
        assertThat(frames).allSatisfy(RefusedStreamResetTest::notAConnectionError);
        assertThat(frames).noneMatch(frame -> frame.type() == RST_STREAM && frame.errorCode() == RawHttp2Client.REFUSED_STREAM);
        assertServesOnThisConnection();
    }

    /** A call whose headers and part of its message are sent: its refusal's trailers, then the reset of its stream. */
    private int refusedWhileSending() throws InterruptedException {
        int stream = client.startCall(PREDICT);
        client.send(stream, PART_OF_A_MESSAGE, false);

        Frame trailers = nextOn(stream);
        assertThat(trailers.type()).as("%s", trailers).isEqualTo(HEADERS);
        assertThat(trailers.stream()).isEqualTo(stream);
        assertThat(trailers.endStream()).isTrue();
        assertThat(trailers.grpcStatus()).isEqualTo(String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value()));
        Frame reset = nextOn(stream);
        assertThat(reset.type()).as("%s", reset).isEqualTo(RST_STREAM);
        assertThat(reset.stream()).isEqualTo(stream);
        assertThat(reset.errorCode()).isEqualTo(RawHttp2Client.CANCEL);
        return stream;
    }

    /** The next frame on {@code stream}; the frames before it (resets of the streams still sent to) end no connection. */
    private Frame nextOn(int stream) throws InterruptedException {
        for (Frame frame = client.next(); ; frame = client.next()) {
            notAConnectionError(frame);
            if (frame.stream() == stream) {
                return frame;
            }
        }
    }

    private static void notAConnectionError(Frame frame) {
        assertThat(frame.type()).as("%s", frame).isNotIn(GOAWAY, CONNECTION_CLOSED);
    }

    /** Once the held call is answered, a good call on the raw connection is served. */
    private void assertServesOnThisConnection() throws Exception {
        held.release();
        assertThat(Tensors.floatsOf(holding.get(60, TimeUnit.SECONDS), "y")).containsExactly(4, 7, 10, 13);
        awaitInFlight(0);

        int stream = client.startCall(PREDICT);
        byte[] request = affine().toByteArray();
        client.send(stream, RawHttp2Client.grpcMessage(request.length, request), true);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        Frame frame = nextOn(stream);
        for (; !frame.endStream(); frame = nextOn(stream)) {
            if (frame.type() == DATA) {
                reply.write(frame.data());
            }
        }
        assertThat(frame.grpcStatus()).as("%s", frame).isEqualTo("0");
        byte[] message = reply.toByteArray();
        PredictResponse response = PredictResponse.parseFrom(Arrays.copyOfRange(message, 5, message.length));
        assertThat(Tensors.floatsOf(response, "y")).containsExactly(4, 7, 10, 13);
    }

    private static PredictRequest affine() {
        return Tensors.request("affine").putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build();
    }
}
