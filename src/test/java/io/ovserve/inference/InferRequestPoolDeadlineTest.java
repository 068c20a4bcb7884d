package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.openvino.AffineOnCpu;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> busy = pool.submit(request -> awaitRelease(release));
            long deadline = System.nanoTime() + 50 * MS;
            CompletableFuture<String> waiting = pool.submit(request -> "ran", OptionalLong.of(deadline));
            while (System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }

            release.countDown();

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
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
            Recorded recorded = new Recorded();
            pool.observe(recorded);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> first = pool.submit(request -> awaitRelease(release));
            CompletableFuture<String> second = pool.submit(request -> "ran");
            Thread.sleep(100);

            release.countDown();

            second.get(10, TimeUnit.SECONDS);
            assertThat(first).isCompleted();
            assertThat(recorded.waits).hasSize(2);
            assertThat(recorded.waits.get(1)).as("the second waited for the first").isGreaterThanOrEqualTo(100 * MS);
        }
    }

    @Test
    void activeCountsTheInferRequestsBusyWithAJob() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 2)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> running = pool.submit(request -> {
                started.countDown();
                return awaitRelease(release);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(pool.active()).isEqualTo(1);

            release.countDown();
            running.get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.active() != 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(5); // the worker counts itself free just after it completes the job
            }
            assertThat(pool.active()).isZero();
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

    private static String awaitRelease(CountDownLatch release) {
        try {
            release.await(10, TimeUnit.SECONDS);
            return "released";
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
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
