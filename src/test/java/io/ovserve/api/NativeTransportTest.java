package io.ovserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The gRPC server's event loops (Vert.x's, which its Netty server runs on) use Linux's native epoll
 * transport, not the JDK's NIO selector: measured 11% more calls/s on a microsecond model, whose
 * every call hands work to an inference worker and back (README, Benchmark).
 */
@QuarkusTest
class NativeTransportTest extends ServingTest {

    @Inject
    Vertx vertx;

    @Test
    void eventLoopsRunOnTheNativeEpollTransport() {
        assertThat(vertx.isNativeTransportEnabled())
                .as("Vert.x native transport (netty-transport-native-epoll on the classpath, "
                        + "quarkus.vertx.prefer-native-transport=true): %s", vertx.unavailableNativeTransportCause())
                .isTrue();
    }
}
