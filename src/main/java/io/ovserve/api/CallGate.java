package io.ovserve.api;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.model.ModelManager;
import io.ovserve.model.ServingConfig;
import io.ovserve.shutdown.GracefulShutdown;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Decides on a gRPC call from its headers, before its message is read or parsed: while shutting
 * down, UNAVAILABLE (a balancing client retries on another replica); beyond what the served models
 * take at once ({@code nireq + queue-size} each, or {@code ovserve.max-concurrent-calls}),
 * RESOURCE_EXHAUSTED. A refused call thus costs no parsing and holds no memory, whatever the load.
 * <p>
 * The outermost interceptor (highest priority), so a refusal also skips Quarkus's duplicated Vert.x
 * context and request scope; a {@code @Singleton} without client proxy, so it still refuses calls
 * that arrive after Quarkus has stopped its beans and before it closes the server.
 */
@GlobalInterceptor
@Singleton
public class CallGate implements ServerInterceptor, Prioritized {

    private static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription(
            "the server is shutting down: retry on another replica");
    /**
     * The methods that run an inference, the only ones refused for capacity: a health or metadata
     * call (KServe's ServerLive, ModelReady, ...) costs next to nothing and must still be answered
     * when the server is busy.
     */
    private static final Set<String> INFERENCES = Set.of(PredictionServiceGrpc.getPredictMethod().getFullMethodName(),
            GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName());

    private final GracefulShutdown shutdown;
    private final ModelManager models;
    private final Optional<Integer> maxConcurrentCalls;
    private final RejectionLog rejections = new RejectionLog();

    CallGate(GracefulShutdown shutdown, ModelManager models, ServingConfig config) {
        this.shutdown = shutdown;
        this.models = models;
        this.maxConcurrentCalls = config.maxConcurrentCalls();
    }

    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!shutdown.tryEnter()) {
            return refuse(call, SHUTTING_DOWN);
        }
        int limit = maxConcurrentCalls.orElseGet(models::callCapacity);
        int inFlight = shutdown.inFlight();
        if (limit > 0 && inFlight > limit && INFERENCES.contains(call.getMethodDescriptor().getFullMethodName())) {
            shutdown.exit();
            return refuse(call, Status.RESOURCE_EXHAUSTED.withDescription(String.format(
                    "the server is busy: %d calls in flight, %d at most (%s); retry later or on another replica",
                    inFlight - 1, limit, maxConcurrentCalls.isPresent() ? "ovserve.max-concurrent-calls"
                            : models.describeCapacity())));
        }
        Exit exit = new Exit(shutdown);
        try {
            return new CountedListener<>(next.startCall(new CountedCall<>(call, exit), headers), exit);
        } catch (RuntimeException e) {
            exit.once();
            throw e;
        }
    }

    private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        rejections.rejected(status.getCode() + " at admission", status.getDescription());
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static final class CountedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

        private final Exit exit;

        CountedCall(ServerCall<Q, R> call, Exit exit) {
            super(call);
            this.exit = exit;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            try {
                super.close(status, trailers);
            } finally {
                exit.once();
            }
        }
    }

    private static final class CountedListener<Q> extends SimpleForwardingServerCallListener<Q> {

        private final Exit exit;

        CountedListener(ServerCall.Listener<Q> listener, Exit exit) {
            super(listener);
            this.exit = exit;
        }

        @Override
        public void onCancel() {
            try {
                super.onCancel();
            } finally {
                exit.once();
            }
        }
    }

    /** Counts a call out exactly once, whether it closes, is cancelled, or both. */
    private static final class Exit extends AtomicBoolean {

        private final transient GracefulShutdown shutdown;

        Exit(GracefulShutdown shutdown) {
            this.shutdown = shutdown;
        }

        void once() {
            if (compareAndSet(false, true)) {
                shutdown.exit();
            }
        }
    }
}
