package io.ovserve.api;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

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
 * the reset follows them and the client still reads their status. DATA the client sends after it is
 * dropped as a closed stream's, not a connection error.
 */
final class StreamReset {

    /** Only its code matters: grpc-java resets the stream for DEADLINE_EXCEEDED alone. */
    private static final StatusRuntimeException ANSWERED = Status.DEADLINE_EXCEEDED
            .withDescription("answered before its request ended: stream reset").asRuntimeException();

    private final Context.CancellableContext call;

    private StreamReset(Context.CancellableContext call) {
        this.call = call;
    }

    /**
     * The reset of the call being intercepted: grpc-java runs a call's interceptors in the call's own
     * cancellable context. Any other context (an in-process server) has no stream to reset.
     */
    static StreamReset ofInterceptedCall() {
        return new StreamReset(Context.current() instanceof Context.CancellableContext context ? context : null);
    }

    /** Once the call is closed: resets its stream after the trailers. */
    void afterTrailers() {
        if (call != null) {
            call.cancel(ANSWERED);
        }
    }
}
