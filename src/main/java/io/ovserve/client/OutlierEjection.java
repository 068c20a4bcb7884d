package io.ovserve.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Envoy-style outlier detection per instance: after {@code consecutiveGatewayFailure} failures in a row
 * an instance is ejected for a cool-down, doubled on each further ejection up to a maximum, then
 * re-admitted; at most {@code maxEjectionPercent} of the listed instances (at least one) are out at
 * once. A success resets the failure count; the ejection count is forgotten once an instance has
 * stayed in for as long as its last ejection lasted.
 *
 * <p>One lock over every instance's state: the cap counts the others' ejections and ejects in one step,
 * so concurrent failures cannot both pass it.
 */
final class OutlierEjection {

    private final int consecutiveFailures;
    private final long baseNanos;
    private final long maxNanos;
    private final int maxPercent;
    private final LongSupplier clock;
    private final Map<String, State> states = new HashMap<>();

    OutlierEjection(RetryPolicy policy, LongSupplier clock) {
        this.consecutiveFailures = policy.consecutiveGatewayFailure();
        this.baseNanos = policy.baseEjectionTime().toNanos();
        this.maxNanos = policy.maxEjectionTime().toNanos();
        this.maxPercent = policy.maxEjectionPercent();
        this.clock = clock;
    }

    synchronized boolean isEjected(String instance) {
        State state = states.get(instance);
        return state != null && state.isEjected(clock.getAsLong());
    }

    synchronized void onSuccess(String instance) {
        State state = states.get(instance);
        if (state != null) {
            state.onSuccess(clock.getAsLong());
        }
    }

    /**
     * Counts a failure of {@code instance}; returns the length of the ejection it started, or null if the
     * instance stays in: not enough failures yet, ejection off, or as many of the {@code listed} instances
     * ejected already as the cap allows (a fleet overloaded as a whole must not be funnelled onto its last
     * members).
     */
    synchronized Duration onFailure(String instance, Set<String> listed) {
        long now = clock.getAsLong();
        State state = states.computeIfAbsent(instance, key -> new State());
        if (state.isEjected(now) || ++state.failures < consecutiveFailures || baseNanos == 0
                || ejectedAmong(listed, now) >= Math.max(1, listed.size() * maxPercent / 100)) {
            return null;
        }
        return state.eject(now);
    }

    /** Forgets instances discovery no longer lists. */
    synchronized void retainOnly(Set<String> instances) {
        states.keySet().retainAll(instances);
    }

    private int ejectedAmong(Set<String> listed, long now) {
        int ejected = 0;
        for (String instance : listed) {
            State state = states.get(instance);
            if (state != null && state.isEjected(now)) {
                ejected++;
            }
        }
        return ejected;
    }

    /** One instance's record; guarded by the enclosing instance's lock. */
    private final class State {
        private int failures;
        private int ejections;
        private long ejectedUntil;
        private long lastEjection;

        boolean isEjected(long now) {
            return ejections > 0 && now - ejectedUntil < 0;
        }

        void onSuccess(long now) {
            failures = 0;
            if (ejections > 0 && now - ejectedUntil >= lastEjection) {
                ejections = 0;
            }
        }

        Duration eject(long now) {
            failures = 0;
            long factor = 1L << Math.min(ejections, 20);
            lastEjection = baseNanos > maxNanos / factor ? maxNanos : baseNanos * factor;
            ejections++;
            ejectedUntil = now + lastEjection;
            return Duration.ofNanos(lastEjection);
        }
    }
}
