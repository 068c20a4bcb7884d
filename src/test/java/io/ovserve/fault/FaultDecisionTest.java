package io.ovserve.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which calls a fault hits: none at 0%, all at 100%, and the configured share in between. */
class FaultDecisionTest {

    private static final double LARGEST_DRAW = Math.nextDown(1.0);
    private static final int CALLS = 20_000;

    @Test
    void zeroPercentHitsNoCall() {
        assertThat(FaultInjector.hits(0, 0)).isFalse();
        assertThat(FaultInjector.hits(0, 0.5)).isFalse();
        assertThat(FaultInjector.hits(0, LARGEST_DRAW)).isFalse();
    }

    @Test
    void hundredPercentHitsEveryCall() {
        assertThat(FaultInjector.hits(100, 0)).isTrue();
        assertThat(FaultInjector.hits(100, 0.5)).isTrue();
        assertThat(FaultInjector.hits(100, LARGEST_DRAW)).isTrue();
    }

    @Test
    void aPercentageHitsTheDrawsBelowIt() {
        assertThat(FaultInjector.hits(50, 0.4999)).isTrue();
        assertThat(FaultInjector.hits(50, 0.5)).isFalse();
        assertThat(FaultInjector.hits(12.5, 0.124)).isTrue();
        assertThat(FaultInjector.hits(12.5, 0.126)).isFalse();
    }

    /** Seeded, so the counts are fixed; the bounds are ±4 standard deviations around the expected share. */
    @ParameterizedTest
    @CsvSource({"50, 9717, 10283", "10, 1838, 2162", "90, 17838, 18162"})
    void theShareOfAbortedCallsIsThePercentage(double percentage, int atLeast, int atMost) {
        FaultInjector injector = new FaultInjector(Faults.abort("UNAVAILABLE", percentage), new Random(42)::nextDouble);

        long aborted = IntStream.range(0, CALLS)
                .mapToObj(i -> injector.apply(() -> CompletableFuture.completedFuture("answer")))
                .filter(CompletableFuture::isCompletedExceptionally)
                .count();

        assertThat(aborted).isBetween((long) atLeast, (long) atMost);
    }

    @Test
    void theShareOfDelayedCallsIsThePercentage() throws Exception {
        FaultInjector injector = new FaultInjector(Faults.delay(Duration.ofMinutes(1), 25),
                new Random(7)::nextDouble);
        try {
            long delayed = IntStream.range(0, CALLS)
                    .mapToObj(i -> injector.apply(() -> CompletableFuture.completedFuture("answer")))
                    .filter(result -> !result.isDone())
                    .count();

            assertThat(delayed).isBetween(4_775L, 5_225L);
        } finally {
            injector.close();
        }
    }
}
