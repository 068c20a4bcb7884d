package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.openvino.AffineOnCpu;
import io.ovserve.openvino.InferRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class InferRequestPoolTest extends AffineOnCpu {

    @Test
    void outOfMemoryInWorkCompletesTheCallAsResourceExhaustedAndKeepsTheWorker() throws Exception {
        assertAnErrorFailsOnlyItsCall(new OutOfMemoryError("Physical memory usage is too high"),
                StatusCode.OUT_OF_MEMORY);
    }

    @Test
    void linkageErrorInWorkCompletesTheCallAsInferenceFailedAndKeepsTheWorker() throws Exception {
        assertAnErrorFailsOnlyItsCall(new UnsatisfiedLinkError("no jniOpenVinoC"), StatusCode.INFERENCE_FAILED);
    }

    @Test
    void whenTheLastWorkerCannotReplaceItsRequestWaitingAndLaterCallsFailInsteadOfHanging() throws Exception {
        AtomicInteger created = new AtomicInteger();
        Supplier<InferRequest> onlyOne = () -> {
            if (created.incrementAndGet() > 1) {
                throw new IllegalStateException("no memory for another infer request");
            }
            return affine.createInferRequest();
        };
        try (InferRequestPool pool = new InferRequestPool("affine", onlyOne, 1)) {
            Gate gate = new Gate();
            CompletableFuture<Object> dying = pool.submit(request -> {
                gate.hold();
                throw new OutOfMemoryError("Java heap space");
            });
            gate.awaitHeld();
            CompletableFuture<Object> waiting = pool.submit(request -> "never");

            gate.release();

            assertThat(causeOf(dying)).isInstanceOf(ServingException.class);
            assertThat(causeOf(waiting)).isInstanceOfSatisfying(ServingException.class,
                    error -> assertThat(error.status()).isEqualTo(StatusCode.MODEL_NOT_AVAILABLE));
            assertThat(causeOf(pool.submit(request -> "later"))).isInstanceOf(ServingException.class);
            assertThat(pool.lostWorkers()).isEqualTo(1);
        }
    }

    @Test
    void runtimeFailureInWorkBecomesInferenceFailedAndTheWorkerGoesOn() throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1)) {
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
        InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1);
        pool.close();

        assertThat(causeOf(pool.submit(request -> "late"))).isInstanceOfSatisfying(ServingException.class,
                error -> assertThat(error.status()).isEqualTo(StatusCode.MODEL_NOT_AVAILABLE));
    }

    @Test
    void closeFailsWaitingWorkAndLetsRunningWorkFinish() throws Exception {
        InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1);
        Gate gate = new Gate();
        CompletableFuture<Object> running = pool.submit(request -> gate.holdIgnoringInterrupts());
        gate.awaitHeld();
        CompletableFuture<Object> waiting = pool.submit(request -> "never");
        // released only once close has failed what waits: close must then wait for the running work
        waiting.whenComplete((value, error) -> gate.release());

        pool.close();

        assertThat(running).isCompletedWithValue("released");
        assertThat(causeOf(waiting)).isInstanceOfSatisfying(ServingException.class,
                error -> assertThat(error.status()).isEqualTo(StatusCode.MODEL_NOT_AVAILABLE));
    }

    @Test
    void closeOnAnInterruptedThreadStillWaitsForRunningWorkAndKeepsTheInterrupt() throws Exception {
        InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1);
        Gate gate = new Gate();
        CompletableFuture<Object> running = pool.submit(request -> gate.holdIgnoringInterrupts());
        gate.awaitHeld();
        Thread closing = Thread.currentThread();
        Thread releaser = new Thread(() -> {
            // close is joining the worker: only then may the work end
            while (closing.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            gate.release();
        });
        releaser.setDaemon(true);
        releaser.start();

        Thread.currentThread().interrupt();
        pool.close();

        assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
        assertThat(running).as("the compiled model may be freed after close: nothing may still run")
                .isCompletedWithValue("released");
    }

    @Test
    void everyCallSubmittedWhileThePoolClosesCompletes() throws Exception {
        for (int round = 0; round < 30; round++) {
            InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 1);
            List<CompletableFuture<Object>> calls = new CopyOnWriteArrayList<>();
            List<Thread> submitters = List.of(submitter(pool, calls), submitter(pool, calls), submitter(pool, calls));
            submitters.forEach(Thread::start);
            while (calls.size() < 30) { // the submitters are at it: close lands among their calls
                Thread.onSpinWait();
            }

            pool.close();
            for (Thread submitter : submitters) {
                submitter.interrupt();
                submitter.join();
            }

            for (CompletableFuture<Object> call : calls) {
                assertThat(call).as("round %d", round).isDone();
            }
        }
    }

    private static Thread submitter(InferRequestPool pool, List<CompletableFuture<Object>> calls) {
        return new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                calls.add(pool.submit(request -> "ok"));
            }
        });
    }

    /** The call that throws fails with {@code status}; both workers still serve afterwards. */
    private static void assertAnErrorFailsOnlyItsCall(Error thrown, StatusCode status) throws Exception {
        try (InferRequestPool pool = new InferRequestPool("affine", affine::createInferRequest, 2)) {
            CompletableFuture<Object> failed = pool.submit(request -> {
                throw thrown;
            });

            assertThat(causeOf(failed)).isInstanceOfSatisfying(ServingException.class,
                    error -> assertThat(error.status()).isEqualTo(status));
            assertBothWorkersServe(pool);
        }
    }

    /** Two jobs that only finish together: both workers must be alive and taking work. */
    private static void assertBothWorkersServe(InferRequestPool pool) throws Exception {
        CyclicBarrier both = new CyclicBarrier(2);
        CompletableFuture<Object> first = pool.submit(request -> meet(both));
        CompletableFuture<Object> second = pool.submit(request -> meet(both));
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("met");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("met");
        assertThat(pool.lostWorkers()).isZero();
    }

    private static String meet(CyclicBarrier barrier) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
            return "met";
        } catch (Exception e) {
            throw new IllegalStateException("the other worker never came", e);
        }
    }

    static Throwable causeOf(CompletableFuture<?> future) {
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
