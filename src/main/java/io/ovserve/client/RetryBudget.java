package io.ovserve.client;

/**
 * Bounds retries to a share of calls, as gRPC's retry throttling does: every call earns
 * {@code ratio} tokens (up to {@code burst}), every retry spends one, and a retry without a whole
 * token is not made. Over a run, retries stay below {@code ratio * calls + burst}, so a failing
 * fleet is never hit with a multiple of the offered load.
 */
final class RetryBudget {

    /** Tokens are counted in thousandths, as gRPC does, so that 10 calls of 0.1 make exactly one. */
    private static final long ONE = 1000;

    private final long ratio;
    private final long burst;
    private long tokens;

    RetryBudget(double ratio, double burst) {
        this.ratio = Math.round(ratio * ONE);
        this.burst = Math.round(burst * ONE);
        this.tokens = this.burst;
    }

    synchronized void onCall() {
        tokens = Math.min(burst, tokens + ratio);
    }

    synchronized boolean tryRetry() {
        if (tokens < ONE) {
            return false;
        }
        tokens -= ONE;
        return true;
    }
}
