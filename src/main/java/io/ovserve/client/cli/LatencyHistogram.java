package io.ovserve.client.cli;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Latencies in log-spaced buckets 1% wide, from 1 µs to over an hour: constant memory however long
 * the run (the seed's job is 1,000,000 calls), percentiles within 1%, safe to record from any thread.
 */
final class LatencyHistogram {

    private static final double GROWTH = 1.01;
    private static final int BUCKETS = 2400;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    void record(long nanos) {
        counts.incrementAndGet(bucket(nanos));
        maxNanos.accumulate(nanos);
    }

    /** The latency at or below which {@code quantile} of the recorded calls fall, in milliseconds. */
    double percentileMs(double quantile) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperMicros(i), maxNanos.get() / 1000.0) / 1000.0;
            }
        }
        return maxMs();
    }

    double maxMs() {
        return maxNanos.get() / 1_000_000.0;
    }

    private static int bucket(long nanos) {
        double micros = Math.max(1.0, nanos / 1000.0);
        return Math.min(BUCKETS - 1, (int) (Math.log(micros) / Math.log(GROWTH)));
    }

    private static double upperMicros(int bucket) {
        return Math.pow(GROWTH, bucket + 1);
    }
}
