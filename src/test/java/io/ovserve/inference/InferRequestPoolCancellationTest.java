package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.openvino.AffineOnCpu;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A job its caller cancels while it waits for an infer request is dropped: its work never runs. */
class InferRequestPoolCancellationTest extends AffineOnCpu {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aQueuedJobCancelledByItsCallerNeverRunsAndTheWorkerGoesOn() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 2)) {
            Gate gate = new Gate(2);
            AtomicInteger runs = new AtomicInteger();
            CompletableFuture<String> first = pool.submit(request -> counted(runs, gate.hold()));
            CompletableFuture<String> second = pool.submit(request -> counted(runs, gate.hold()));
            gate.awaitHeld();
            CompletableFuture<String> cancelled = pool.submit(request -> counted(runs, "ran"));

            cancelled.cancel(false);
            gate.release();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("released");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("released");
            assertThat(pool.submit(request -> counted(runs, "next")).get(10, TimeUnit.SECONDS)).isEqualTo("next");
            assertThat(cancelled).isCancelled();
            assertThat(runs).as("the held jobs and the next one only").hasValue(3);
        }
    }

    @Test
    void aCancelledJobWhoseDeadlineHasPassedWhenItsTurnComesIsCountedAsDroppedAtTheDeadline() throws Exception {
        AtomicLong now = new AtomicLong();
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1, now::get)) {
            AtomicInteger expired = new AtomicInteger();
            pool.observe(new InferRequestPool.Observer() {
                @Override
                public void expired() {
                    expired.incrementAndGet();
                }
            });
            Gate gate = new Gate();
            pool.submit(request -> gate.hold());
            gate.awaitHeld();
            // a gRPC client cancels its call when its own deadline passes, a moment before the server's
            pool.submit(request -> "ran", OptionalLong.of(50 * MS)).cancel(false);
            now.set(50 * MS);

            gate.release();

            assertThat(pool.submit(request -> "next").get(10, TimeUnit.SECONDS)).isEqualTo("next");
            assertThat(expired).hasValue(1);
        }
    }

    private static String counted(AtomicInteger runs, String result) {
        runs.incrementAndGet();
        return result;
    }
}
