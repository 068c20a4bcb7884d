package io.ovserve.inference;

import io.ovserve.openvino.InferRequest;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Work submitted to an {@link InferRequestPool}. Once its future completes (run, dropped, or
 * cancelled by its caller) it lets go of the work, and so of the inputs the work holds, even while it
 * still waits in the queue.
 */
final class PoolJob<T> {

    private volatile Function<InferRequest, T> work;
    private final CompletableFuture<T> result;
    private final long queued;
    private final OptionalLong deadline;

    /** @param queued when it was submitted, on the pool's clock, as is {@code deadline} */
    PoolJob(Function<InferRequest, T> work, CompletableFuture<T> result, long queued, OptionalLong deadline) {
        this.work = work;
        this.result = result;
        this.queued = queued;
        this.deadline = deadline;
        result.whenComplete((value, error) -> this.work = null);
    }

    /** The work to run, or null once the job is done: its caller cancelled it while it waited. */
    Function<InferRequest, T> work() {
        return work;
    }

    CompletableFuture<T> result() {
        return result;
    }

    long queued() {
        return queued;
    }

    boolean expiredAt(long now) {
        return deadline.isPresent() && now - deadline.getAsLong() >= 0;
    }

    void fail(ServingException error) {
        result.completeExceptionally(error);
    }
}
