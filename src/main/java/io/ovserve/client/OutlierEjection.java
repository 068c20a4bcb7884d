package io.ovserve.client;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Envoy-style outlier detection per instance: after {@code consecutiveFailures} failures in a row an
 * instance is ejected for a cool-down, doubled on each further ejection up to a maximum, then
 * re-admitted. A success resets the failure count; the ejection count is forgotten once an instance
 * has stayed in for as long as its last ejection lasted.
 */
final class OutlierEjection {

    private final int consecutiveFailures;
    private final long baseNanos;
    private final long maxNanos;
    private final LongSupplier clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    OutlierEjection(RetryPolicy policy, LongSupplier clock) {
        this.consecutiveFailures = policy.consecutiveFailures();
        this.baseNanos = policy.baseEjection().toNanos();
        this.maxNanos = policy.maxEjection().toNanos();
        this.clock = clock;
    }

    boolean isEjected(String instance) {
        State state = states.get(instance);
        return state != null && state.isEjected(clock.getAsLong());
    }

    void onSuccess(String instance) {
        State state = states.get(instance);
        if (state != null) {
            state.onSuccess(clock.getAsLong());
        }
    }

    /**
     * Returns the length of the ejection this failure started, or null if the instance stays in
     * (not enough failures yet, ejection disabled, or {@code mayEject} false).
     */
    Duration onFailure(String instance, boolean mayEject) {
        return states.computeIfAbsent(instance, key -> new State()).onFailure(clock.getAsLong(), mayEject);
    }

    /** Forgets instances discovery no longer lists. */
    void retainOnly(Set<String> instances) {
        states.keySet().retainAll(instances);
    }

    private final class State {
        private int failures;
        private int ejections;
        private long ejectedUntil = Long.MIN_VALUE;
        private long lastEjection;

        synchronized boolean isEjected(long now) {
            return ejections > 0 && now - ejectedUntil < 0;
        }

        synchronized void onSuccess(long now) {
            failures = 0;
            if (ejections > 0 && now - ejectedUntil >= lastEjection) {
                ejections = 0;
            }
        }

        synchronized Duration onFailure(long now, boolean mayEject) {
            if (isEjected(now) || ++failures < consecutiveFailures || !mayEject || baseNanos == 0) {
                return null;
            }
            failures = 0;
            long factor = 1L << Math.min(ejections, 20);
            lastEjection = baseNanos > maxNanos / factor ? maxNanos : baseNanos * factor;
            ejections++;
            ejectedUntil = now + lastEjection;
            return Duration.ofNanos(lastEjection);
        }
    }
}
