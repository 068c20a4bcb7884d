package io.ovserve.api;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.inference.ServingException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Decides on a gRPC call from its headers, before its message is read or parsed ({@link CallAdmission}):
 * a refused call thus costs no parsing and holds no memory, whatever the load.
 * <p>
 * The outermost interceptor (highest priority), so a refusal also skips Quarkus's duplicated Vert.x
 * context and request scope; a {@code @Singleton} without client proxy, so it still refuses calls
 * that arrive after Quarkus has stopped its beans and before it closes the server.
 */
@GlobalInterceptor
@Singleton
public class CallGate implements ServerInterceptor, Prioritized {

    /** The methods that run an inference, the only ones refused for capacity. */
    private static final Set<String> INFERENCES = Set.of(PredictionServiceGrpc.getPredictMethod().getFullMethodName(),
            GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName());

    private final CallAdmission admission;
    private final RejectionLog rejections = new RejectionLog();

    CallGate(CallAdmission admission) {
        this.admission = admission;
    }

    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        try {
            admission.enter(INFERENCES.contains(call.getMethodDescriptor().getFullMethodName()));
        } catch (ServingException refused) {
            Status status = GrpcReplies.status(refused);
            rejections.rejected(status.getCode() + " at admission", refused.getMessage());
            call.close(status, new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            // a health Watch or a reflection stream stays open as long as its client: refused while shutting
            // down as any call, but not counted, so it takes no inference slot and does not hold the drain
            admission.exit();
            return next.startCall(call, headers);
        }
        Exit exit = new Exit(admission);
        try {
            return new CountedListener<>(next.startCall(new CountedCall<>(call, exit), headers), exit);
        } catch (RuntimeException e) {
            exit.once();
            throw e;
        }
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

        private final transient CallAdmission admission;

        Exit(CallAdmission admission) {
            this.admission = admission;
        }

        void once() {
            if (compareAndSet(false, true)) {
                admission.exit();
            }
        }
    }
}
