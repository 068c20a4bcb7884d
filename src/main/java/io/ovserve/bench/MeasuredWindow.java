package io.ovserve.bench;

import java.util.Arrays;

/**
 * Tallies calls that complete inside [start, end): replies, errors and their latencies. Calls that
 * complete during the warm-up or after the end are left out, so the rate is not diluted by JIT
 * warm-up nor inflated by the drain. A few hundred calls a second: a lock costs nothing here.
 */
final class MeasuredWindow {

    private final long startNanos;
    private final long endNanos;
    private long[] latencies = new long[4096];
    private int replies;
    private int errors;
    private int errorsOutside;
    private String firstError;

    MeasuredWindow(long startNanos, long endNanos) {
        this.startNanos = startNanos;
        this.endNanos = endNanos;
    }

    boolean isOver(long nanos) {
        return nanos >= endNanos;
    }

    long startNanos() {
        return startNanos;
    }

    long endNanos() {
        return endNanos;
    }

    synchronized void reply(long sentNanos, long doneNanos) {
        if (doneNanos < startNanos || doneNanos >= endNanos) {
            return;
        }
        if (replies == latencies.length) {
            latencies = Arrays.copyOf(latencies, replies * 2);
        }
        latencies[replies++] = doneNanos - sentNanos;
    }

    synchronized void error(long doneNanos, Throwable error) {
        if (doneNanos >= startNanos && doneNanos < endNanos) {
            errors++;
        } else {
            errorsOutside++;
        }
        if (firstError == null) {
            firstError = String.valueOf(error);
        }
    }

    /** The machine-readable result line; rates over the window's own length, not the wall clock. */
    synchronized String summary() {
        double seconds = (endNanos - startNanos) / 1e9;
        long[] sorted = Arrays.copyOf(latencies, replies);
        Arrays.sort(sorted);
        return String.format(java.util.Locale.ROOT,
                "served_fps=%.2f requests=%d errors=%d warmup_errors=%d p50_ms=%.1f p99_ms=%.1f seconds=%.0f",
                replies / seconds, replies, errors, errorsOutside, percentileMillis(sorted, 0.50),
                percentileMillis(sorted, 0.99), seconds);
    }

    synchronized int allErrors() {
        return errors + errorsOutside;
    }

    synchronized String firstError() {
        return firstError;
    }

    /** Nearest-rank percentile; NaN when nothing completed. */
    private static double percentileMillis(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
