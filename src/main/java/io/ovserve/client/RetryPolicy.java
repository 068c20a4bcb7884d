package io.ovserve.client;

import java.time.Duration;

/**
 * How a {@link PredictClient} retries and ejects, in the terms of gRPC's retry throttling and of
 * Envoy's outlier detection (whose field names the ejection settings take).
 *
 * @param maxAttempts attempts per call, the first included; each retry goes to an instance the call
 *        has not tried yet
 * @param retryBudgetRatio retries allowed per call, on average: each call earns this many retry
 *        tokens and each retry spends one
 * @param retryBudgetBurst the most tokens the budget holds (and starts with), for bursts of failures
 * @param consecutiveGatewayFailure gateway-class failures in a row (refusals marked retryable, UNAVAILABLE,
 *        DEADLINE_EXCEEDED, INTERNAL, UNKNOWN) after which an instance is ejected
 * @param baseEjectionTime how long a first ejection lasts; each further ejection of the same instance
 *        lasts twice as long as the one before
 * @param maxEjectionTime the longest an ejection lasts
 * @param maxEjectionPercent the most of the listed instances ejected at once, in percent; at least
 *        one may always be ejected
 */
public record RetryPolicy(int maxAttempts, double retryBudgetRatio, double retryBudgetBurst,
        int consecutiveGatewayFailure, Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

    /**
     * 3 attempts, retries at most 10% of calls (after a burst of 10), eject after 3 failures for 2 s up to
     * 30 s, at most half of the instances.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, 0.1, 10, 3, Duration.ofSeconds(2),
            Duration.ofSeconds(30), 50);

    /** One attempt per call, no ejection: what a plain channel does. */
    public static final RetryPolicy NONE = new RetryPolicy(1, 0, 0, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, 0);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (retryBudgetRatio < 0 || retryBudgetBurst < 0) {
            throw new IllegalArgumentException("the retry budget must not be negative");
        }
        if (consecutiveGatewayFailure < 1) {
            throw new IllegalArgumentException(
                    "consecutiveGatewayFailure must be at least 1, got " + consecutiveGatewayFailure);
        }
        if (baseEjectionTime.isNegative() || maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            throw new IllegalArgumentException("ejection times must satisfy 0 <= base <= max");
        }
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("maxEjectionPercent must be 0 to 100, got " + maxEjectionPercent);
        }
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, retryBudgetRatio, retryBudgetBurst, consecutiveGatewayFailure,
                baseEjectionTime, maxEjectionTime, maxEjectionPercent);
    }

    public RetryPolicy withEjection(int failures, Duration base, Duration max) {
        return new RetryPolicy(maxAttempts, retryBudgetRatio, retryBudgetBurst, failures, base, max,
                maxEjectionPercent);
    }

    public RetryPolicy withMaxEjectionPercent(int percent) {
        return new RetryPolicy(maxAttempts, retryBudgetRatio, retryBudgetBurst, consecutiveGatewayFailure,
                baseEjectionTime, maxEjectionTime, percent);
    }
}
