package io.ovserve.api;

import io.ovserve.model.ServingConfig;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * A fixed HTTP/2 flow-control window on the gRPC server, per connection and per call, when
 * {@code ovserve.grpc-flow-control-window} is set. grpc-java's own starts at 1 MiB and widens as
 * data flows, so under overload a client sends most of a large message (a 602 KB ResNet-50 tensor)
 * before the refusal decided from its headers reaches it; a small fixed window bounds that, at the
 * price of capping one connection's upload at window / round-trip time, which is why it is not the
 * default (README, Under stress, has the figures).
 */
@ApplicationScoped
class GrpcFlowControl implements ServerBuilderCustomizer<VertxServerBuilder> {

    private final Optional<Integer> window;

    GrpcFlowControl(ServingConfig config) {
        this.window = config.grpcFlowControlWindow();
    }

    @Override
    public void customize(GrpcServerConfiguration configuration, VertxServerBuilder builder) {
        window.ifPresent(bytes -> builder.nettyBuilder().flowControlWindow(bytes));
    }
}
