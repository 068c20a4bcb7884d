package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.openvino.AffineOnCpu;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Deadlines and what the pool tells its observer: waits, drops, busy infer requests. */
class InferRequestPoolDeadlineTest extends AffineOnCpu {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aJobWhoseDeadlineHasPassedIsDroppedAsDeadlineExceededWithoutRunning() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
            AtomicBoolean ran = new AtomicBoolean();

            CompletableFuture<String> late = pool.submit(request -> {
                ran.set(true);
                return "ran";
            }, OptionalLong.of(System.nanoTime() - 1));

            assertDeadlineExceeded(late);
            assertThat(ran).as("the work ran").isFalse();
        }
    }

    @Test
    void aJobWhoseDeadlinePassesWhileTheInferRequestsAreBusyIsDroppedWhenAWorkerTakesIt() throws Exception {
        AtomicLong now = new AtomicLong();
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1, now::get)) {
            Gate gate = new Gate();
            CompletableFuture<String> busy = pool.submit(request -> gate.hold());
            gate.awaitHeld();
            CompletableFuture<String> waiting = pool.submit(request -> "ran", OptionalLong.of(50 * MS));
            now.set(50 * MS);

            gate.release();

            assertThat(busy.get(10, TimeUnit.SECONDS)).isEqualTo("released");
            assertDeadlineExceeded(waiting);
            assertThat(pool.submit(request -> "next").get(10, TimeUnit.SECONDS)).as("the worker goes on")
                    .isEqualTo("next");
        }
    }

    @Test
    void aJobTakenBeforeItsDeadlineRuns() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
            CompletableFuture<String> due = pool.submit(request -> "ran",
                    OptionalLong.of(System.nanoTime() + TimeUnit.MINUTES.toNanos(1)));

            assertThat(due.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
        }
    }

    @Test
    void theObserverHearsOfEachDroppedJob() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
            Recorded recorded = new Recorded();
            pool.observe(recorded);

            pool.submit(request -> "ran", OptionalLong.of(System.nanoTime() - 1)).handle((ok, error) -> null)
                    .get(10, TimeUnit.SECONDS);

            assertThat(recorded.expired).hasValue(1);
            assertThat(recorded.waits).as("dropped jobs are no waits").isEmpty();
        }
    }

    @Test
    void theObserverHearsHowLongEachJobThatRunsWaitedForAnInferRequest() throws Exception {
        AtomicLong now = new AtomicLong();
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1, now::get)) {
            Recorded recorded = new Recorded();
            pool.observe(recorded);
            Gate gate = new Gate();
            CompletableFuture<String> first = pool.submit(request -> gate.hold());
            CompletableFuture<String> second = pool.submit(request -> "ran");
            gate.awaitHeld();
            now.set(100 * MS);

            gate.release();

            second.get(10, TimeUnit.SECONDS);
            assertThat(first).isCompleted();
            assertThat(recorded.waits).containsExactly(0L, 100 * MS);
        }
    }

    @Test
    void activeCountsTheInferRequestsBusyWithAJob() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 2)) {
            Gate gate = new Gate();
            CompletableFuture<String> running = pool.submit(request -> gate.hold());
            gate.awaitHeld();

            assertThat(pool.active()).isEqualTo(1);

            gate.release();
            running.get(10, TimeUnit.SECONDS);
            assertThat(pool.active()).as("free before its caller hears").isZero();
        }
    }

    private static final class Recorded implements InferRequestPool.Observer {

        final List<Long> waits = new CopyOnWriteArrayList<>();
        final AtomicInteger expired = new AtomicInteger();

        @Override
        public void waited(long nanos) {
            waits.add(nanos);
        }

        @Override
        public void expired() {
            expired.incrementAndGet();
        }
    }

    private static void assertDeadlineExceeded(CompletableFuture<?> job) throws Exception {
        try {
            job.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected DEADLINE_EXCEEDED, got a result");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(ServingException.class, error -> {
                assertThat(error.status()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
                assertThat(error.getMessage()).contains("affine", "deadline", "dropped without inference");
            });
        }
    }
}
