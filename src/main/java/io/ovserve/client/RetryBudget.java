package io.ovserve.client;

/**
 * Bounds retries to a share of calls, as gRPC's retry throttling does: every call earns
 * {@code ratio} tokens (up to {@code burst}), every retry spends one, and a retry without a whole
 * token is not made. Over a run, retries stay below {@code ratio * calls + burst}, so a failing
 * fleet is never hit with a multiple of the offered load.
 */
final class RetryBudget {

    private final double ratio;
    private final double burst;
    private double tokens;

    RetryBudget(double ratio, double burst) {
        this.ratio = ratio;
        this.burst = burst;
        this.tokens = burst;
    }

    synchronized void onCall() {
        tokens = Math.min(burst, tokens + ratio);
    }

    synchronized boolean tryRetry() {
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
