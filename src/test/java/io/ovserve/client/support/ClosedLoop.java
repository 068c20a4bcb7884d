package io.ovserve.client.support;

import io.grpc.Status;
import io.ovserve.client.PredictClient;
import io.ovserve.support.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import tensorflow.serving.Predict.PredictRequest;

/**
 * A closed loop of Predict calls on the {@code affine} model through a {@link PredictClient}:
 * {@code lanes} calls in flight until {@code calls} were sent. Every reply is checked, every failure
 * kept, every latency recorded. Bounded: it gives up two deadlines after it should have ended.
 */
public final class ClosedLoop {

    public static final PredictRequest AFFINE = Tensors.request("affine")
            .putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build();

    private final PredictClient client;
    private final int calls;
    private final AtomicInteger sent = new AtomicInteger();
    private final LongAdder ok = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private CountDownLatch lanesDone;
    private volatile int actionAt = -1;
    private volatile Runnable action;

    public ClosedLoop(PredictClient client, int calls) {
        this.client = client;
        this.calls = calls;
    }

    /** Runs {@code action} once, when this many calls have been sent. */
    public ClosedLoop at(int call, Runnable action) {
        this.action = action;
        this.actionAt = call;
        return this;
    }

    public ClosedLoop run(int lanes) {
        lanesDone = new CountDownLatch(lanes);
        for (int i = 0; i < lanes; i++) {
            next();
        }
        try {
            if (!lanesDone.await(calls + 120, TimeUnit.SECONDS)) {
                throw new AssertionError("calls still in flight: a call was stranded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return this;
    }

    private void next() {
        int call = sent.incrementAndGet();
        if (call > calls) {
            lanesDone.countDown();
            return;
        }
        if (call == actionAt) {
            new Thread(action, "closed-loop-action").start();
        }
        long start = System.nanoTime();
        client.predictAsync(AFFINE).whenComplete((reply, error) -> {
            if (error == null && Arrays.equals(Tensors.floatsOf(reply, "y"), new float[] {4, 7, 10, 13})) {
                latencies.add(System.nanoTime() - start);
                ok.increment();
            } else {
                errors.add(error != null ? error : new AssertionError("wrong reply " + reply));
                failures.computeIfAbsent(error != null ? Status.fromThrowable(error).getCode().name() : "WRONG_REPLY",
                        code -> new LongAdder()).increment();
            }
            next();
        });
    }

    public long ok() {
        return ok.sum();
    }

    /** Failed calls by gRPC status (WRONG_REPLY for a reply with the wrong values). */
    public Map<String, Long> failures() {
        Map<String, Long> counts = new TreeMap<>();
        failures.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /** The latency below which {@code quantile} of the successful calls fell, in milliseconds. */
    public double percentileMs(double quantile) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
