package io.ovserve.tls;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.ovserve.api.GrpcReplies;
import io.ovserve.inference.ServingException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Singleton;

/**
 * Refuses gRPC calls from clients not in {@code ovserve.tls.allowed-clients} with PERMISSION_DENIED, from their
 * headers, before their message is read. Just inside {@link io.ovserve.api.CallGate} (the outermost interceptor), so
 * a refused call never takes an admission place.
 */
@GlobalInterceptor
@Singleton
public class GrpcAllowList implements ServerInterceptor, Prioritized {

    private final AllowedClients allowed;

    GrpcAllowList(AllowedClients allowed) {
        this.allowed = allowed;
    }

    @Override
    public int getPriority() {
        return Integer.MAX_VALUE - 1;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (allowed.enabled()) {
            try {
                allowed.checkGrpc(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            } catch (ServingException refused) {
                call.close(GrpcReplies.status(refused), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        }
        return next.startCall(call, headers);
    }
}
