package io.ovserve.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Gives the application under test free gRPC and HTTP ports, so tests never collide with anything
 * running, and the test models.
 */
public class FreePortsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String grpcPort = Integer.toString(freePort());
        // the packaged application (integration tests) runs in the prod profile: give it the same setup
        return Map.of("quarkus.grpc.server.test-port", grpcPort,
                "quarkus.grpc.server.port", grpcPort,
                "quarkus.http.test-port", Integer.toString(freePort()),
                "ovserve.config-path", "target/test-classes/test-models.json");
    }

    @Override
    public void stop() {
    }

    /** A loopback port nothing listens on now (the kernel's choice). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
