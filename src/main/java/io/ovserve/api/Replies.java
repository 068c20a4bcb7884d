package io.ovserve.api;

import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.metrics.RequestMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place a frontend, gRPC or REST, turns a call's result into its reply: hands the result or
 * the failure to the transport's {@link Sink}, records the call's metrics and logs its failure
 * (rate-limited).
 */
public final class Replies {

    /** How a call its caller cancelled is counted: gRPC's name, as no {@link io.ovserve.inference.StatusCode} fails it. */
    private static final String CANCELLED = "CANCELLED";

    private final RequestMetrics metrics;
    private final String api;
    private final String iface;
    private final RejectionLog rejections = new RejectionLog();

    /**
     * @param api   ovserve's name of the API: tfs or kserve
     * @param iface OVMS's name of the interface: gRPC or REST
     */
    public Replies(RequestMetrics metrics, String api, String iface) {
        this.metrics = metrics;
        this.api = api;
        this.iface = iface;
    }

    /** Where a transport sends a call's outcome. */
    public interface Sink<T> {
        void reply(T value);

        /** A {@link ServingException}, or an unexpected failure. */
        void fail(Throwable cause);

        /** Runs {@code cancel} if the caller gives up on the call (cancels it, or goes); called once, at its start. */
        void onCancel(Runnable cancel);
    }

    /** Runs a call on a model as a whole (GetModelStatus) that answers at once. */
    public <T> void reply(String method, String model, Sink<T> sink, Supplier<T> call) {
        long start = System.nanoTime();
        replyLater(metrics.call(api, iface, method, model), start, sink, now(call), Function.identity());
    }

    /** Runs a call on one version of a model (GetModelMetadata) that answers at once. */
    public <T> void reply(String method, ModelRef model, Sink<T> sink, Supplier<T> call) {
        long start = System.nanoTime();
        replyLater(metrics.call(api, iface, method, model), start, sink, now(call), Function.identity());
    }

    /**
     * Runs a call on one version of a model (Predict) whose result comes later, from an inference
     * worker: the reply is built from it ({@code reply}) and sent back on the caller's event loop, so
     * the worker goes straight on to its next inference.
     */
    public <R, T> void replyLater(String method, ModelRef model, Sink<T> sink, Supplier<CompletableFuture<R>> call,
            Function<R, T> reply) {
        long start = System.nanoTime();
        replyLater(metrics.call(api, iface, method, model), start, sink, call, reply);
    }

    /** A call refused before it ran, from its request's bytes: counted and logged as any failure. */
    public void refused(String method, ModelRef model, ServingException reason) {
        send(metrics.call(api, iface, method, model), new Sink<>() {
            @Override
            public void reply(Object value) {
            }

            @Override
            public void fail(Throwable cause) {
            }

            @Override
            public void onCancel(Runnable cancel) {
            }
        }, null, reason, System.nanoTime());
    }

    private static <T> Supplier<CompletableFuture<T>> now(Supplier<T> call) {
        return () -> CompletableFuture.completedFuture(call.get());
    }

    private <R, T> void replyLater(RequestMetrics.Call meters, long start, Sink<T> sink,
            Supplier<CompletableFuture<R>> call, Function<R, T> reply) {
        Context caller = Vertx.currentContext();
        CompletableFuture<R> result = started(call);
        if (!result.isDone()) {
            sink.onCancel(() -> result.cancel(false)); // a queued inference nobody waits for must not run
        }
        Executor replyOn = caller == null || result.isDone() ? Runnable::run
                : task -> caller.runOnContext(ignored -> task.run());
        result.thenApplyAsync(reply, replyOn)
                .whenComplete((value, error) -> send(meters, sink, value, error, start));
    }

    private static <R> CompletableFuture<R> started(Supplier<CompletableFuture<R>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> void send(RequestMetrics.Call meters, Sink<T> sink, T value, Throwable error, long start) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (error == null) {
            sink.reply(value);
            meters.ok(start);
        } else if (cause instanceof CancellationException) {
            meters.failed(CANCELLED, start); // the caller has gone: nobody to answer
        } else {
            String status = cause instanceof ServingException serving ? serving.status().name() : "INTERNAL";
            sink.fail(cause);
            meters.failed(status, start);
            rejections.rejected(status, String.valueOf(cause.getMessage()),
                    cause instanceof ServingException ? null : cause);
        }
    }
}
