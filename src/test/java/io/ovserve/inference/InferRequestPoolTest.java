package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.openvino.AffineOnCpu;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InferRequestPoolTest extends AffineOnCpu {

    @Test
    void fullQueueFailsAtOnceWithQueueFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (InferRequestPool pool = new InferRequestPool("affine", affine, 1, 1)) {
            CompletableFuture<Object> busy = pool.submit(request -> await(release));
            waitUntilTaken(busy, pool);
            CompletableFuture<Object> waiting = pool.submit(request -> "waited");

            CompletableFuture<Object> rejected = pool.submit(request -> "never");

            assertThat(rejected).isCompletedExceptionally();
            assertThat(causeOf(rejected)).isInstanceOfSatisfying(ServingException.class,
                    error -> assertThat(error.status()).isEqualTo(StatusCode.QUEUE_FULL));
            release.countDown();
            assertThat(busy.get(10, TimeUnit.SECONDS)).isEqualTo("released");
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("waited");
        }
    }

    @Test
    void failureInWorkBecomesInferenceFailedAndTheWorkerGoesOn() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine, 1, 4)) {
            CompletableFuture<Object> failed = pool.submit(request -> {
                throw new IllegalStateException("boom");
            });

            assertThat(causeOf(failed)).isInstanceOfSatisfying(ServingException.class,
                    error -> assertThat(error.status()).isEqualTo(StatusCode.INFERENCE_FAILED));
            assertThat(pool.submit(request -> "next").get(10, TimeUnit.SECONDS)).isEqualTo("next");
        }
    }

    @Test
    void closedPoolRefusesWorkAsUnavailable() {
        InferRequestPool pool = new InferRequestPool("affine", affine, 1, 4);
        pool.close();

        assertThat(causeOf(pool.submit(request -> "late"))).isInstanceOfSatisfying(ServingException.class,
                error -> assertThat(error.status()).isEqualTo(StatusCode.MODEL_NOT_AVAILABLE));
    }

    private static String await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "released";
    }

    /** The single worker has taken the job when the queue is empty again. */
    private static void waitUntilTaken(CompletableFuture<?> busy, InferRequestPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.queued() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(busy).isNotDone();
    }

    private static Throwable causeOf(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
