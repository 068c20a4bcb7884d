package io.ovserve.api;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Resets (RST_STREAM) a call's HTTP/2 stream right after its trailers, for a call answered while its
 * client is still sending. grpc-java leaves such a stream half-open until the client's END_STREAM or
 * RST_STREAM is read, behind the request's DATA already on its way (grpc/grpc-java#2162), so under a
 * storm of refused calls a connection holds far more streams on the server than on the client; past
 * {@code ovserve.grpc-max-concurrent-calls-per-connection} Netty refuses new streams before recording
 * their ids, and the DATA that follows a refused stream is a connection error (GOAWAY) failing every
 * call on the connection.
 * <p>
 * grpc-java has no API to reset a stream, but it resets the stream of a call whose context is
 * cancelled with DEADLINE_EXCEEDED, through the same write queue as the trailers already written, so
 * the reset follows them and the client still reads their status. A call's own context cannot be
 * cancelled from its code (grpc-java attaches an uncancellable copy), so {@link Installer} gives each
 * call a cancellable ancestor from the one hook that runs before the context is made, a stream tracer;
 * cancelling the ancestor cancels the call's context with the same cause.
 */
final class StreamReset {

    private static final Context.Key<Context.CancellableContext> RESETTABLE = Context.key("ovserve-stream-reset");

    /** Only its code matters: grpc-java resets the stream for DEADLINE_EXCEEDED alone. */
    private static final StatusRuntimeException ANSWERED = Status.DEADLINE_EXCEEDED
            .withDescription("answered before its request ended: stream reset").asRuntimeException();

    private final Context.CancellableContext ancestor;

    private StreamReset(Context.CancellableContext ancestor) {
        this.ancestor = ancestor;
    }

    /** The reset of the call being intercepted (none on a server without {@link Installer}: in-process). */
    static StreamReset ofInterceptedCall() {
        return new StreamReset(RESETTABLE.get());
    }

    /** Once the call is closed: resets its stream after the trailers. */
    void afterTrailers() {
        if (ancestor != null) {
            ancestor.cancel(ANSWERED);
        }
    }

    /** Puts a cancellable context, found under {@link #RESETTABLE}, above each call's own. */
    @ApplicationScoped
    static class Installer implements ServerBuilderCustomizer<VertxServerBuilder> {

        private static final ServerStreamTracer RESETTABLE_CALL = new ServerStreamTracer() {
            @Override
            public Context filterContext(Context context) {
                Context.CancellableContext ancestor = context.withCancellation();
                return ancestor.withValue(RESETTABLE, ancestor);
            }
        };

        @Override
        public void customize(GrpcServerConfiguration configuration, VertxServerBuilder builder) {
            builder.nettyBuilder().addStreamTracerFactory(new ServerStreamTracer.Factory() {
                @Override
                public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
                    return RESETTABLE_CALL;
                }
            });
        }
    }
}
