package io.ovserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The gRPC server's event loops (Vert.x's, which its Netty server runs on) use Linux's native epoll
 * transport, not the JDK's NIO selector: measured 10.6% more calls/s on a microsecond model, whose
 * every call hands work to an inference worker and back (README, Benchmark). The library bundled is
 * for Linux on x86-64; elsewhere Vert.x falls back to NIO.
 */
@QuarkusTest
class NativeTransportTest extends ServingTest {

    @Inject
    Vertx vertx;

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void eventLoopsRunOnTheNativeEpollTransport() {
        assertThat(vertx.isNativeTransportEnabled())
                .as("Vert.x native transport (netty-transport-native-epoll on the classpath, "
                        + "quarkus.vertx.prefer-native-transport=true): %s", vertx.unavailableNativeTransportCause())
                .isTrue();
    }
}
