package io.ovserve.api;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.metrics.RequestMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Replies} to a gRPC caller: completes the observer, a {@link ServingException} as its gRPC
 * status and trailers.
 */
public final class GrpcReplies {

    /**
     * Sent ({@code true}) with a refusal another replica could take ({@link StatusCode#retryableElsewhere}),
     * absent otherwise. A name of its own rather than gRPC's {@code grpc-retry-pushback-ms}: pushback says
     * when to retry the same call on the same channel (gRFC A6), only for codes the client already lists
     * as retryable, and has no HTTP twin. A refusal carries no message, so this travels in the
     * Trailers-Only HEADERS frame, where a proxy can match it too (Envoy: {@code retry_on:
     * retriable-headers}, {@code x-envoy-retriable-header-names: ovserve-retryable}).
     */
    public static final Metadata.Key<String> RETRYABLE = Metadata.Key.of("ovserve-retryable",
            Metadata.ASCII_STRING_MARSHALLER);

    private final Replies replies;

    public GrpcReplies(RequestMetrics metrics, String api) {
        this.replies = new Replies(metrics, api, "gRPC");
    }

    /** Runs a call on a model as a whole (GetModelStatus) that answers at once. */
    public <T> void reply(String method, String model, StreamObserver<T> observer, Supplier<T> call) {
        replies.reply(method, model, sink(observer), call);
    }

    /** Runs a call on one version of a model (GetModelMetadata) that answers at once. */
    public <T> void reply(String method, ModelRef model, StreamObserver<T> observer, Supplier<T> call) {
        replies.reply(method, model, sink(observer), call);
    }

    /** Runs a call on one version of a model (Predict) whose result comes later, its reply built on the caller's event loop. */
    public <R, T> void replyLater(String method, ModelRef model, StreamObserver<T> observer,
            Supplier<CompletableFuture<R>> call, Function<R, T> reply) {
        replies.replyLater(method, model, sink(observer), call, reply);
    }

    /** A call refused from its request's bytes, before it ran ({@link RequestCheck}): its status, counted. */
    public Status refused(String method, ModelRef model, ServingException reason) {
        replies.refused(method, model, reason);
        return status(reason);
    }

    private static <T> Replies.Sink<T> sink(StreamObserver<T> observer) {
        return new Replies.Sink<>() {
            @Override
            public void reply(T value) {
                observer.onNext(value);
                observer.onCompleted();
            }

            @Override
            public void fail(Throwable cause) {
                observer.onError(toStatus(cause));
            }

            /** The call's context is cancelled when the caller cancels, its deadline passes or its connection drops. */
            @Override
            public void onCancel(Runnable cancel) {
                Context.current().addListener(context -> cancel.run(), Runnable::run);
            }
        };
    }

    /** The reply's status and trailers as the exception a stream observer takes. */
    public static StatusRuntimeException toStatus(Throwable error) {
        return status(error).asRuntimeException(trailers(error));
    }

    /** The trailers of a failed reply: {@link #RETRYABLE} if another replica could take the call. */
    public static Metadata trailers(Throwable error) {
        Metadata trailers = new Metadata();
        if (error instanceof ServingException serving && serving.status().retryableElsewhere()) {
            trailers.put(RETRYABLE, "true");
        }
        return trailers;
    }

    /**
     * The reply's status; an unexpected failure is INTERNAL (logged, with its stack trace, by the rejection
     * log). A Status, not an exception, where no observer needs one: a StatusRuntimeException captures a
     * stack trace, which a refusal under overload need not pay for.
     */
    public static Status status(Throwable error) {
        if (error instanceof ServingException serving) {
            return Status.fromCodeValue(serving.status().grpcCode()).withDescription(serving.getMessage());
        }
        return Status.INTERNAL.withDescription(String.valueOf(error.getMessage()));
    }
}
