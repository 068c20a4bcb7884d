package io.ovserve.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.metrics.RequestMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The one place a gRPC frontend turns a result into a reply: completes the observer, maps
 * {@link ServingException} to its gRPC status and records the request's metrics.
 */
public final class GrpcReplies {

    private static final String INTERFACE = "gRPC";

    private final RequestMetrics metrics;
    private final String api;
    private final RejectionLog rejections = new RejectionLog();

    public GrpcReplies(RequestMetrics metrics, String api) {
        this.metrics = metrics;
        this.api = api;
    }

    /** Runs a call on a model as a whole (GetModelStatus) that answers at once. */
    public <T> void reply(String method, String model, StreamObserver<T> observer, Supplier<T> call) {
        long start = System.nanoTime();
        replyLater(metrics.call(api, INTERFACE, method, model), start, observer, now(call));
    }

    /** Runs a call on one version of a model (GetModelMetadata) that answers at once. */
    public <T> void reply(String method, ModelRef model, StreamObserver<T> observer, Supplier<T> call) {
        long start = System.nanoTime();
        replyLater(metrics.call(api, INTERFACE, method, model), start, observer, now(call));
    }

    /**
     * Runs a call on one version of a model (Predict) whose result comes later, from an inference
     * worker: the reply is built and sent back on the caller's event loop, so the worker goes straight
     * on to its next inference.
     */
    public <T> void replyLater(String method, ModelRef model, StreamObserver<T> observer,
            Supplier<CompletableFuture<T>> call) {
        long start = System.nanoTime();
        replyLater(metrics.call(api, INTERFACE, method, model), start, observer, call);
    }

    private static <T> Supplier<CompletableFuture<T>> now(Supplier<T> call) {
        return () -> CompletableFuture.completedFuture(call.get());
    }

    private <T> void replyLater(RequestMetrics.Call meters, long start, StreamObserver<T> observer,
            Supplier<CompletableFuture<T>> call) {
        Context caller = Vertx.currentContext();
        CompletableFuture<T> result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        Executor replyOn = caller == null || result.isDone() ? Runnable::run
                : task -> caller.runOnContext(ignored -> task.run());
        result.whenCompleteAsync((reply, error) -> send(meters, observer, reply, error, start), replyOn);
    }

    private <T> void send(RequestMetrics.Call meters, StreamObserver<T> observer, T reply, Throwable error,
            long start) {
        if (error == null) {
            observer.onNext(reply);
            observer.onCompleted();
            meters.ok(start);
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            String status = cause instanceof ServingException serving ? serving.status().name() : "INTERNAL";
            observer.onError(toStatus(cause));
            meters.failed(status, start);
            rejections.rejected(status, String.valueOf(cause.getMessage()),
                    cause instanceof ServingException ? null : cause);
        }
    }

    /** The reply's status; an unexpected failure is INTERNAL (logged, with its stack trace, by the rejection log). */
    public static StatusRuntimeException toStatus(Throwable error) {
        if (error instanceof ServingException serving) {
            return Status.fromCodeValue(serving.status().grpcCode()).withDescription(serving.getMessage())
                    .asRuntimeException();
        }
        return Status.INTERNAL.withDescription(String.valueOf(error.getMessage())).asRuntimeException();
    }
}
