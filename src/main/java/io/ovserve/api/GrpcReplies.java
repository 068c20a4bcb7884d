package io.ovserve.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.metrics.RequestMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Replies} to a gRPC caller: completes the observer, a {@link ServingException} as its gRPC
 * status.
 */
public final class GrpcReplies {

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
        };
    }

    /** The reply's status as the exception a stream observer takes. */
    public static StatusRuntimeException toStatus(Throwable error) {
        return status(error).asRuntimeException();
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
