package io.ovserve.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives the application under test free gRPC and HTTP ports, so tests never collide with anything
 * running, and the models to serve: the test models of {@code test-models.json}, unless the resource
 * is given other model settings as init arguments (see {@link ServingProfile}).
 */
public class FreePortsResource implements QuarkusTestResourceLifecycleManager {

    private static final int LOWEST = 10_000;
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

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

    /**
     * A port nothing uses now, below the kernel's ephemeral range. A port the kernel hands out for
     * bind(0) comes from that range, which outgoing connections draw their local ports from too: one
     * of the tests' own connections took such a port between this choice and the server's bind
     * ("Address already in use" at a test application's start, once in a CI run).
     */
    public static int freePort() {
        int ephemeralLow = ephemeralRangeStart();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralLow);
            if (!handedOut.add(port)) {
                continue; // given to an application of this JVM that may not have bound it yet
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException inUse) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + ephemeralLow);
    }

    /**
     * The first port of Linux's ephemeral range (32768 by default, and elsewhere). Read line by line:
     * Files.readString trusts the size procfs reports and returned "3" of "32768\t60999".
     */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LOWEST + 1_000 ? low : DEFAULT_EPHEMERAL_START;
        } catch (IOException | RuntimeException notLinux) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
