package io.ovserve.client;

import java.time.Duration;

/**
 * How a {@link PredictClient} retries and ejects, in the terms of gRPC's retry throttling and of
 * Envoy's outlier detection.
 *
 * @param maxAttempts attempts per call, the first included; each retry goes to an instance the call
 *        has not tried yet
 * @param retryBudgetRatio retries allowed per call, on average: each call earns this many retry
 *        tokens and each retry spends one
 * @param retryBudgetBurst the most tokens the budget holds (and starts with), for bursts of failures
 * @param consecutiveFailures failures in a row after which an instance is ejected
 * @param baseEjection how long a first ejection lasts; each further ejection of the same instance
 *        lasts twice as long as the one before
 * @param maxEjection the longest an ejection lasts
 */
public record RetryPolicy(int maxAttempts, double retryBudgetRatio, double retryBudgetBurst, int consecutiveFailures,
        Duration baseEjection, Duration maxEjection) {

    /** 3 attempts, retries at most 10% of calls (after a burst of 10), eject after 3 failures for 2 s up to 30 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, 0.1, 10, 3, Duration.ofSeconds(2),
            Duration.ofSeconds(30));

    /** One attempt per call, no ejection: what a plain channel does. */
    public static final RetryPolicy NONE = new RetryPolicy(1, 0, 0, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (retryBudgetRatio < 0 || retryBudgetBurst < 0) {
            throw new IllegalArgumentException("the retry budget must not be negative");
        }
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 1, got " + consecutiveFailures);
        }
        if (baseEjection.isNegative() || maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException("ejection times must satisfy 0 <= base <= max");
        }
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, retryBudgetRatio, retryBudgetBurst, consecutiveFailures, baseEjection,
                maxEjection);
    }

    public RetryPolicy withEjection(int failures, Duration base, Duration max) {
        return new RetryPolicy(maxAttempts, retryBudgetRatio, retryBudgetBurst, failures, base, max);
    }
}
