package io.ovserve.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** Gives the test application free gRPC and HTTP ports, so tests never collide with anything running. */
public class FreePortsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.grpc.server.test-port", Integer.toString(freePort()),
                "quarkus.http.test-port", Integer.toString(freePort()));
    }

    @Override
    public void stop() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
