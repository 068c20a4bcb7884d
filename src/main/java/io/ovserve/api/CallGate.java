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
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Admission of gRPC calls ({@link CallAdmission}): from the headers, a call that would be refused is
 * refused before its message is read or parsed, so it costs no parsing and holds no memory; a call
 * takes its place only once its message has arrived, so one that sends headers and then nothing holds
 * none. A call that has not sent its whole request within {@code ovserve.request-body-timeout} of its
 * headers is ended (DEADLINE_EXCEEDED), freeing its stream and what it buffered. A call answered before
 * its client half-closed (these refusals, or a request refused once read) has its stream reset after
 * the trailers ({@link StreamReset}), so the stream stops counting against the connection's limit at
 * once, not when the client's end of stream arrives.
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
        boolean inference = INFERENCES.contains(call.getMethodDescriptor().getFullMethodName());
        try {
            admission.precheck(inference);
        } catch (ServingException refused) {
            refuse(call, refused);
            StreamReset.ofInterceptedCall().afterTrailers();
            return new ServerCall.Listener<>() {
            };
        }
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            // a health Watch or a reflection stream stays open as long as its client: refused while shutting
            // down as any call, but never counted, so it takes no place and does not hold the drain
            return next.startCall(call, headers);
        }
        GatedCall<Q, R> gated = new GatedCall<>(call, inference);
        try {
            gated.listener = next.startCall(gated, headers);
        } catch (RuntimeException e) {
            gated.exit();
            throw e;
        }
        gated.startBodyTimer();
        return new GatedListener<>(gated);
    }

    private void refuse(ServerCall<?, ?> call, ServingException refused) {
        Status status = GrpcReplies.status(refused);
        rejections.rejected(status.getCode() + " at admission", refused.getMessage());
        call.close(status, GrpcReplies.trailers(refused));
    }

    /**
     * One call from its headers to its end. Its listener and its timer run on the connection's event loop,
     * one event at a time; only its reply may come from another thread, hence the atomic count and
     * volatile flags.
     */
    private final class GatedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

        private final boolean inference;
        private final AtomicBoolean entered = new AtomicBoolean(); // exit() may run on a replying thread
        private final StreamReset reset = StreamReset.ofInterceptedCall();
        private ServerCall.Listener<Q> listener;
        private volatile boolean ended;
        private volatile boolean halfClosed;
        private volatile Future<?> timer;

        GatedCall(ServerCall<Q, R> call, boolean inference) {
            super(call);
            this.inference = inference;
        }

        /** The request's message is here: the call takes its place, or is refused and ends. */
        boolean enter() {
            if (ended) {
                return false;
            }
            if (!entered.get()) {
                try {
                    admission.enter(inference);
                    entered.set(true);
                } catch (ServingException refused) {
                    stopBodyTimer();
                    ended = true;
                    refuse(delegate(), refused);
                    resetIfStillSending();
                    return false;
                }
            }
            return true;
        }

        /** From the call's event loop, which then runs the expiry too (none in an in-process server). */
        void startBodyTimer() {
            EventExecutor loop = ThreadExecutorMap.currentExecutor();
            if (loop != null) {
                timer = loop.schedule(this::bodyTimedOut, admission.bodyTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        void stopBodyTimer() {
            Future<?> pending = timer;
            if (pending != null) {
                timer = null;
                pending.cancel(false);
            }
        }

        private void bodyTimedOut() {
            if (timer == null || ended) {
                return; // the request arrived (or the call ended) while the timer fired
            }
            timer = null;
            ServingException late = admission.bodyTimedOut();
            rejections.rejected("request body timeout", late.getMessage());
            close(GrpcReplies.status(late), GrpcReplies.trailers(late));
        }

        /** Counted out first: a caller that has its answer may call again at once and find its place free. */
        @Override
        public void close(Status status, Metadata trailers) {
            ended = true;
            stopBodyTimer();
            exit();
            super.close(status, trailers);
            resetIfStillSending();
        }

        /** A unary method answers after the half-close: an earlier answer is a refusal, or the request's own. */
        private void resetIfStillSending() {
            if (!halfClosed) {
                reset.afterTrailers();
            }
        }

        /** Counts the call out once, if it was counted in. */
        void exit() {
            if (entered.compareAndSet(true, false)) {
                admission.exit();
            }
        }
    }

    /** Passes the call's events on, from its message on only once it has its place. */
    private static final class GatedListener<Q> extends SimpleForwardingServerCallListener<Q> {

        private final GatedCall<Q, ?> call;

        GatedListener(GatedCall<Q, ?> call) {
            super(call.listener);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            if (call.enter()) {
                super.onMessage(message);
            }
        }

        @Override
        public void onHalfClose() {
            call.halfClosed = true;
            call.stopBodyTimer();
            if (call.enter()) { // a call that half-closes without a message is answered by its method
                super.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!call.ended) {
                super.onReady();
            }
        }

        @Override
        public void onCancel() {
            call.ended = true;
            call.stopBodyTimer();
            try {
                super.onCancel();
            } finally {
                call.exit();
            }
        }
    }
}
