package io.ovserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code ovserve.grpc-flow-control-window} set (here to HTTP/2's default, 65,535 bytes), the gRPC
 * server opens each connection with that window for the connection and for each call, not
 * grpc-java's 1 MiB: a client sends at most that much of a message before the server reads it, so a
 * call refused from its headers cannot push a whole 602 KB tensor first. Read from the frames the
 * server sends, as a client's HTTP/2 stack reads them. (That the window stays fixed as data flows,
 * grpc-java's auto-tuning off, is what flowControlWindow does; this reads only the opening frames.)
 */
@QuarkusTest
@TestProfile(GrpcFlowControlTest.FixedWindow.class)
class GrpcFlowControlTest extends ServingTest {

    public static class FixedWindow extends ServingProfile {
        public FixedWindow() {
            super(Map.of("ovserve.grpc-flow-control-window", "65535"));
        }
    }

    private static final int SETTINGS = 0x4;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int ACK = 0x1;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    private static final int HTTP2_DEFAULT_WINDOW = 65_535;

    private int callWindow = HTTP2_DEFAULT_WINDOW;
    private long connectionWindow = HTTP2_DEFAULT_WINDOW;

    @BeforeEach
    void readTheServersOpeningFrames() throws IOException {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, SETTINGS, 0, 0, 0, 0, 0}); // our SETTINGS: none
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            boolean ourSettingsAcknowledged = false;
            while (!ourSettingsAcknowledged) { // the server's SETTINGS and window updates come before its ACK of ours
                int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fff_ffff;
                byte[] payload = in.readNBytes(length);
                if (type == SETTINGS && (flags & ACK) != 0) {
                    ourSettingsAcknowledged = true;
                } else if (type == SETTINGS) {
                    readInitialWindow(payload);
                } else if (type == WINDOW_UPDATE && stream == 0) {
                    connectionWindow += ((payload[0] & 0x7f) << 24 | (payload[1] & 0xff) << 16
                            | (payload[2] & 0xff) << 8 | payload[3] & 0xff);
                }
            }
        }
    }

    private void readInitialWindow(byte[] settings) {
        for (int i = 0; i + 6 <= settings.length; i += 6) {
            int id = (settings[i] & 0xff) << 8 | settings[i + 1] & 0xff;
            if (id == SETTINGS_INITIAL_WINDOW_SIZE) {
                callWindow = (settings[i + 2] & 0xff) << 24 | (settings[i + 3] & 0xff) << 16
                        | (settings[i + 4] & 0xff) << 8 | settings[i + 5] & 0xff;
            }
        }
    }

    @Test
    void eachCallMaySendSixtyFourKibibytesBeforeTheServerReadsThem() {
        assertThat(callWindow).isEqualTo(HTTP2_DEFAULT_WINDOW);
    }

    @Test
    void eachConnectionMaySendSixtyFourKibibytesBeforeTheServerReadsThem() {
        assertThat(connectionWindow).isEqualTo(HTTP2_DEFAULT_WINDOW);
    }
}
