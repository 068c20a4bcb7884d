package io.ovserve.api;

import io.ovserve.model.ServingConfig;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The gRPC server's HTTP/2 flow-control window, per connection and per call
 * ({@code ovserve.grpc-flow-control-window}, default HTTP/2's own 64 KiB). grpc-java opens at
 * 1 MiB and widens it as data flows, so a client sent nearly a whole ResNet-50 tensor (602 KB) before
 * the refusal decided from its headers reached it: at 10x overload the refused calls' bodies crossed
 * loopback at 236 MB/s, on the cores the server needs. The window is fixed (no auto-tuning, which
 * widened it on loopback too); it caps one connection's upload at window / round-trip time.
 */
@ApplicationScoped
class GrpcFlowControl implements ServerBuilderCustomizer<VertxServerBuilder> {

    private final int window;

    GrpcFlowControl(ServingConfig config) {
        this.window = config.grpcFlowControlWindow();
    }

    @Override
    public void customize(GrpcServerConfiguration configuration, VertxServerBuilder builder) {
        builder.nettyBuilder().flowControlWindow(window);
    }
}
