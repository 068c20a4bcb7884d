package io.ovserve.inference;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Stages whose cancellation reaches back to the work they wait on. CompletableFuture's own stages
 * pass completion forward only: cancelling {@code a.thenApply(f)} leaves {@code a} queued, and its
 * inference runs for a caller who has gone.
 */
public final class Cancellation {

    private Cancellation() {
    }

    /** {@code stage}, which when cancelled cancels {@code source} too. */
    public static <T> CompletableFuture<T> reaching(CompletableFuture<T> stage, CompletableFuture<?> source) {
        stage.whenComplete((value, error) -> {
            if (stage.isCancelled()) {
                source.cancel(false);
            }
        });
        return stage;
    }

    /**
     * As {@code first.thenCompose(next)}, but cancelling the result cancels {@code first}, or the future
     * {@code next} made.
     */
    public static <T, U> CompletableFuture<U> compose(CompletableFuture<T> first,
            Function<? super T, CompletableFuture<U>> next) {
        CompletableFuture<U> result = reaching(new CompletableFuture<>(), first);
        first.whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            CompletableFuture<U> second;
            try {
                second = next.apply(value);
            } catch (Throwable e) { // as thenCompose: whatever next throws fails the result, never strands it
                result.completeExceptionally(e);
                return;
            }
            reaching(result, second);
            second.whenComplete((secondValue, secondError) -> {
                if (secondError != null) {
                    result.completeExceptionally(secondError);
                } else {
                    result.complete(secondValue);
                }
            });
        });
        return result;
    }
}
