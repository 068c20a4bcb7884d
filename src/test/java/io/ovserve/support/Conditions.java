package io.ovserve.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition itself, not for a time that should be enough. */
public final class Conditions {

    private static final Duration LIMIT = Duration.ofMinutes(1); // a failure, not a pace: loaded machines still pass

    private Conditions() {
    }

    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, LIMIT).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
