package io.ovserve.client.cli;

import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tensorflow.serving.Predict.PredictResponse;

/**
 * A closed loop of {@code max_parallel_requests} lanes: each lane sends its next call when the
 * previous one completes, until {@code iterations} calls were started or {@code duration} passed.
 * Failed calls are counted and the lane goes on 10 ms later, so a dead fleet is not spun on.
 */
final class LoadRun {

    private final Caller caller;
    private final Workload workload;
    private final long iterations;
    private final long endNanos;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LongAdder ok = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong started = new AtomicLong();
    private final int lanes;
    private final CountDownLatch lanesDone;
    private final long startNanos = System.nanoTime();
    /** Where a lane goes on after a failure: 10 ms later, off the failing call's stack. */
    private static final Executor AFTER_A_PAUSE = CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS);

    /** {@code iterations} calls, or as many as {@code durationSeconds} allow (the one that is not 0). */
    LoadRun(Caller caller, Workload workload, long iterations, long durationSeconds, int lanes) {
        this.caller = caller;
        this.workload = workload;
        this.iterations = iterations > 0 ? iterations : Long.MAX_VALUE;
        this.endNanos = durationSeconds > 0 ? startNanos + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
        this.lanes = lanes;
        this.lanesDone = new CountDownLatch(lanes);
    }

    /** Runs until every lane stopped; returns the elapsed nanoseconds. */
    long run() throws InterruptedException {
        for (int lane = 0; lane < lanes; lane++) {
            next();
        }
        lanesDone.await();
        return System.nanoTime() - startNanos;
    }

    private void next() {
        if (System.nanoTime() - endNanos >= 0 || started.incrementAndGet() > iterations) {
            lanesDone.countDown();
            return;
        }
        long sent = System.nanoTime();
        CompletableFuture<PredictResponse> reply;
        try {
            reply = caller.predict(workload.next());
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((answer, error) -> {
            if (error == null) {
                latency.record(System.nanoTime() - sent);
                ok.increment();
            } else {
                errors.computeIfAbsent(Status.fromThrowable(error).getCode().name(), code -> new LongAdder())
                        .increment();
                // Later and from another thread: a failure can come back at once, on this very stack.
                AFTER_A_PAUSE.execute(this::next);
                return;
            }
            next();
        });
    }

    long ok() {
        return ok.sum();
    }

    long failed() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errors() {
        Map<String, Long> counts = new TreeMap<>();
        errors.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    LatencyHistogram latency() {
        return latency;
    }

    long total() {
        return iterations == Long.MAX_VALUE ? -1 : iterations;
    }
}
