package io.ovserve.api;

import io.grpc.DecompressorRegistry;
import io.ovserve.model.ServingConfig;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The gRPC server's per-connection limits, which Quarkus does not expose:
 * {@code ovserve.grpc-max-concurrent-calls-per-connection} (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS;
 * grpc-java's default is unlimited, so one connection could open any number of streams and buffer a
 * message on each), and a fixed HTTP/2 flow-control window when {@code ovserve.grpc-flow-control-window}
 * is set. grpc-java's own window starts at 1 MiB and widens as data flows, so under overload a client
 * sends most of a large message (a 602 KB ResNet-50 tensor) before the refusal decided from its headers
 * reaches it; a small fixed window bounds that, at the price of capping one connection's upload at
 * window / round-trip time, which is why it is not the default (docs on overload have the figures).
 * And its {@code gzip} is {@link BoundedGzip}: a message inflates at most {@link DecompressionLimit}.
 */
@ApplicationScoped
class GrpcServerLimits implements ServerBuilderCustomizer<VertxServerBuilder> {

    private final int maxCallsPerConnection;
    private final Optional<Integer> window;
    private final DecompressorRegistry decompressors;

    GrpcServerLimits(ServingConfig config, DecompressionLimit decompression) {
        this.maxCallsPerConnection = config.grpcMaxConcurrentCallsPerConnection();
        this.window = config.grpcFlowControlWindow();
        // replaces grpc-java's unbounded gzip; still advertised in grpc-accept-encoding, as before
        this.decompressors = DecompressorRegistry.getDefaultInstance().with(new BoundedGzip(decompression), true);
    }

    @Override
    public void customize(GrpcServerConfiguration configuration, VertxServerBuilder builder) {
        builder.nettyBuilder().maxConcurrentCallsPerConnection(maxCallsPerConnection);
        window.ifPresent(bytes -> builder.nettyBuilder().flowControlWindow(bytes));
        builder.nettyBuilder().decompressorRegistry(decompressors);
    }
}
