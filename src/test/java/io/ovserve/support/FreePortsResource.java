package io.ovserve.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives the application under test free gRPC and HTTP ports, so tests never collide with anything
 * running, and the models to serve: the test models of {@code test-models.json}, unless the resource
 * is given other model settings as init arguments (see {@link ServingProfile}).
 */
public class FreePortsResource implements QuarkusTestResourceLifecycleManager {

    private Map<String, String> models = Map.of("ovserve.config-path", "target/test-classes/test-models.json");

    @Override
    public void init(Map<String, String> initArgs) {
        if (!initArgs.isEmpty()) {
            models = Map.copyOf(initArgs);
        }
    }

    @Override
    public Map<String, String> start() {
        String grpcPort = Integer.toString(freePort());
        // the packaged application (integration tests) runs in the prod profile: give it the same setup
        Map<String, String> config = new HashMap<>(models);
        config.putAll(Map.of("quarkus.grpc.server.test-port", grpcPort,
                "quarkus.grpc.server.port", grpcPort,
                "quarkus.http.test-port", Integer.toString(freePort())));
        return config;
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
